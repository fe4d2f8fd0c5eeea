"""One speaker entity across the store: a short name goes with the fullest stored name it belongs to.

Each article names its speakers from its own text: one stores "Obama", another "Barack Obama". The store keeps
what each article said (it does not rewrite names at write time: entity names are made canonical per
document, in `vigie.entities.canonical`) and groups speakers when it reads them, with the rule entities
follow inside a document: a name goes with the fullest name whose name tokens (`name_tokens`: folded,
without honorifics) contain its own and end with the same last token. Across the store there is no nearest
mention to prefer, so of several such names the most quoted wins, and then its own fullest name ("Obama" ->
"Barack Obama" -> "Barack Hussein Obama"). Names with the same tokens ("Mr. Obama", "Obama") are one speaker,
shown with its most quoted spelling.

Only names are grouped: capitalised words, maybe joined by a lower-case particle ("Charles de Gaulle").
Descriptions ("officials", "the Clinton campaign") stay as they are.

One person across languages: `person_key` reduces a person's name to a spelling key, token by token, with the
rules of `resources/transliteration_words_all.tsv` ("Vladimir Poutine" and "Vladimir Putin" -> ("vladimir",
"putin"); "Volodymyr Zelenskyy" and "Volodymyr Zelensky" -> ("volodimir", "zelenski")). The store's entity
reads (`list_entities`, `get_entity`) take the PER names of one key for one entity (`group_persons`), shown under
the spelling French articles use most. Names are linked only when every token matches under the rules: a
surname alone does not join a full name there, and translated first names the rules do not cover
("Mohammed" / "Muhammad") stay apart.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from functools import lru_cache

from vigie.language.names import name_tokens
from vigie.lexicons import word_class, word_pairs

# Lower-case particles inside a name ("Charles de Gaulle", "Ursula von der Leyen").
PARTICLES = word_class("quote_words_en.tsv", "name_particle") | {
    p.lower() for p in word_class("entity_words_fr.tsv", "particle")}
_NON_LIKE = re.compile(r"[%_\\]")
_DOUBLED = re.compile(r"([a-z])\1+")
SPELLING_FILE = "transliteration_words_all.tsv"

Tokens = tuple[str, ...]


def is_name(speaker: str) -> bool:
    """Capitalised words, maybe with lower-case particles between them: "Barack Obama", "Charles de Gaulle"."""
    words = speaker.split()
    if not words or not any(c.isalpha() for c in speaker):
        return False
    return all(w[:1].isupper() or not w[:1].isalpha() or (w in PARTICLES and i < len(words) - 1)
               for i, w in enumerate(words))


def last_word(name: str) -> str:
    """The last word of a name, for a LIKE filter on speakers that may share its last token ("" if none)."""
    words = name.split()
    return _NON_LIKE.sub("", words[-1]) if words else ""


def group_speakers(counts: dict[str, int]) -> dict[str, str]:
    """{speaker: the name of its group} for every speaker in `counts` ({speaker: number of quotes})."""
    keys: dict[str, Tokens] = {}
    spellings: dict[Tokens, list[str]] = defaultdict(list)
    quoted: dict[Tokens, int] = defaultdict(int)
    for name, n in counts.items():
        toks = tuple(name_tokens(name)) if is_name(name) else ()
        if toks:
            keys[name] = toks
            spellings[toks].append(name)
            quoted[toks] += n
    by_last: dict[str, list[Tokens]] = defaultdict(list)
    for toks in spellings:
        by_last[toks[-1]].append(toks)
    fullest: dict[Tokens, Tokens] = {}

    def resolve(toks: Tokens) -> Tokens:
        if toks not in fullest:
            wanted = set(toks)
            longer = [o for o in by_last[toks[-1]] if len(o) > len(toks) and wanted <= set(o)]
            best = max(longer, key=lambda o: (quoted[o], len(o), o), default=None)
            fullest[toks] = toks if best is None else resolve(best)
        return fullest[toks]

    shown = {toks: max(names, key=lambda s: (counts[s], len(s), s)) for toks, names in spellings.items()}
    return {name: shown[resolve(keys[name])] if name in keys else name for name in counts}


def grouped_counts(rows: Iterable[tuple[str, int]]) -> list[tuple[str, int]]:
    """(speaker, quotes) rows summed by group, most quoted first, then by name."""
    counts = dict(rows)
    totals: dict[str, int] = defaultdict(int)
    for name, group in group_speakers(counts).items():
        totals[group] += counts[name]
    return sorted(totals.items(), key=lambda kv: (-kv[1], kv[0]))


def members(name: str, counts: dict[str, int]) -> list[str]:
    """The stored speakers (keys of `counts`) of the group `name` belongs to; `name` itself, stored or not,
    is one of them (an entity's full name that no quote spells out still gathers its short names)."""
    groups = group_speakers({name: 0, **counts})
    mine = groups[name]
    return sorted({s for s, g in groups.items() if g == mine} | {name})


# ---------------------------------------------------------------- one person across languages


@lru_cache(maxsize=1)
def _rules() -> tuple[tuple[tuple[str, str], ...], tuple[tuple[str, str], ...]]:
    return (tuple(word_pairs(SPELLING_FILE, "spelling").items()),
            tuple(word_pairs(SPELLING_FILE, "surname_ending").items()))


def spelling_key(token: str, last: bool = False) -> str:
    """A folded name token under the spelling rules ("poutine" -> "putin" as a family name, "zelenskyy" ->
    "zelenski"); `last` adds the family-name rules."""
    every, surname = _rules()
    s = "^" + _DOUBLED.sub(r"\1", token) + "$"
    for old, new in every + (surname if last else ()):
        s = s.replace(old, new)
    return _DOUBLED.sub(r"\1", s.strip("^$"))


@lru_cache(maxsize=100_000)
def person_key(name: str) -> Tokens | None:
    """The spelling key of a person's name (None when it does not start with a capital letter: a description,
    a lower-case word). Lower-case parts are kept ("Bachar el-Assad": the NER said it is a person)."""
    first = next((c for c in name if c.isalpha()), "")
    if not first.isupper():
        return None
    toks = name_tokens(name)
    return tuple(spelling_key(t, last=i == len(toks) - 1) for i, t in enumerate(toks)) or None


def group_persons(names: Iterable[str]) -> dict[str, list[str]]:
    """{a name: the names of its person} for every name sharing its spelling key with another one (names
    alone in their key are left out)."""
    by_key: dict[Tokens, list[str]] = defaultdict(list)
    for name in names:
        key = person_key(name)
        if key is not None:
            by_key[key].append(name)
    out: dict[str, list[str]] = {}
    for group in by_key.values():
        if len(group) > 1:
            members = sorted(set(group))
            for name in members:
                out[name] = members
    return out
