"""The analysis pipeline, assembled above the capability packages: `load.load_french`/`load_english` build the spaCy
pipelines, `records.annotate_article` turns a Doc into the article's records (each capability converts its own)."""
