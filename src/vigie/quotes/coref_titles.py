"""The titles a French document gives to people, for descriptions like "le président kazakh".

Built from appositions around person entities: "Le président du Kazakhstan, Kassym-Jomart Tokaïev," (title
before), "Bekir Bozdag, ministre de la Justice," (title after), "le président Denis Sassou-Nguesso" (no
comma). Each entry keeps the title (normalised: "chef de l'État" is "président", "première ministre" is
"premier ministre"), the countries of its complement (demonyms via `vigie.language.demonyms`, country names via
the gazetteer: "du Kazakhstan" -> KZ) and its other words ("justice"), so "le ministre de la Justice" and
"le président kazakh" find the right person. Used by `vigie.quotes.coref`.
"""
from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc, Span

from vigie.entities.gazetteer import lookup as gazetteer_lookup
from vigie.language.demonyms import demonym_country
from vigie.quotes.lexicon import Lexicon

# A title and the name it is given to are at most this many tokens apart ("le président du Kazakhstan, X").
MAX_TITLE_GAP = 7
# Verbs that give a person a position: "X a été nommé directeur", "élue présidente".
NAMING_VERBS = frozenset({"nommer", "élire", "désigner", "choisir", "investir", "réélire", "promouvoir", "devenir"})
# A title phrase is at most this many tokens ("ministre français des Affaires étrangères").
MAX_TITLE_WORDS = 4


@dataclass(slots=True)
class TitleEntry:
    key: str  # normalised title ("président", "premier ministre")
    countries: frozenset[str]  # ISO 3166-1 alpha-2 codes of the complement
    words: frozenset[str]  # other words of the complement ("justice")
    canonical: str  # the person's canonical name
    token: int  # where the title is in the document
    gender: str | None  # of the title noun ("présidente" -> Fem)


