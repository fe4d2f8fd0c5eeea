"""Named entities: the NER clean-up components (filter, gazetteer, acronyms, consistency, canonical names)."""
