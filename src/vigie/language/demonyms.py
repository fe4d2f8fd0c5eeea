"""Demonyms (nationality adjectives and nouns) -> ISO 3166-1 alpha-2 country.

The table is `resources/demonyms.tsv`: one line per country with its French masculine singular forms and
its English forms; French feminines and plurals are generated here ("américain" -> "américaine",
"américains", "américaines"). Lookups ignore case, and accents as a fallback ("Israelien").
Peoples without a single country ("Kurdes", "Arabes", "Européens") are demonyms with no country.

    >>> demonym_country("Américaines")
    'US'
    >>> demonym_country("britannique"), demonym_country("Swiss"), demonym_country("Kurdes")
    ('GB', 'CH', None)
    >>> is_demonym("Kurdes"), is_demonym("Paris")
    (True, False)
"""
from __future__ import annotations

import unicodedata
from functools import lru_cache

from vigie.lexicons import read_text

NO_COUNTRY = "-"


def _feminine(masc: str) -> str:
    if masc.endswith("e"):
        return masc  # belge, russe, suisse (irregular "suissesse" is given in the table)
    if masc.endswith(("en", "on")):
        return masc + "ne"  # italien -> italienne, coréen -> coréenne
    return masc + "e"  # français -> française, américain -> américaine, kazakh -> kazakhe


def _plural(word: str) -> str:
    return word if word.endswith(("s", "x", "z")) else word + "s"


def french_forms(entry: str) -> set[str]:
    """All four forms of a French table entry: "grec|grecque" or "américain"."""
    masc, _, fem = entry.partition("|")
    fem = fem or _feminine(masc)
    return {masc, fem, _plural(masc), _plural(fem)}


def english_forms(entry: str) -> set[str]:
    return {entry, entry if entry.endswith("s") else entry + "s"}


def _strip_accents(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text if not unicodedata.combining(c))


def _key(word: str) -> str:
    return " ".join(word.replace("’", "'").lower().split())


@lru_cache(maxsize=1)
def _tables() -> tuple[dict[str, str], frozenset[str]]:
    table: dict[str, str] = {}
    french: set[str] = set()
    text = read_text("demonyms.tsv")
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        country, fr, en = (line.split("\t") + ["", ""])[:3]
        fr_forms: set[str] = set()
        for entry in fr.split(","):
            if entry.strip():
                fr_forms |= french_forms(entry.strip().lower())
        en_forms: set[str] = set()
        for entry in en.split(","):
            if entry.strip():
                en_forms |= english_forms(entry.strip().lower())
        for form in fr_forms | en_forms:
            table.setdefault(_key(form), country.strip())
        french |= {_key(f) for f in fr_forms}
    for form, country in list(table.items()):
        table.setdefault(_strip_accents(form), country)
    french |= {_strip_accents(f) for f in french}
    return table, frozenset(french)


def demonym_table() -> dict[str, str]:
    """Lower-cased form -> country code, or "-" for a people with no single country."""
    return _tables()[0]


def _lookup(word: str) -> str | None:
    if not word:
        return None
    table = demonym_table()
    key = _key(word)
    found = table.get(key)
    if found is None:
        found = table.get(_strip_accents(key))
    return found


def is_demonym(word: str) -> bool:
    """True for a nationality or people word in any gender/number, French or English."""
    return _lookup(word) is not None


def is_french_demonym(word: str) -> bool:
    """A French form ("Américaine", "Britanniques"), as opposed to an English one ("American")."""
    if not word:
        return False
    key = _key(word)
    french = _tables()[1]
    return key in french or _strip_accents(key) in french


def demonym_country(word: str) -> str | None:
    """ISO 3166-1 alpha-2 country of a demonym ("Française" -> "FR"), None if unknown or not one country."""
    found = _lookup(word)
    return None if found in (None, NO_COUNTRY) else found
