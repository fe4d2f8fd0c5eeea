"""Time expressions: the vigie_dates component, French and English grammars, resolution against the publication date."""
