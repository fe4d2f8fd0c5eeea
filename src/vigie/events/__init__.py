"""PLOVER event coding: triggers, arguments, actor coding, attributes and merging (see vigie.nlp.events)."""