class TitleTable:
    def __init__(self, doc: Doc, lex: Lexicon, ent_of: dict[int, Span]) -> None:
        self.doc = doc
        self.lex = lex
        self._ent_of = ent_of
        self._titles = lex.words["title"]
        self._same = lex.pairs.get("title_same", {})
        self._starts = frozenset(t.split()[0] for t in self._titles)
        self.entries: list[TitleEntry] = []

    def key(self, i: int) -> tuple[str, int] | None:
        """The title starting at token `i` ("président", "premier ministre", "chef de l'État"), and its end."""
        doc = self.doc
        if doc[i].lower_ not in self._starts:
            return None
        best = None
        words: list[str] = []
        for j in range(i, min(len(doc), i + MAX_TITLE_WORDS)):  # the longest match ("secrétaire général")
            words.append(doc[j].lower_)
            key = " ".join(words).replace("' ", "'")
            if key in self._titles:
                best = (key, j + 1)
        if best is None:
            return None
        key, end = best
        return self._same.get(key, key), end

    def is_description(self, ent: Span) -> bool:
        """An entity the NER made of a title and no name ("Le consul de France", unlike "Premier ministre
        Bernard Cazeneuve"): a description, not a person's name."""
        titles = [t.i for t in ent if t.text[:1].islower() and self.key(t.i) is not None]
        if not titles:
            return False
        names = [t for t in self.doc[titles[-1] + 1 : ent.end] if t.text[:1].isupper() and t.pos_ == "PROPN"]
        return not any(gazetteer_lookup(t.text) is None for t in names)

    def add(self, ent: Span, canonical: str) -> TitleEntry | None:
        """Record the title given to the person `ent` by an apposition, if any."""
        found = self._before(ent) or self._after(ent)
        if found is None:
            return None
        k, end = found
        hit = self.key(k)
        if hit is None:
            return None
        key, key_end = hit
        countries, words = self.descriptors(key_end, end, k)
        gender = self.doc[k].morph.get("Gender")  # type: ignore[call-arg]  # spaCy stubs: MorphAnalysis.get's default is optional
        entry = TitleEntry(key, countries, words - set(key.split()), canonical, k, gender[0] if gender else None)
        self.entries.append(entry)
        return entry

    def lookup(self, head: int, key: str, end: int) -> TitleEntry | None:
        """The person a description headed by token `head` (title `key`, phrase ending at `end`) refers to:
        same title, and the same country and words when the description has them; the nearest before it."""
        countries, words = self.descriptors(head + 1, end, head)
        words = words - set(key.split())
        same = [t for t in self.entries if t.key == key]
        if countries:
            same = [t for t in same if t.countries & countries] or [t for t in same if not t.countries]
        if words:
            same = [t for t in same if t.words & words] or same
        if not same:
            return None
        before = [t for t in same if t.token <= head]
        return before[-1] if before else same[0]

    def descriptors(self, start: int, end: int, skip: int) -> tuple[frozenset[str], frozenset[str]]:
        """Countries (demonyms, country names) and other content words of tokens [start, end)."""
        countries: set[str] = set()
        words: set[str] = set()
        for t in self.doc[start:end]:
            if t.i == skip or t.is_punct or t.pos_ in ("DET", "ADP", "CCONJ"):
                continue
            code = demonym_country(t.text)
            if code is None and t.text[:1].isupper():
                entry = gazetteer_lookup(t.text)
                code = entry.country if entry is not None and entry.kind == "country" else None
            if code:
                countries.add(code)
            elif t.pos_ in ("NOUN", "PROPN", "ADJ"):
                words.add(t.lower_)
        return frozenset(countries), frozenset(words)

    def described_as(self, ent: Span) -> list[tuple[str, int]]:
        """(noun lemma, token) of the descriptions an apposition gives a person, title or not: "le chercheur
        Jean Dupont", "Jean Dupont, avocat de la famille," -> ("chercheur", k), ("avocat", k). For later
        descriptions outside the title list ("l'avocat a déclaré")."""
        doc = self.doc
        out: list[tuple[str, int]] = []
        j = ent.start - 1
        if j >= 0 and doc[j].text == ",":
            j -= 1
        elif j >= 0 and doc[j].pos_ not in ("NOUN", "ADJ"):
            j = -1  # "le meurtre de X": a complement, not an apposition
        head = None  # the phrase's head: its first noun after a determiner ("le père de la victime, X": père)
        for k in range(j, max(-1, j - MAX_TITLE_GAP), -1):  # "le chef animateur de la firme, X"
            t = doc[k]
            if t.is_punct or t.pos_ in ("VERB", "AUX") or k in self._ent_of and k != j:
                break
            if t.pos_ == "NOUN" and k > 0 and doc[k - 1].pos_ == "DET" and t.text[:1].islower():
                head = k
                if k < 2 or doc[k - 2].lower_ not in ("de", "du", "des", "d'"):
                    break  # (else the noun of a complement: keep looking for the head)
        if head is not None and (head < 2 or doc[head - 2].pos_ != "ADP"):  # not "Selon le parquet, X ..."
            out.append((doc[head].lemma_.lower(), head))
        out += self._predicated(ent)
        k = ent.end
        if k + 4 < len(doc) and doc[k].text == "," and doc[k + 1].like_num and doc[k + 2].lower_ == "ans" \
                and doc[k + 3].text == ",":
            k += 3  # "X, 45 ans, chauffeur de taxi,"
        if k + 1 < len(doc) and doc[k].text == ",":
            k += 1
            while k < len(doc) and doc[k].pos_ in ("DET", "ADJ") and doc[k].text[:1].islower():
                k += 1
            if k < len(doc) and doc[k].pos_ == "NOUN" and doc[k].text[:1].islower():
                out.append((doc[k].lemma_.lower(), k))
        return out

    def _predicated(self, ent: Span) -> list[tuple[str, int]]:
        """Descriptions a clause gives the person: "X est le directeur de ...", "X a été nommée directrice",
        "X, qui est entraîneur du club," (the noun the name is subject of, by "être" or a naming verb)."""
        out: list[tuple[str, int]] = []
        for t in ent:
            if t.dep_ in ("nsubj", "nsubj:pass"):
                pred = t.head
                if pred.pos_ == "NOUN" and any(c.dep_ == "cop" for c in pred.children):
                    out.append((pred.lemma_.lower(), pred.i))  # "X est le directeur"
                elif pred.pos_ == "VERB" and pred.lemma_.lower() in NAMING_VERBS:
                    out += [(c.lemma_.lower(), c.i) for c in pred.children if c.dep_ == "xcomp" and c.pos_ == "NOUN"]
        for c in ent.root.children:  # "X, qui est entraîneur du club,"
            if c.dep_ == "acl:relcl" and c.pos_ == "NOUN" and any(g.dep_ == "cop" for g in c.children) \
                    and any(g.lower_ == "qui" and g.dep_ == "nsubj" for g in c.children):
                out.append((c.lemma_.lower(), c.i))
        return [(lemma, k) for lemma, k in out if self.doc[k].text[:1].islower()]

    def _before(self, ent: Span) -> tuple[int, int] | None:
        """"Le président du Kazakhstan, X" / "le président X": (title token, end of title phrase)."""
        doc = self.doc
        j = ent.start - 1
        if j >= 0 and doc[j].text == ",":
            j -= 1
        lo = max(0, j - MAX_TITLE_GAP)
        for k in range(j, lo - 1, -1):
            t = doc[k]
            ent_k = self._ent_of.get(k)
            if k != j and (t.is_punct or t.pos_ == "VERB" or ent_k is not None and ent_k.label_ == "PER"
                           and not self.is_description(ent_k)):
                return None
            if self.key(k) is not None:
                if k > 0 and self.key(k - 1) is not None:
                    k -= 1  # "Premier ministre", "vice-président"
                return k, j + 1
        return None

    def _after(self, ent: Span) -> tuple[int, int] | None:
        """"X, ministre de la Justice," / "X , Premier ministre ,"."""
        doc = self.doc
        k = ent.end
        if k >= len(doc) or doc[k].text != ",":
            return None
        k += 1
        while k < len(doc) and doc[k].pos_ == "DET":
            k += 1
        if k >= len(doc) or self.key(k) is None:
            return None
        end = k
        while end < len(doc) and not doc[end].is_punct and doc[end].pos_ not in ("VERB", "AUX"):
            end += 1
        return k, end
