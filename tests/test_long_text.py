"""Long articles: the model runs on chunks, vigie's components on the joined Doc (vigie.nlp.long_text).

The texts are news-like French paragraphs written for these tests, repeated; small `chunk_chars` and
`long_text_chars` stand for the real sizes (tens of thousands of characters) so the model runs stay short.
"""
from __future__ import annotations

import json
from itertools import pairwise

import numpy
import pytest
import spacy
from spacy.attrs import DEP, ENT_IOB, ENT_TYPE, HEAD, LEMMA, MORPH, POS, SENT_START, TAG
from spacy.tokens import Doc, Span, Token

from vigie.analysis.from_doc import annotate_article
from vigie.analysis.load import load_english, model_text
from vigie.contract import to_record
from vigie.nlp.long_text import (
    TimeBudgetExceeded,
    analyse_text,
    analyse_texts,
    chunk_spans,
    join_docs,
    model_pipe_count,
)
from vigie.records import Article

PARAGRAPHS = [
    "Le ministre de l’Intérieur du Sénégal, Antoine Diome, s’est rendu mardi à Ziguinchor, au lendemain des "
    "affrontements qui ont opposé l’armée à des rebelles dans la région de Casamance.",
    "« Nous ne laisserons pas la violence s’installer dans la région », a-t-il déclaré devant la presse, selon "
    "un communiqué du ministère publié le 14 mars 2023.",
    "Selon les autorités locales, au moins douze personnes ont été tuées et une trentaine blessées depuis le "
    "début des combats. L’Organisation des Nations unies (ONU) a appelé au calme.",
    "Plusieurs centaines d’habitants ont fui vers la Gambie voisine, où le Haut-Commissariat des Nations unies "
    "pour les réfugiés a ouvert un camp près de Bignona. M. Diome doit rencontrer jeudi les chefs de village.",
]
ARTICLE = "\n".join(PARAGRAPHS)  # cleaned articles keep one paragraph per line


def long_article(repeats: int, sep: str = "\n") -> str:
    return sep.join(ARTICLE for _ in range(repeats))


def record(text: str, doc: Doc) -> dict:
    article = Article(id="a", raw=text, text=text, published="2023-03-15", language="fr")
    annotate_article(article, doc)
    return to_record(article)


# ------------------------------------------------------------------------------------------- cutting


@pytest.mark.parametrize("text", [
    long_article(8, "\n\n"),
    long_article(8),
    long_article(8).replace("\n", " "),
    "mot " * 3000,
    "x" * 10_001,
    "",
    " \n " * 500,
])
def test_chunks_cover_the_text_within_the_size(text: str) -> None:
    spans = chunk_spans(text, 700)
    assert "".join(text[s:e] for s, e in spans) == text
    assert all(0 < e - s <= 700 for s, e in spans) or text == ""
    assert all(a[1] == b[0] for a, b in pairwise(spans))


def test_cuts_prefer_paragraphs_then_lines_then_sentences_then_spaces() -> None:
    one = ARTICLE.replace("\n", " ")
    text = one + "\n\n" + one + "\n" + one + " " + one
    size = len(one) + 10
    spans = chunk_spans(text, size)
    ends = [e for _, e in spans[:-1]]
    assert text[ends[0] - 2 : ends[0]] == "\n\n"  # a blank line
    assert text[ends[1] - 1] == "\n"  # then a line break
    assert text[ends[2] - 2 : ends[2]] == ". "  # then the end of a sentence
    words = "aaaa " * 400
    assert all(words[e - 1] == " " for _, e in chunk_spans(words, 333)[:-1])  # then a space
    assert [e - s for s, e in chunk_spans("x" * 1000, 300)] == [300, 300, 300, 100]  # else anywhere


def test_a_cut_never_makes_a_tiny_chunk_for_a_blank_line_near_its_start() -> None:
    text = "Titre\n\n" + PARAGRAPHS[0].replace("\n", " ") * 20
    spans = chunk_spans(text, 1000)
    assert spans[0][1] > 250  # not right after "Titre\n\n"


