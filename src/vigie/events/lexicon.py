"""The event lexicons (`resources/event_triggers_{fr,en}.tsv`, `actor_sectors.tsv`, `igos.tsv`), loaded once."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from vigie.events import plover
from vigie.language.names import fold
from vigie.lexicons import LexiconError, read_text, word_class


@dataclass(frozen=True, slots=True)
class TriggerEntry:
    """One line of a trigger lexicon: a lemma (French) or word form (English) that signals an event."""

    lemma: str
    pos: str  # V | N (French); V | N | P (English phrase)
    type: str
    mode: str | None
    requires: tuple[tuple[str, frozenset[str]], ...]  # (condition, argument words)
    roles: dict[str, str]  # "de" -> "source", "obj" -> "target", "inverse" -> "yes"
    weight: float


def _rows(name: str) -> list[list[str]]:
    text = read_text(name)
    return [line.split("\t") for line in text.splitlines() if line.strip() and not line.startswith("#")]


def _requires(cell: str) -> tuple[tuple[str, frozenset[str]], ...]:
    out = []
    for part in cell.split(","):
        part = part.strip()
        if not part or part == "-":
            continue
        key, _, words = part.partition("=")
        out.append((key, frozenset(w.lower() for w in words.split("|") if w)))
    return tuple(out)


def _roles(cell: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for part in cell.split(","):
        part = part.strip()
        if not part or part == "-":
            continue
        key, _, role = part.partition("=")
        out[key] = role or "yes"
    return out


def _entry(row: list[str]) -> TriggerEntry:
    lemma, pos, typ, mode, requires, roles, weight = (row + ["-"] * 7)[:7]
    return TriggerEntry(
        lemma=lemma.lower(),
        pos=pos,
        type=typ,
        mode=None if mode == "-" else mode,
        requires=_requires(requires),
        roles=_roles(roles),
        weight=float(weight) if weight not in ("-", "") else 0.7,
    )


#: Columns of a trigger lexicon line: lemma, pos, type, mode, requires, roles, weight.
TRIGGER_COLUMNS = 7
#: Parts of speech of a trigger line; "A" marks an accusatory word (no type, no mode).
TRIGGER_POS = frozenset({"V", "N", "P", "A"})


def check_trigger_row(row: list[str]) -> str | None:
    """What is wrong with one trigger lexicon line, checked against `vigie.events.plover`; None when nothing."""
    if len(row) != TRIGGER_COLUMNS:
        return (f"expected {TRIGGER_COLUMNS} tab-separated columns (lemma, pos, type, mode, requires, roles, "
                f"weight), got {len(row)}")
    lemma, pos, typ, mode, _, _, weight = row
    if not lemma.strip():
        return "empty lemma"
    if pos not in TRIGGER_POS:
        return f"unknown pos {pos!r} (expected one of {', '.join(sorted(TRIGGER_POS))})"
    if pos == "A":
        return None if (typ, mode) == ("-", "-") else "an accusatory word (pos A) has type and mode '-'"
    if not plover.is_type(typ):
        return f"unknown PLOVER type {typ!r}"
    if mode != "-" and not plover.is_mode(typ, mode):
        return f"unknown mode {mode!r} for {typ} (expected '-' or one of {', '.join(sorted(plover.modes()[typ]))})"
    if weight not in ("-", ""):
        try:
            float(weight)
        except ValueError:
            return f"weight {weight!r} is not a number"
    return None


def parse_triggers(text: str, name: str = "<text>") -> dict[str, tuple[TriggerEntry, ...]]:
    """Lemma (French) or first word (English) -> its trigger entries, from a trigger lexicon's text. Raises a
    ValueError naming `name`, the line and the problem on the first line that is short or whose type or mode
    is not PLOVER's (`vigie.events.plover`)."""
    table: dict[str, list[TriggerEntry]] = {}
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        row = line.split("\t")
        problem = check_trigger_row(row)
        if problem:
            raise ValueError(f"{name} line {n}: {problem}: {line!r}")
        if row[1] == "A":
            continue
        e = _entry(row)
        table.setdefault(e.lemma, []).append(e)
    return {k: tuple(v) for k, v in table.items()}


#: Trigger conditions that read a word list, per language: condition -> (word-class file, classes). The header
#: of `event_triggers_<lang>.tsv` names the same file and classes ("(event_words_fr.tsv: military)"), so the
#: lexicon's editor sees which list a condition depends on; `triggers` checks both.
CONDITION_WORDS: dict[str, dict[str, tuple[str, tuple[str, ...]]]] = {
    "fr": {
        "military": ("event_words_fr.tsv", ("military",)),
        "person": ("event_words_fr.tsv", ("non_human", "person_pronoun")),
        "compl": ("event_words_fr.tsv", ("compl_support_verb",)),
        "cible": ("event_words_fr.tsv", ("cible_head",)),
    },
    "en": {},
}


