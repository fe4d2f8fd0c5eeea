"""Reported speech: the vigie_quotes component, its French and English rules, speaker coreference, records."""
