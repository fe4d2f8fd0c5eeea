"""Toponym detection: which spans of a Doc name places (resolution is vigie.places's job).

French documents (with the model's NER):
- LOC entities, less leading articles; demonyms, organisation names of the NER gazetteer and parts of treaty
  names ("statut de Rome") are not places; a LOC entity the gazetteer does not know may hold one after
  "de"/"d'" ("aéroport international Atatürk d'Istanbul" -> "Istanbul");
- ORG/MISC entities that are exactly a well-known country, region or city (metonymy: "la Russie a annoncé"),
  and a city or region named at the end of an organisation's name ("Parlement de Londres", "mairie de Paris";
  but not a country: "Comité de l'aviation civile du Kazakhstan" is a national body, not a place mention);
- PER entities that are a known place and that a generic noun or a preposition announces ("la ville de
  Sehwan Sharif", "à Sehwan Sharif"), unless the document uses the name for a person;
- well-known gazetteer names the NER missed: capitalised, not glued to another capitalised word ("Paris
  Saint-Germain", "Michael Jordan"), not a person's name in this document, and only very prominent places at
  the start of a sentence or in a title-case line.
English documents (blank pipeline, no NER) get the gazetteer scan alone.
Each mention then looks left for a generic noun ("gouvernorat d'Idleb", "la péninsule du Sinaï",
"république islamique du Pakistan"): it gives the kind of place and, when nothing stands between the noun and
"de", joins the mention text. A French preposition gives a weaker hint ("à Québec" city, "au Québec" region).
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from spacy.tokens import Doc, Span

from vigie.entities.gazetteer import lookup as ner_lookup
from vigie.language.demonyms import is_demonym
from vigie.language.names import HONORIFICS, fold
from vigie.lexicons import word_class, word_pairs
from vigie.places.index import GeoIndex

# Generic nouns that announce a toponym, and the kind of place they announce.
GENERIC_NOUNS = {**word_pairs("place_words_fr.tsv", "generic_noun"), **word_pairs("place_words_en.tsv", "generic_noun")}
# Nouns of treaties and agreements: the place in "statut de Rome", "accords de Minsk" is part of a name.
TREATY_NOUNS = word_class("place_words_fr.tsv", "treaty_noun") | word_class("place_words_en.tsv", "treaty_noun")
_DE = frozenset({"de", "du", "d'", "d’", "des", "of"})
_ARTICLES = frozenset({"le", "la", "les", "l'", "l’", "the"})
_PREP_CITY = frozenset({"à"})
_PREP_REGION = frozenset({"en", "au", "aux"})
# Words before which a person-labelled place name reads as a place ("à Sehwan Sharif", "près de ...").
_LOCATIVE = _PREP_CITY | _PREP_REGION | frozenset({"dans", "vers", "depuis", "près", "in", "at", "near"})

# Gazetteer names the NER missed are taken only when at least this well known (population; countries and
# curated regions count as 10 million). Calibrated on the dev gold and WiNER-style news: lower thresholds
# add towns that are surnames or common words.
SCAN_MIN_PROMINENCE = 100_000
# ... and at the start of a sentence or in a title-case line ("Man Killed Near Reading"), only the most
# prominent places: countries, curated regions, cities of a million.
SCAN_MIN_PROMINENCE_EXPOSED = 1_000_000
# An ORG/MISC entity that is exactly a place name is a place (metonymy) from this prominence on.
ENTITY_AS_PLACE_MIN = 100_000
# A city named at the end of an organisation's name ("Parlement de Londres") from this prominence on.
EMBEDDED_MIN = 100_000
MAX_NGRAM = 6  # tokens in a gazetteer name ("Saint-Pierre-et-Miquelon" is one token, "mer de Chine méridionale" 4)


@dataclass(slots=True)
class Mention:
    """A toponym found in a Doc: token span of the mention text and of the name inside it."""

    start: int  # token span of the mention text (with a generic noun when it is joined)
    end: int
    name_start: int  # token span of the name alone
    name_end: int
    source: str  # ner | entity | embedded | person | scan
    kind_hint: str | None = None
    prep_hint: str | None = None


def _de_before(doc: Doc, start: int) -> int | None:
    """Index of the "de" / "du" / "d'" just before token `start` ("d ' Istanbul" when a space split it)."""
    if start >= 1 and doc[start - 1].lower_ in _DE:
        return start - 1
    if start >= 2 and doc[start - 1].text in ("'", "’") and doc[start - 2].lower_ == "d":
        return start - 2
    return None


@lru_cache(maxsize=1)
def _stop_words() -> frozenset[str]:
    from spacy.lang.en.stop_words import STOP_WORDS as EN
    from spacy.lang.fr.stop_words import STOP_WORDS as FR

    extra = "hier demain aujourd'hui selon pourtant ensuite enfin lundi mardi mercredi jeudi vendredi samedi dimanche"
    return frozenset(w.lower() for w in FR | EN) | frozenset(extra.split())


class _Tokens:
    """Per-token facts the scan needs, read from the Doc once (attribute access on spaCy tokens is slow)."""

    __slots__ = ("text", "fold", "cap", "iob", "sent_start", "n")

    def __init__(self, doc: Doc) -> None:
        self.text = [t.text for t in doc]
        self.n = len(self.text)
        self.fold = [_fold_word(t) for t in self.text]
        self.cap = [_cap(t) for t in self.text]
        arr = doc.to_array(["ENT_IOB", "SENT_START"]).tolist() if self.n else []
        self.iob = [a[0] for a in arr]  # 0 no NER, 1 inside, 2 outside, 3 begin
        self.sent_start = {i for i, a in enumerate(arr) if a[1] == 1} | {0}


@lru_cache(maxsize=100_000)
def _fold_word(text: str) -> str:
    return fold(text)


@lru_cache(maxsize=100_000)
def _cap(text: str) -> bool:
    """The first letter is a capital ("Pakistan", "-Taliban", "L'Aquila")."""
    for c in text:
        if c.isalpha():
            return c.isupper()
    return False


def _person_words(doc: Doc, toks: _Tokens) -> set[str]:
    """Folded words that name people in this document: tokens of PER entities of two words or more, and
    capitalised words after an honorific ("M. Nancy", "Mr Lincoln")."""
    out: set[str] = set()
    for ent in doc.ents:
        if ent.label_ == "PER" and len(ent) >= 2:
            out.update(toks.fold[i] for i in range(ent.start, ent.end) if toks.cap[i])
    for i in range(toks.n - 1):
        if toks.cap[i + 1] and (toks.fold[i] in HONORIFICS or toks.text[i].lower() in HONORIFICS):
            out.add(toks.fold[i + 1])
    return out


def _trim_articles(doc: Doc, start: int, end: int) -> int:
    while start < end - 1 and doc[start].lower_ in _ARTICLES:
        start += 1
    return start


def _generic_before(doc: Doc, start: int) -> tuple[int | None, str | None, str | None]:
    """(token index of a joinable generic noun, kind it announces, preposition hint) for a name at `start`."""
    if start == 0:
        return None, None, None
    prev = doc[start - 1]
    de = _de_before(doc, start)
    if de is not None:
        # noun [adj [adj]] de NAME
        for back in range(1, 4):
            if de - back < 0:
                break
            tok = doc[de - back]
            kind = GENERIC_NOUNS.get(tok.lower_)
            if kind is not None:
                joined = back == 1 or kind == "country"
                return (tok.i if joined else None), kind, None
            if not (tok.pos_ == "ADJ" or (not tok.pos_ and tok.is_lower and tok.is_alpha)):
                break
        return None, None, None
    if prev.lower_ in _PREP_CITY:
        return None, None, "city"
    if prev.lower_ in _PREP_REGION:
        return None, None, "region"
    return None, None, None


def _treaty_name(doc: Doc, start: int) -> bool:
    """The name is part of a treaty's name: "statut de Rome", "accords de Minsk"."""
    de = _de_before(doc, start)
    return de is not None and de >= 1 and doc[de - 1].lower_ in TREATY_NOUNS