def check_condition_words(lang: str, text: str, name: str) -> None:
    """Fail loudly (LexiconError) when a class a trigger condition reads is missing from its file, or when the
    lexicon's header does not name the file and classes a condition reads."""
    header = "\n".join(line for line in text.splitlines() if line.startswith("#"))
    for cond, (file, classes) in CONDITION_WORDS.get(lang, {}).items():
        for cls in classes:
            try:
                word_class(file, cls)
            except LexiconError as exc:
                raise LexiconError(f"{name}: condition {cond!r} reads a missing word list: {exc}") from exc
        named = f"({file}: {', '.join(classes)})"
        if named not in header:
            raise LexiconError(f"{name}: the header does not say that condition {cond!r} reads {named}")


@lru_cache(maxsize=2)
def triggers(lang: str) -> dict[str, tuple[TriggerEntry, ...]]:
    """Lemma (French) or first word (English) -> its trigger entries (every line checked: `parse_triggers`;
    the word lists its conditions read: `check_condition_words`)."""
    name = f"event_triggers_{lang}.tsv"
    text = read_text(name)
    check_condition_words(lang, text, f"resources/{name}")
    return parse_triggers(text, f"resources/{name}")


@lru_cache(maxsize=2)
def pejorative_words(lang: str = "fr") -> frozenset[str]:
    """Accusatory words of the lexicon ("qualifier X de terroriste" is an accusation)."""
    return frozenset(row[0].lower() for row in _rows(f"event_triggers_{lang}.tsv") if len(row) > 1 and row[1] == "A")


@lru_cache(maxsize=1)
def sectors() -> dict[str, tuple[str | None, bool]]:
    """Actor word (lower case) -> (PLOVER sector or None, is a generic perpetrator word)."""
    out: dict[str, tuple[str | None, bool]] = {}
    for row in _rows("actor_sectors.tsv"):
        word, sector, cls = (row + ["-", "-"])[:3]
        value = (None if sector.strip() == "-" else sector.strip(), cls.strip() == "perp")
        out.setdefault(word.strip().lower(), value)
        out.setdefault(fold(word), value)  # "etat islamique", "al qaida": names are looked up folded
    return out


@lru_cache(maxsize=1)
def nonpolitical_topics() -> frozenset[str]:
    """Title words of sports and culture articles (`resources/nonpolitical_topics.tsv`)."""
    return frozenset(row[0].strip().lower() for row in _rows("nonpolitical_topics.tsv") if row and row[0].strip())


@lru_cache(maxsize=1)
def actor_adjectives() -> dict[str, tuple[str, str]]:
    """Adjective -> (actor noun, sector): "populaire" -> ("population", "CVL")."""
    return {row[0].strip(): (row[1].strip(), row[2].strip()) for row in _rows("actor_adjectives.tsv") if len(row) > 2}


@lru_cache(maxsize=1)
def _aliases() -> dict[str, tuple[str, bool]]:
    """Folded alias -> (name, the alias is an acronym)."""
    return {fold(row[0]): (row[1].strip(), row[0].isupper()) for row in _rows("actor_aliases.tsv") if len(row) > 1}


def actor_alias(name: str) -> str:
    """The one name of a well-known actor ("Daech" -> "État islamique"), else `name` unchanged."""
    found = _aliases().get(fold(name))
    if found is None or (found[1] and not name.strip().isupper()):
        return name  # an acronym counts only written in capitals ("EI", not the word "ei")
    return found[0]


@lru_cache(maxsize=1)
def igos() -> dict[str, str]:
    """Folded IGO name or acronym -> sector."""
    return {fold(row[0]): (row[1].strip() if len(row) > 1 else "IGO") for row in _rows("igos.tsv")}


def igo_sector(name: str | None) -> str | None:
    """The sector of an IGO named `name` (full name, acronym, or a name that starts with one), else None."""
    if not name:
        return None
    key = fold(name)
    table = igos()
    if key in table:
        return table[key]
    # "conseil des droits de l'homme des Nations unies", "l'ONU" inside a longer phrase; one-word names
    # only as written in capitals, so the French article "un" is not the UN
    raw = name.replace("’", "'").replace("'", " ").split()
    words = key.split()
    for n in (5, 4, 3, 2):
        for i in range(0, max(0, len(words) - n + 1)):
            if " ".join(words[i : i + n]) in table:
                return table[" ".join(words[i : i + n])]
    for w in raw:
        if len(w) >= 2 and w.isupper() and fold(w) in table:
            return table[fold(w)]
    return None