# ------------------------------------------------------------------------------------------- the model


def test_short_text_is_exactly_nlp(nlp) -> None:
    text = model_text(ARTICLE)
    doc = analyse_text(nlp, text)
    ref = nlp(text)
    assert doc.to_json() == ref.to_json()
    assert json.dumps(record(ARTICLE, doc)) == json.dumps(record(ARTICLE, ref))


def test_the_join_keeps_what_the_components_need(nlp) -> None:
    """One chunk through Doc.from_docs and the document components gives the records of nlp(text)."""
    text = model_text(long_article(2))
    joined = analyse_text(nlp, text, long_text_chars=0, chunk_chars=len(text))
    assert json.dumps(record(long_article(2), joined)) == json.dumps(record(long_article(2), nlp(text)))


def test_long_text_offsets_point_into_the_whole_text(nlp) -> None:
    article = long_article(6)
    text = model_text(article)
    spans = chunk_spans(text, 1200)
    assert len(spans) >= 4
    doc = analyse_text(nlp, text, long_text_chars=2000, chunk_chars=1200)
    assert doc.text == text
    assert doc.has_annotation("DEP") and doc.has_annotation("LEMMA") and doc.has_annotation("MORPH")
    for start, _ in spans:  # every chunk starts a sentence and no arc crosses a cut
        tok = doc.char_span(start, start + 1, alignment_mode="expand")[0]
        assert tok.is_sent_start
    for tok in doc:
        if not tok.is_space:
            chunk = next(k for k, (s, e) in enumerate(spans) if s <= tok.idx < e)
            assert spans[chunk][0] <= tok.head.idx < spans[chunk][1]
    # entities in every repetition, with offsets into the whole text
    persons = [e for e in doc.ents if e.label_ == "PER"]
    assert len({article[: e.start_char].count("\n") // len(PARAGRAPHS) for e in persons}) == 6
    rec = record(article, doc)
    assert {e["canonical"] for e in rec["entities"] if e["label"] == "PER"} == {"Antoine Diome"}
    for area in ("entities", "quotes", "dates", "quantities", "places"):
        assert rec[area], area
        for item in rec[area]:
            assert article[item["start"] : item["end"]] == item["text"], (area, item)
    assert len(rec["quotes"]) >= 6 and all(q["speaker"] == "Antoine Diome" for q in rec["quotes"] if q["direct"])
    for ev in rec["events"]:
        assert 0 <= ev["start"] < ev["end"] <= len(article)
        assert article[ev["evidence_start"] : ev["evidence_end"]].strip() == ev["evidence"]


def test_a_text_without_line_breaks_is_cut(nlp) -> None:
    article = long_article(5).replace("\n", " ")
    text = model_text(article)
    assert len(chunk_spans(text, 700)) >= 5
    doc = analyse_text(nlp, text, long_text_chars=1000, chunk_chars=700)
    assert doc.text == text
    assert len([e for e in doc.ents if e.text == "Antoine Diome"]) == 5


def test_analyse_texts_keeps_order_and_chunks_only_long_texts(nlp) -> None:
    texts = [model_text(t) for t in (PARAGRAPHS[0], long_article(3), PARAGRAPHS[1], PARAGRAPHS[2], PARAGRAPHS[3])]
    out = list(analyse_texts(nlp, [(t, k) for k, t in enumerate(texts)], batch_size=2, batch_chars=400,
                             long_text_chars=1000, chunk_chars=600))
    assert [k for _, k in out] == [0, 1, 2, 3, 4]
    assert [d.text for d, _ in out] == texts
    for doc, k in out:
        if k != 1:
            assert doc.to_json() == nlp(texts[k]).to_json()
    assert out[1][0].to_json() == analyse_text(nlp, texts[1], long_text_chars=1000, chunk_chars=600).to_json()


def test_time_budget(nlp) -> None:
    text = model_text(long_article(3))
    with pytest.raises(TimeBudgetExceeded, match="chunk 1 of"):
        analyse_text(nlp, text, long_text_chars=1000, chunk_chars=600, time_budget=-1)
    with pytest.raises(TimeBudgetExceeded, match="tok2vec"):
        analyse_text(nlp, model_text(ARTICLE), time_budget=-1)
    short = model_text(ARTICLE)
    assert analyse_text(nlp, short, time_budget=60).to_json() == nlp(short).to_json()
    long = analyse_text(nlp, text, long_text_chars=1000, chunk_chars=600, time_budget=60)
    assert long.to_json() == analyse_text(nlp, text, long_text_chars=1000, chunk_chars=600).to_json()


def test_join_docs_shifts_offsets_and_keeps_annotations(nlp) -> None:
    if not Token.has_extension("vigie_test_mark"):
        Token.set_extension("vigie_test_mark", default=None)
        Span.set_extension("vigie_test_mark", default=None)
    split = model_pipe_count(nlp)
    parts = [model_text(p) + "\n" for p in PARAGRAPHS]
    docs = [nlp(p, disable=nlp.pipe_names[split:]) for p in parts]
    docs[1][3]._.vigie_test_mark = "token"
    docs[2][0:2]._.vigie_test_mark = "span"
    docs[0]._.vigie_errors = ["a"]
    docs[2]._.vigie_errors = ["b"]
    docs[1]._.acronyms = {"ONU": "Organisation des Nations unies"}
    offsets = numpy.cumsum([0] + [len(d) for d in docs])
    chars = numpy.cumsum([0] + [len(p) for p in parts])
    ents = [(e.start_char + chars[k], e.end_char + chars[k], e.label_) for k, d in enumerate(docs) for e in d.ents]
    attrs = [LEMMA, POS, TAG, DEP, HEAD, ENT_IOB, ENT_TYPE, SENT_START, MORPH]
    arrays = numpy.concatenate([d.to_array(attrs) for d in docs])
    joined = join_docs(docs)
    assert joined.text == "".join(parts)
    assert (joined.to_array(attrs) == arrays).all()
    assert [(e.start_char, e.end_char, e.label_) for e in joined.ents] == ents
    assert joined[int(offsets[1]) + 3]._.vigie_test_mark == "token"
    assert joined[int(offsets[2]) : int(offsets[2]) + 2]._.vigie_test_mark == "span"
    assert joined._.vigie_errors == ["a", "b"]
    assert joined._.acronyms == {"ONU": "Organisation des Nations unies"}


def test_model_pipes_end_with_the_ner_and_hold_the_line_breaks(nlp) -> None:
    split = model_pipe_count(nlp)
    assert nlp.pipe_names[split - 1] == "ner" and "vigie_line_breaks" in nlp.pipe_names[:split]
    assert all(name.startswith("vigie_") for name in nlp.pipe_names[split:])
    assert model_pipe_count(load_english()) == 6  # the English model: tok2vec, tagger, parser, attribute_ruler, lemmatizer, ner


# ------------------------------------------------------------------------------------------- English


def test_english_blank_pipeline_is_not_chunked() -> None:
    en = load_english()
    text = model_text((
        "The minister said on Tuesday that twelve people were killed in clashes near the border. "
        "\"We will not let violence settle in the region,\" he told reporters in Dakar."
    ) * 40)
    doc = analyse_text(en, text, long_text_chars=500, chunk_chars=300)
    ref = en(text)
    assert doc.text == text
    assert doc._.quotes == ref._.quotes and doc._.dates == ref._.dates and doc._.events == ref._.events


def test_blank_pipeline_beyond_max_length() -> None:
    blank = spacy.blank("en")
    blank.add_pipe("sentencizer")
    blank.max_length = 1000
    text = "One sentence here. " * 200
    doc = analyse_text(blank, text, long_text_chars=100)
    assert doc.text == text and len(list(doc.sents)) == 200