def _longest_known(doc: Doc, start: int, end: int, index: GeoIndex, min_prom: int) -> tuple[int, int] | None:
    """The longest sub-span of [start, end) at its end that names a place at least `min_prom` well known."""
    for s in range(start, end):
        key = fold(doc[s:end].text)
        if index.prominence.get(key, -1) >= min_prom:
            return s, end
    return None


def _tail_after_de(doc: Doc, start: int, end: int) -> int | None:
    """Token index after the last "de"/"d'" inside [start, end) ("Parlement de Londres" -> "Londres")."""
    for i in range(end - 1, start, -1):
        de = _de_before(doc, i)
        if de is not None and de >= start:
            return i
    return None


def _title_case_lines(toks: _Tokens) -> set[int]:
    """Tokens of lines where most words are capitalised (English headlines): the scan is stricter there."""
    out: set[int] = set()
    line: list[int] = []
    for i in range(toks.n + 1):
        if i == toks.n or "\n" in toks.text[i]:
            words = [k for k in line if toks.text[k].isalpha()]
            if len(words) >= 4 and sum(toks.cap[k] for k in words) >= 0.6 * len(words):
                out.update(line)
            line = []
        else:
            line.append(i)
    return out


def find_mentions(doc: Doc, index: GeoIndex) -> list[Mention]:
    """Toponym mentions of `doc`, in text order, without overlaps."""
    found: list[Mention] = []
    taken = bytearray(len(doc))
    toks = _Tokens(doc)
    person = _person_words(doc, toks)

    def add(start: int, end: int, source: str) -> None:
        if start >= end or any(taken[start:end]):
            return
        text = doc[start:end].text
        if is_demonym(text) or _treaty_name(doc, start):
            return
        g = ner_lookup(text)
        if g is not None and (g.label == "ORG" or (g.kind == "other" and g.country is None)):
            return  # organisations, and the Earth, Moon, Sun and planets the NER gazetteer tags LOC
        noun, kind, prep = _generic_before(doc, start)
        m_start = noun if noun is not None and not any(taken[noun:start]) else start
        found.append(Mention(m_start, end, start, end, source, kind, prep))
        for i in range(m_start, end):
            taken[i] = 1

    has_ner = doc.has_annotation("ENT_IOB")
    if has_ner:
        for ent in doc.ents:
            start = _trim_articles(doc, ent.start, ent.end)
            key = fold(doc[start:ent.end].text)
            known = key in index.names
            if ent.label_ == "LOC":
                if known:
                    if key in person and len(doc[start:ent.end]) == 1:
                        continue  # "Fillon" after "François Fillon"
                    add(start, ent.end, "ner")
                    continue
                tail = _tail_after_de(doc, start, ent.end)
                inner = _longest_known(doc, tail, ent.end, index, EMBEDDED_MIN) if tail is not None else None
                if inner is not None:
                    add(inner[0], inner[1], "embedded")
                else:
                    add(start, ent.end, "ner")  # kept only if resolution or a cue supports it (places.py)
            elif ent.label_ in ("ORG", "MISC"):
                if (
                    known
                    and index.prominence.get(key, 0) >= ENTITY_AS_PLACE_MIN
                    and key not in person
                    and _place_kind_ok(index, key)
                ):
                    add(start, ent.end, "entity")
                    continue
                tail = _tail_after_de(doc, start, ent.end)
                if tail is not None:
                    inner = _longest_known(doc, tail, ent.end, index, EMBEDDED_MIN)
                    if inner is not None and not _names_country(index, fold(doc[inner[0]:inner[1]].text)):
                        add(inner[0], inner[1], "embedded")
            elif ent.label_ == "PER":
                if not known or len(ent) > 4:
                    continue
                noun, kind, prep = _generic_before(doc, start)
                before = doc[start - 1].lower_ if start > 0 else ""
                if (kind in ("city", "admin") or prep is not None or before in _LOCATIVE) and not _used_as_person(doc, ent):
                    add(start, ent.end, "person")
    _scan(doc, toks, index, taken, person, add, has_ner)
    found.sort(key=lambda m: m.start)
    return found


