"""The one place where a spaCy Doc becomes plain records (no Doc crosses a step boundary)."""
from __future__ import annotations

from spacy.tokens import Doc

from vigie.dates.component import dateline_date, dates_from_doc
from vigie.events.component import events_from_doc
from vigie.nlp.model_text import model_text, original_forms
from vigie.places.component import places_from_doc
from vigie.quantities.component import measures_from_doc, quantities_from_doc
from vigie.quotes.component import quotes_from_doc
from vigie.records import Article, EntityMention

# Confidence of a mention: with vigie's components the NER is right about 85 times in 100 on WiNER-fr (bench/ner_winer.py);
# a mention whose canonical name was confirmed by a fuller mention in the document is more reliable.
NER_CONFIDENCE = 0.85
LINKED_CONFIDENCE = 0.9


def entities_from_doc(doc: Doc, text: str) -> list[EntityMention]:
    """Entity mentions with offsets into `text` (the cleaned article, same length as doc.text)."""
    out = []
    # what the model saw, once (doc.text is rebuilt from the tokens at every access)
    original_form = original_forms(model_text(text), text)
    for ent in doc.ents:
        canonical = ent._.canonical or ent.text
        surface = text[ent.start_char : ent.end_char]
        linked = canonical != ent.text
        out.append(
            EntityMention(
                text=surface,
                label=ent.label_,
                start=ent.start_char,
                end=ent.end_char,
                canonical=original_form(canonical) or canonical,  # a non-empty name stays non-empty
                extractor="spacy+vigie",
                confidence=LINKED_CONFIDENCE if linked else NER_CONFIDENCE,
            )
        )
    return out


def annotate_article(article: Article, doc: Doc) -> None:
    """Copy every annotation of `doc` (made from `model_text(article.text)`) onto `article`.

    Entities need the model's NER, so they are empty for languages that run on a blank pipeline.
    Relative dates resolve against the publication date; an article that carries none takes the date of
    its dateline ("24 mars 2016 – ...") when it has one.
    """
    text = article.text
    if doc.has_annotation("ENT_IOB"):
        article.entities = entities_from_doc(doc, text)
    if article.published is None:
        found = dateline_date(doc)
        if found:
            article.published = found
            article.meta["published_from"] = "dateline"
    article.places = places_from_doc(doc, text, article.published)
    article.quotes = quotes_from_doc(doc, text, article.published)
    article.dates = dates_from_doc(doc, text, article.published)
    article.quantities = quantities_from_doc(doc, text, article.published)
    article.measures = measures_from_doc(doc, text)
    article.events = events_from_doc(doc, text, article.published, article.dates)
