"""Every resource file is declared, parses with its columns, and a bad row fails loudly."""
from __future__ import annotations

from importlib import resources

import pytest

from vigie import lexicons


def test_every_resource_file_is_declared_and_parses():
    names = {p.name for p in resources.files("vigie").joinpath("resources").iterdir() if p.is_file()}
    undeclared = {n for n in names - set(lexicons.FILES) - set(lexicons.OTHER_FILES) if not lexicons.is_word_class_file(n)}
    assert not undeclared, f"declare these in vigie.lexicons.FILES: {sorted(undeclared)}"
    for name in names - set(lexicons.OTHER_FILES):
        assert lexicons.read_rows(name), name
        if lexicons.is_word_class_file(name):
            assert lexicons.word_classes(name), name


def test_a_short_row_names_the_file_and_line(monkeypatch):
    monkeypatch.setitem(lexicons.FILES, "fake.tsv", (3, 3))
    monkeypatch.setattr(lexicons, "read_text", lambda name: "# header\nok\ta\tb\nshort\trow\n")
    lexicons.read_rows.cache_clear()
    try:
        with pytest.raises(lexicons.LexiconError, match=r"fake.tsv, line 3: 2 cells, expected 3"):
            lexicons.read_rows("fake.tsv")
    finally:
        lexicons.read_rows.cache_clear()


def test_word_classes_and_pairs(monkeypatch):
    text = "# classes\ntitle\tPrésident, ministre , chef d'état\nsame\tcheffe = chef; reine = roi\n"
    monkeypatch.setattr(lexicons, "read_text", lambda name: text)
    for f in (lexicons.read_rows, lexicons.word_classes, lexicons.pair_classes):
        f.cache_clear()
    try:
        assert lexicons.word_class("fake_words_fr.tsv", "title") == {"président", "ministre", "chef d'état"}
        assert lexicons.word_pairs("fake_words_fr.tsv", "same") == {"cheffe": "chef", "reine": "roi"}
        with pytest.raises(lexicons.LexiconError, match="no class 'nope'"):
            lexicons.word_class("fake_words_fr.tsv", "nope")
    finally:
        for f in (lexicons.read_rows, lexicons.word_classes, lexicons.pair_classes):
            f.cache_clear()