def _place_kind_ok(index: GeoIndex, key: str) -> bool:
    """An entity taken whole as a place must name a country, region or city (not only a feature)."""
    return any(index.kind[p >> 2] != 3 for p in index.names.get(key, ()))


def _names_country(index: GeoIndex, key: str) -> bool:
    """The name is (also) a country's: inside an organisation's name it names the nation, not a place
    ("Comité de l'aviation civile du Kazakhstan", "Banque de France")."""
    return any(index.kind[p >> 2] == 0 for p in index.names.get(key, ()))


def _used_as_person(doc: Doc, ent: Span) -> bool:
    """The entity's words also appear inside a longer person name, or after an honorific, in this document."""
    words = {fold(t.text) for t in ent}
    for other in doc.ents:
        if other.label_ == "PER" and len(other) > len(ent) and words <= {fold(t.text) for t in other}:
            return True
    return False


def _scan(doc: Doc, toks: _Tokens, index: GeoIndex, taken: bytearray, person: set[str], add, has_ner: bool) -> None:
    """Gazetteer names the NER missed (or, in English, all of them)."""
    first_words, lower_words = _word_sets(index)
    stop = _stop_words()
    titles = _title_case_lines(toks) if not has_ner else set()
    text, folded, cap, iob, n = toks.text, toks.fold, toks.cap, toks.iob, toks.n
    i = 0
    while i < n:
        w = folded[i]
        if taken[i] or iob[i] in (1, 3) or not w:
            i += 1
            continue
        lower_start = not cap[i]
        if lower_start:
            if w not in lower_words or w in stop:
                i += 1
                continue
        elif w not in first_words or (w in stop and len(text[i]) > 3 and not text[i].isupper()):
            i += 1
            continue
        best = None
        for j in range(min(n, i + MAX_NGRAM), i, -1):
            if not folded[j - 1] or (not lower_start and not cap[j - 1]):
                continue
            key = w if j == i + 1 else fold(doc[i:j].text)
            prom = index.prominence.get(key)
            if prom is not None:
                best = (j, key, prom)
                break
        if best is None:
            i += 1
            continue
        j, key, prom = best
        exposed = i in toks.sent_start or i in titles or (i > 0 and text[i - 1] in ("«", '"', "“", ":"))
        need = SCAN_MIN_PROMINENCE_EXPOSED if exposed else SCAN_MIN_PROMINENCE
        glued_after = j < n and cap[j] and folded[j] and folded[j] not in stop
        glued_before = i > 0 and cap[i - 1] and folded[i - 1] and folded[i - 1] not in stop
        if (
            prom >= need and not glued_after and not glued_before and key not in person
            and not any(taken[i:j]) and not any(iob[k] in (1, 3) for k in range(i, j))
        ):
            add(i, j, "scan")
            i = j
            continue
        i += 1


_FIRST_WORDS: dict[str, tuple[frozenset[str], frozenset[str]]] = {}


def _word_sets(index: GeoIndex) -> tuple[frozenset[str], frozenset[str]]:
    """First words of names prominent enough for the scan; and of the lowercase-initial curated names
    ("mer", "golfe", "régions"), which the scan also tries from a lowercase word."""
    got = _FIRST_WORDS.get(index.version)
    if got is None:
        first = frozenset(k.split(" ", 1)[0] for k, p in index.prominence.items() if p >= SCAN_MIN_PROMINENCE)
        lower = frozenset(index.lower_first_words) - _stop_words()
        got = _FIRST_WORDS[index.version] = (first, lower)
    return got


