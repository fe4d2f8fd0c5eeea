"""The event coder's word lists live in resources/event_words_{fr,en}.tsv; the trigger conditions that read
them are named in the trigger lexicon's header, and a missing class fails loudly."""
from __future__ import annotations

import pytest

from vigie import lexicons
from vigie.events import lexicon
from vigie.events.triggers_fr import MILITARY_WORDS, guess_infinitives


def test_event_word_files_parse():
    for name in ("event_words_fr.tsv", "event_words_en.tsv"):
        assert lexicons.word_classes(name)
    assert "milice" in MILITARY_WORDS


def test_every_condition_names_an_existing_class_in_the_header():
    text = lexicons.read_text("event_triggers_fr.tsv")
    lexicon.check_condition_words("fr", text, "event_triggers_fr.tsv")  # no error
    assert "(event_words_fr.tsv: military)" in text


def test_a_missing_class_fails_loudly(monkeypatch):
    monkeypatch.setitem(lexicon.CONDITION_WORDS["fr"], "military", ("event_words_fr.tsv", ("no_such_class",)))
    with pytest.raises(lexicons.LexiconError, match="condition 'military' reads a missing word list"):
        lexicon.check_condition_words("fr", lexicons.read_text("event_triggers_fr.tsv"), "event_triggers_fr.tsv")


def test_a_condition_the_header_does_not_name_fails_loudly():
    text = lexicons.read_text("event_triggers_fr.tsv").replace("(event_words_fr.tsv: military)", "")
    with pytest.raises(lexicons.LexiconError, match="does not say that condition 'military' reads"):
        lexicon.check_condition_words("fr", text, "event_triggers_fr.tsv")


def test_verb_endings_longest_first():
    assert guess_infinitives("réclame") == ("réclamer",)
    assert guess_infinitives("proclamèrent") == ("proclamer",)  # "èrent", not "ent"
    assert guess_infinitives("finissent") == ("finisser", "finir")  # "issent", not "is"
