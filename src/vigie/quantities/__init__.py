"""Quantities: the vigie_quantities component, number parsing, counted nouns and roles, records."""
