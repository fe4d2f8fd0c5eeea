"""One reader for every data file in `vigie/resources/`: lexicons, word lists, tables.

Every file follows one style: UTF-8, lines starting with "#" are comments (the header says what the file
is for, who reads it and what each column means), blank lines are ignored, other lines are rows of
tab-separated cells. `FILES` declares how many cells each file's rows have; a row with fewer (or more)
fails loudly with the file and line, so a linguist's typo never silently drops an entry.

Word-class files (`<what>_words_<language>.tsv`) hold named lists, one per row: `class<TAB>word, word, multi word`, or
pairs `class<TAB>a = b; c = d`. `word_class(file, name)` gives one list; an unknown class is an error.

This module imports nothing of vigie: every capability may use it.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources

#: Cells per row (fewest, most) of every resource file that is not a word-class file. The test suite checks
#: that each file in resources/ is declared here or is a word-class file, and parses.
FILES: dict[str, tuple[int, int]] = {
    "actor_adjectives.tsv": (3, 3),
    "actor_aliases.tsv": (2, 2),
    "actor_sectors.tsv": (3, 3),
    "country_centroids.tsv": (4, 4),
    "currencies.tsv": (4, 4),
    "dates_lexicon.tsv": (4, 4),
    "demonyms.tsv": (3, 3),
    "event_identity.tsv": (5, 5),
    "event_triggers_en.tsv": (7, 7),
    "event_triggers_fr.tsv": (7, 7),
    "gazetteer_fr.tsv": (4, 4),
    "igos.tsv": (2, 2),
    "iso3166_alpha3.tsv": (2, 2),
    "measure_units.tsv": (4, 4),
    "nonpolitical_topics.tsv": (1, 1),
    "place_abbreviations.tsv": (2, 2),
    "plover_scores.tsv": (3, 3),
    "quantity_roles.tsv": (4, 4),
    "quantity_units.tsv": (4, 5),
    "quantity_words.tsv": (3, 3),
    "regions_fr.tsv": (4, 6),
    "reporting_verbs_en.tsv": (3, 3),
    "reporting_verbs_fr.tsv": (2, 3),
    "story_df.tsv": (2, 2),
}
#: Files with their own format, read by their own module.
OTHER_FILES = {
    "boilerplate_rules.txt": "vigie's cleaning rules: REASON, MAX_CHARS, REGEX per line",
    "event_classifier.npz": "weights of the sentence event classifier (numpy), read by vigie.events.classifier",
    "story_model.json": "settings and weights of the story clustering model, read by vigie.stories.model",
}


def is_word_class_file(name: str) -> bool:
    """Word-class files are named `<what>_words_<language>.tsv` (language: fr, en or all): two cells a row."""
    return name.endswith(".tsv") and "_words_" in name


class LexiconError(ValueError):
    """A resource file that does not parse: its name, the line and what is wrong."""


@dataclass(frozen=True, slots=True)
class Row:
    line: int  # 1-based line number in the file
    cells: tuple[str, ...]


@cache
def read_text(name: str) -> str:
    """The text of `resources/<name>`."""
    try:
        return (resources.files("vigie") / "resources" / name).read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise LexiconError(f"resources/{name}: no such file") from exc


@cache
def read_rows(name: str) -> tuple[Row, ...]:
    """The rows of a declared resource file, each with its line number; cells are stripped."""
    if name in FILES:
        fewest, most = FILES[name]
    elif is_word_class_file(name):
        fewest, most = 2, 2
    else:
        raise LexiconError(f"resources/{name}: not declared in vigie.lexicons.FILES")
    rows = []
    for number, line in enumerate(read_text(name).splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        cells = tuple(cell.strip() for cell in line.split("\t"))
        if not fewest <= len(cells) <= most:
            want = str(fewest) if fewest == most else f"{fewest} to {most}"
            raise LexiconError(f"resources/{name}, line {number}: {len(cells)} cells, expected {want}: {line!r}")
        rows.append(Row(number, cells))
    return tuple(rows)


@cache
def word_classes(name: str) -> dict[str, frozenset[str]]:
    """The named word lists of a word-class file (lower-cased; pair classes give their keys)."""
    out: dict[str, frozenset[str]] = {}
    for row in read_rows(name):
        cls, body = row.cells[0], row.cells[1]
        if cls in out:
            raise LexiconError(f"resources/{name}, line {row.line}: class {cls!r} given twice")
        if "=" in body:
            out[cls] = frozenset(word_pairs(name, cls))
        else:
            out[cls] = frozenset(w.strip().lower() for w in body.split(",") if w.strip())
    return out


def word_class(name: str, cls: str) -> frozenset[str]:
    """One named word list of a word-class file; an unknown class is an error, not an empty list."""
    classes = word_classes(name)
    if cls not in classes:
        raise LexiconError(f"resources/{name}: no class {cls!r} (has {', '.join(sorted(classes))})")
    return classes[cls]


@cache
def pair_classes(name: str) -> dict[str, dict[str, str]]:
    """Every pair class ("a = b; c = d") of a word-class file, by class."""
    out: dict[str, dict[str, str]] = {}
    for row in read_rows(name):
        cls, body = row.cells[0], row.cells[1]
        if "=" not in body:
            continue
        sep = ";" if ";" in body else ","
        table: dict[str, str] = {}
        for item in body.split(sep):
            key, eq, value = item.partition("=")
            if key.strip():
                if not eq:
                    raise LexiconError(f"resources/{name}, line {row.line}: {item.strip()!r} has no '='")
                table[key.strip().lower()] = value.strip().lower()
        out[cls] = table
    return out


def word_pairs(name: str, cls: str) -> dict[str, str]:
    """A pair class ("a = b; c = d") of a word-class file as a dict."""
    pairs = pair_classes(name)
    if cls not in pairs:
        raise LexiconError(f"resources/{name}: no pair class {cls!r}")
    return pairs[cls]
