"""Shared spaCy plumbing below every capability: extension registry, the guarded component, the model's text,
line breaks and long-text chunking. Imports no capability package."""
