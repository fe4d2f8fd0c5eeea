"""Well-known place and organisation names the statistical NER misses or mislabels.

Names: CLDR's French country names (`babel.Locale("fr").territories`) plus `resources/gazetteer_fr.tsv`
(country variants, continents and large regions, capitals and large cities, international and state
organisations). The `vigie_gazetteer` component, run after the NER and the entity filter:
- tags a capitalised, unlabelled occurrence of a name ("le Portugal" missed -> "Portugal" LOC), unless it
  is glued to another capitalised word ("Air France", "France Gall": part of a longer name);
- replaces an entity the name strictly contains ("État" LOC inside "État islamique" -> the ORG);
- relabels an entity that is exactly an organisation name of the list ("Daech" LOC -> ORG).
It never shortens or splits a longer entity ("Tour de France", "Stade de France" stay as they are).
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from vigie.language.names import fold
from vigie.lexicons import read_text
from vigie.nlp.extensions import GuardedComponent, register_extensions

# CLDR codes that are not countries, or whose French name is not how news name them.
_NOT_COUNTRIES = frozenset({"EU", "EZ", "UN", "XA", "XB", "ZZ", "QO", "AC", "CP", "DG", "EA", "IC", "TA", "UM"})
# CLDR country names that are also first names or common words ("Maurice" Papon, "Dominique", a "grenade").
_AMBIGUOUS = frozenset({"Maurice", "Dominique", "Grenade"})


@dataclass(frozen=True)
class GazetteerEntry:
    name: str
    label: str  # LOC | ORG
    country: str | None  # ISO 3166-1 alpha-2, None for regions spanning countries and for IGOs
    kind: str  # country | admin | city | region | org


def _cldr_countries() -> list[GazetteerEntry]:
    try:
        from babel import Locale
    except ImportError:  # pragma: no cover - babel is a dependency; degrade to the TSV alone
        return []
    out = []
    for code, name in Locale("fr").territories.items():
        if len(code) != 2 or not code.isalpha() or code in _NOT_COUNTRIES:
            continue
        # "Myanmar (Birmanie)" -> both names; "R.A.S. chinoise de Hong Kong" is given by the TSV
        names = [n.strip(" )") for n in name.split("(")]
        for n in names:
            if n and not n.startswith("R.A.S.") and n not in _AMBIGUOUS:
                out.append(GazetteerEntry(n, "LOC", code, "country"))
    return out


def _tsv_entries() -> list[GazetteerEntry]:
    text = read_text("gazetteer_fr.tsv")
    out = []
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) < 4:
            continue
        label, country, name, kind = (p.strip() for p in parts[:4])
        out.append(GazetteerEntry(name, label, None if country == "-" else country, kind))
    return out


@lru_cache(maxsize=1)
def gazetteer_entries() -> tuple[GazetteerEntry, ...]:
    return tuple(_cldr_countries() + _tsv_entries())


@lru_cache(maxsize=1)
def _by_folded_name() -> dict[str, GazetteerEntry]:
    table: dict[str, GazetteerEntry] = {}
    for e in gazetteer_entries():
        table.setdefault(fold(e.name), e)
    return table


def lookup(name: str) -> GazetteerEntry | None:
    """The entry for a name, ignoring case, accents and apostrophe style ("cote d'ivoire" -> CI)."""
    return _by_folded_name().get(fold(name)) if name else None


def is_known_place(name: str) -> bool:
    e = lookup(name)
    return e is not None and e.label == "LOC"


def is_country_name(name: str) -> bool:
    e = lookup(name)
    return e is not None and e.kind == "country"


def _capitalised_word(tok) -> bool:
    return tok.is_alpha and tok.text[:1].isupper()


def _openers() -> frozenset[str]:
    from spacy.lang.fr.stop_words import STOP_WORDS

    extra = "hier demain aujourd'hui selon pourtant ensuite enfin lundi mardi mercredi jeudi vendredi samedi dimanche"
    return frozenset(STOP_WORDS) | frozenset(extra.split())


# Capitalised words that may stand before a country without being part of its name ("En France").
_OPENERS = _openers()


@Language.factory("vigie_gazetteer", requires=["doc.ents"], assigns=["doc.ents"])
def make_gazetteer(nlp: Language, name: str) -> GuardedComponent:
    return GuardedComponent(name, GazetteerTagger(nlp).tag)


class GazetteerTagger:
    def __init__(self, nlp: Language) -> None:
        register_extensions()
        self.matcher = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.labels: dict[int, str] = {}
        by_label: dict[str, list[str]] = {}
        for e in gazetteer_entries():
            for variant in {e.name, e.name.replace("’", "'")}:
                by_label.setdefault(e.label, []).append(variant)
        for label, names in by_label.items():
            key = nlp.vocab.strings.add(f"vigie_gaz_{label}")
            self.labels[key] = label
            self.matcher.add(f"vigie_gaz_{label}", [nlp.make_doc(n) for n in sorted(set(names))])

    def tag(self, doc: Doc) -> None:
        if not len(doc):
            return
        ents = list(doc.ents)
        ent_of = {}
        for e in ents:
            for i in range(e.start, e.end):
                ent_of[i] = e
        add: list[Span] = []
        drop: set[tuple[int, int]] = set()
        for key, start, end in self.matcher(doc):
            label = self.labels[key]
            covering = {ent_of[i] for i in range(start, end) if i in ent_of}
            if not covering:
                before = doc[start - 1] if start > 0 else None
                after = doc[end] if end < len(doc) else None
                if after is not None and _capitalised_word(after):
                    continue  # "France Gall", "Paris Saint-Germain"
                if before is not None and _capitalised_word(before) and before.lower_ not in _OPENERS:
                    continue  # "Air France", "Radio Canada" (but "En France", "Selon Paris")
                add.append(Span(doc, start, end, label=label))
                continue
            if len(covering) == 1:
                ent = next(iter(covering))
                if (ent.start, ent.end) == (start, end):
                    if label == "ORG" and ent.label_ != "ORG":
                        drop.add((ent.start, ent.end))
                        add.append(Span(doc, start, end, label=label))
                    continue
            if all(start <= e.start and e.end <= end for e in covering):
                # the name holds the entities the NER found: "État" inside "État islamique"
                for e in covering:
                    drop.add((e.start, e.end))
                add.append(Span(doc, start, end, label=label))
        if add:
            kept = [e for e in ents if (e.start, e.end) not in drop]
            doc.ents = filter_spans(kept + add)
