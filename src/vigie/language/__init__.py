"""Shared language knowledge (name folding, honorifics, demonyms): imports no capability package."""
