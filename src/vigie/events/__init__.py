"""PLOVER event coding: the vigie_events component, triggers, arguments, actor coding, attributes and merging."""
