"""spaCy components and the bridge between Docs and plain records."""
