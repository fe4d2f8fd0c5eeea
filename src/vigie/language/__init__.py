"""Shared language knowledge (name folding, honorifics, demonyms, language identification): imports no
capability package."""
