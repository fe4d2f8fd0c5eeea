"""Rule-based coreference for French documents: who "il", "le président kazakh" or "l'armée" is.

Written for the quote extractor's speakers and reusable by the event coder for actors. It works on a parsed
French Doc whose entities carry `ent._.canonical` (vigie_canonical), and resolves one head token at a time:

- a token inside an entity -> the entity's canonical name ("M. Tokaïev" -> "Kassym-Jomart Tokaïev");
- "il"/"elle"/"lui" -> the most recent compatible referent: a speaker remembered by the caller or a person
  in subject position, else any person mention; gender is respected when known (honorific "M."/"Mme",
  the title the document gave the person); "ils"/"elles" -> the last plural speaker or plural subject;
- a relative "qui" -> its antecedent;
- a title ("le président kazakh", "le ministre de la Justice", "le chef de l'État") -> the person the
  document introduced with that title, from a table of appositions ("Le président du Kazakhstan,
  Kassym-Jomart Tokaïev,", "Bekir Bozdag, ministre de la Justice,", "le président Denis Sassou-Nguesso"),
  matching the title and, when the description has them, its country (demonym or country name) and words
  (`vigie.quotes.coref_titles`);
- "un communiqué de la présidence" -> the institution; "un certain nombre d'observateurs" -> "observateurs";
- any other noun -> its noun phrase without determiner, completed from a fuller earlier mention of the
  same noun ("l'armée" after "l'armée égyptienne" -> "armée égyptienne").
"""
from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache

from spacy.tokens import Doc, Span, Token

from vigie.entities.gazetteer import lookup as gazetteer_lookup
from vigie.language.names import name_tokens
from vigie.lexicons import read_rows
from vigie.quotes.coref_titles import TitleTable
from vigie.quotes.lexicon import Lexicon
from vigie.quotes.lexicon import french as french_lexicon

# A fuller earlier mention with a complement is at most this many tokens ("ministère de l'Intérieur").
MAX_FULLER_TOKENS = 6
# A noun phrase is the head and at most this many tokens of modifiers to its right ("ministre de la Justice").
MAX_NP_TOKENS = 8
# A pronoun looks back at most this many tokens for its antecedent (about three news paragraphs).
MAX_PRONOUN_DISTANCE = 250
# A description in subject position ("Ce dernier", "le ministre") is an antecedent this many tokens back.
SUBJECT_WINDOW = 60

SINGULAR_PRONOUNS = {"il": "Masc", "-il": "Masc", "lui": "Masc", "elle": "Fem", "-elle": "Fem",
                     "celui-ci": "Masc", "celle-ci": "Fem"}
PLURAL_PRONOUNS = {"ils": "Masc", "-ils": "Masc", "eux": "Masc", "elles": "Fem", "-elles": "Fem"}
RELATIVES = frozenset({"qui", "lequel", "laquelle", "lesquels", "lesquelles"})
HONORIFIC_GENDER = {"m.": "Masc", "m": "Masc", "monsieur": "Masc", "mme": "Fem", "mme.": "Fem",
                    "madame": "Fem", "mlle": "Fem", "mlle.": "Fem"}
_DE = frozenset({"de", "du", "des", "d'", "d’"})
_NP_BREAK = frozenset({"qui", "que", "qu'", "dont", "lequel", "laquelle", "où"})


@cache
def actor_words() -> frozenset[str]:
    """The human actor nouns of `resources/actor_sectors.tsv` (lower case), read here rather than through the
    event lexicon so that quotes do not depend on events."""
    return frozenset(row.cells[0].lower() for row in read_rows("actor_sectors.tsv"))


@dataclass(slots=True)
class Referent:
    """What a mention refers to: a canonical name or a noun phrase, and the words naming it in the text."""

    name: str | None
    start: int  # character span of the mention
    end: int
    token: int  # token index of the mention's head (for recency)
    person: bool = False
    plural: bool = False
    gender: str | None = None


@dataclass(slots=True)
class _Person:
    token: int
    canonical: str
    start: int
    end: int
    subject: bool


@dataclass
class Coreference:
    """Resolve mentions in one French Doc. Call `remember` with each speaker found, in text order."""

    doc: Doc
    lex: Lexicon = field(default_factory=french_lexicon)
    # character offset -> True when inside a quotation: words there are not antecedents of the narrative
    quoted: Callable[[int], bool] = lambda char: False

    def __post_init__(self) -> None:
        self._ent_of: dict[int, Span] = {}
        for ent in self.doc.ents:
            for i in range(ent.start, ent.end):
                self._ent_of[i] = ent
        self.speakers: list[Referent] = []
        self.titles = TitleTable(self.doc, self.lex, self._ent_of)
        self._persons: list[_Person] = []
        self._gender: dict[str, str] = {}
        for ent in self.doc.ents:
            if ent.label_ == "PER" and not self.titles.is_description(ent):
                self._add_person(ent)
        self._person_tokens = [p.token for p in self._persons]  # in text order
        # noun lemma -> [(token, canonical)]: the descriptions appositions give persons ("l'avocat X")
        self._described: dict[str, list[tuple[int, str]]] = {}
        self._org_described: dict[str, list[tuple[int, str]]] = {}  # ... and organisations ("le groupe X")
        self._orgs: list[tuple[int, str]] = []  # (token, canonical) of organisation mentions, in text order
        for ent in self.doc.ents:
            if ent.label_ == "PER" and not self.titles.is_description(ent):
                for lemma, k in self.titles.described_as(ent):
                    self._described.setdefault(lemma, []).append((k, ent._.canonical or ent.text))
            elif ent.label_ == "ORG":
                self._orgs.append((ent.start, ent._.canonical or ent.text))
                for lemma, k in self.titles.described_as(ent):
                    self._org_described.setdefault(lemma, []).append((k, ent._.canonical or ent.text))
        self._by_surname: dict[str, str] | None = None  # surname -> canonical name, built on first use

    # ----------------------------------------------------------------------------------------- public

    def remember(self, ref: Referent) -> None:
        self.speakers.append(ref)

    def entity_at(self, i: int) -> Span | None:
        return self._ent_of.get(i)

    def resolve(self, tok: Token, depth: int = 0) -> Referent | None:
        """The referent of the mention headed by `tok`, or None when it names nobody."""
        doc = self.doc
        ent = self._ent_of.get(tok.i)
        if ent is None and tok.lower_ in HONORIFIC_GENDER and tok.i + 1 < len(doc):
            ent = self._ent_of.get(tok.i + 1)
        if ent is not None and not self.titles.is_description(ent):
            return self._entity_referent(ent, tok.i)  # (not a title the NER made a name: "Le consul de France")
        if ent is not None and tok.pos_ != "NOUN":
            tok = next((t for t in ent if self.titles.key(t.i) is not None), tok)
        low = tok.lower_
        if low in SINGULAR_PRONOUNS or low in PLURAL_PRONOUNS:
            return self._pronoun(tok)
        if low in ("dernier", "dernière") and tok.i > 0 and doc[tok.i - 1].lower_ in ("ce", "cette"):
            # "ce dernier": the last person mentioned, whatever its position
            ref = self._person_before(tok.i - 1, "Fem" if low == "dernière" else "Masc", subject_only=False)
            return self._mention_of(ref, tok)
        if low in RELATIVES and depth < 2:
            ante = self._antecedent(tok)
            return self.resolve(ante, depth + 1) if ante is not None else None
        if tok.pos_ not in ("NOUN", "PROPN", "ADJ", "X") and not (tok.text[:1].isupper() and tok.text.isalpha()):
            if tok.pos_ == "PRON":  # "Un autre des trois journalistes, Ismaël Karroum, a dit"
                return self._apposition(tok, self.np_end(tok.i))
            return None  # a capitalised word is a name whatever its tag ("Adobe explique")
        return self._noun_phrase(tok, depth)

    def np_end(self, head: int) -> int:
        """Exclusive end token of the noun phrase headed by `head`: adjectives and "de" complements."""
        doc = self.doc
        end = head + 1
        i = head + 1
        while i < len(doc) and i - head <= MAX_NP_TOKENS:
            t = doc[i]
            low = t.lower_
            if t.text == "-" and not t.whitespace_ and not doc[i - 1].whitespace_:
                # "Alpes-Maritimes", "rond-point" split by the tokenizer: the word after the hyphen too
                end = i = i + 2 if i + 1 < len(doc) and doc[i + 1].is_alpha else i + 1
                continue
            if low in _NP_BREAK or t.is_punct or t.is_space:
                break
            ent = self._ent_of.get(i)
            if (ent is not None and ent.start == i and self._ent_of.get(head) is not ent
                    and (ent.label_ == "PER" or doc[i - 1].pos_ in ("NOUN", "PROPN")) and self._person_like(ent)):
                break  # "le chef de l'organisation Ayman al-Zawahiri": the name is an apposition
            if t.pos_ in ("ADJ", "PROPN") or (t.pos_ == "NUM" and i == head + 1):
                end = i = i + 1
                continue
            if low in ("et", "ou") and i + 1 < len(doc) and (
                    doc[i + 1].pos_ == "ADJ" or (doc[i + 1].dep_ == "conj" and doc[i + 1].head.pos_ == "ADJ")):
                end = i = i + 2
                continue
            if low in _DE or (low in ("l'", "la", "le", "les") and i > head + 1 and doc[i - 1].lower_ in _DE):
                j = i + 1
                while j < len(doc) and doc[j].pos_ in ("DET", "NUM"):
                    j += 1  # ("un autre des trois journalistes")
                if j < len(doc) and doc[j].pos_ in ("NOUN", "PROPN") and j - head <= MAX_NP_TOKENS:
                    end = i = j + 1
                    continue
            break
        return end

    def np_start(self, head: int) -> int:
        """First token of the noun phrase without its determiner ("Premier ministre" keeps "Premier")."""
        doc = self.doc
        start = head
        while start > 0 and doc[start - 1].lower_ in ("premier", "première", "haut", "haute", "ex", "ancien",
                                                    "ancienne", "nouveau", "nouvelle", "vice"):
            start -= 1
        return start

    # ----------------------------------------------------------------------------------------- entities

    def _entity_referent(self, ent: Span, head: int) -> Referent:
        canonical = ent._.canonical or ent.text
        person = ent.label_ == "PER"
        if not person and self._person_like(ent):
            person = True  # a name of several words the NER did not call PER, and no known place
            known = self._person_named(name_tokens(ent.text))
            if known is not None:  # "al-Joulani" tagged MISC, "Abou Mohammed al-Joulani" PER elsewhere
                canonical = known
        return Referent(canonical, ent.start_char, ent.end_char, head, person=person,
                        gender=self._gender.get(canonical) if person else None)

    def _add_person(self, ent: Span) -> None:
        doc = self.doc
        canonical = ent._.canonical or ent.text
        first = doc[ent.start]
        before = doc[ent.start - 1] if ent.start > 0 else None
        for honorific in (first, before):
            if honorific is not None and honorific.lower_ in HONORIFIC_GENDER:
                self._gender.setdefault(canonical, HONORIFIC_GENDER[honorific.lower_])
        # in subject position by the parse, or opening its sentence ("Zach Manoun, arrivé de Genève, a ...")
        prev = doc[ent.start - 1].text.strip() if ent.start > 0 else ""  # (never doc.text: rebuilt at each call)
        subject = (any(doc[i].dep_.startswith("nsubj") for i in range(max(0, ent.start - 1), ent.end))
                   or prev in (".", "!", "?", "»", ""))
        agreed = self._agreement_gender(ent)
        if agreed is not None:
            self._gender.setdefault(canonical, agreed)
        self._persons.append(_Person(ent.start, canonical, ent.start_char, ent.end_char, subject))
        entry = self.titles.add(ent, canonical)
        if entry is not None and entry.gender:
            self._gender.setdefault(canonical, entry.gender)

    def _agreement_gender(self, ent: Span) -> str | None:
        """The gender the sentence gives a person: a participle or adjective agreeing with the name as subject
        of "être" ("Marie Dubois est arrivée", "X s'est dit choqué"). (The model's morphology on first names is
        no evidence: it calls "Jean" feminine and "Theresa" masculine.)"""
        subj = next((t for t in ent if t.dep_ in ("nsubj", "nsubj:pass")), None)
        if subj is None:
            return None
        pred = subj.head
        if not any(c.lemma_ == "être" and c.dep_ in ("aux:tense", "aux:pass", "cop") for c in pred.children):
            return None
        if "Plur" in pred.morph.get("Number") or pred.pos_ not in ("VERB", "ADJ"):  # type: ignore[call-arg]  # spaCy stubs: MorphAnalysis.get's default is optional
            return None
        gender = pred.morph.get("Gender")  # type: ignore[call-arg]  # spaCy stubs: MorphAnalysis.get's default is optional
        return gender[0] if len(gender) == 1 else None

    # ----------------------------------------------------------------------------------------- pronouns

    def _pronoun(self, tok: Token) -> Referent | None:
        low = tok.lower_
        plural = low in PLURAL_PRONOUNS
        gender = PLURAL_PRONOUNS.get(low) if plural else SINGULAR_PRONOUNS.get(low)
        best: Referent | None = None
        for ref in reversed(self.speakers):
            if ref.token >= tok.i:
                continue
            if tok.i - ref.token > MAX_PRONOUN_DISTANCE:
                break
            if ref.plural != plural or ref.name is None:
                continue
            if ref.gender and gender and ref.gender != gender and not (plural and gender == "Masc"):
                continue
            if not ref.person and not plural and ref.gender is None:
                continue  # an institution is "il"/"elle" only when its noun's gender agrees
            best = ref
            break
        if plural:
            subj = self._plural_subject(tok)
            if subj is not None and (best is None or subj.token > best.token):
                best = subj
            return self._mention_of(best, tok)
        person = self._person_before(tok.i, gender, subject_only=True)
        if person is not None and (best is None or person.token > best.token):
            best = person
        subject = self._subject_before(tok, gender)
        if subject is not None and (best is None or subject.token > best.token):
            best = subject
        if best is None:
            best = self._person_before(tok.i, gender, subject_only=False)
        return self._mention_of(best, tok)

    @staticmethod
    def _mention_of(ref: Referent | None, tok: Token) -> Referent | None:
        """The antecedent's name, with the pronoun's own span as the mention."""
        if ref is None:
            return None
        return Referent(ref.name, tok.idx, tok.idx + len(tok.text), tok.i, ref.person, ref.plural, ref.gender)

    def _person_before(self, i: int, gender: str | None, subject_only: bool) -> Referent | None:
        for p in reversed(self._persons[: bisect_left(self._person_tokens, i)]):  # the persons before token i
            if i - p.token > MAX_PRONOUN_DISTANCE:
                return None
            if subject_only and not p.subject or self.quoted(p.start):
                continue
            g = self._gender.get(p.canonical)
            if gender and g and g != gender:
                continue
            return Referent(p.canonical, p.start, p.end, p.token, person=True, gender=g)
        return None

    def _subject_before(self, tok: Token, gender: str | None) -> Referent | None:
        """The nearest earlier subject that names a person or an institution by a description ("Ce dernier",
        "le ministre", "la cour")."""
        doc = self.doc
        for j in range(tok.i - 1, max(-1, tok.i - SUBJECT_WINDOW), -1):
            t = doc[j]
            if not t.dep_.startswith("nsubj") or t.pos_ == "PRON" or j in self._ent_of or self.quoted(t.idx):
                continue
            ref = self.resolve(t, depth=2)
            # "La cour ... Elle considère", "Le chauffeur a pris sa retraite. Il déclare"
            agent = ref is not None and (ref.person or self._is(t, "opinion_holder") or self._human(t))
            if agent and ref is not None and ref.name and not ref.plural and (not gender or not ref.gender or ref.gender == gender):
                return Referent(ref.name, ref.start, ref.end, j, True, False, ref.gender)
        return None

    def _plural_subject(self, tok: Token) -> Referent | None:
        doc = self.doc
        for j in range(tok.i - 1, max(-1, tok.i - MAX_PRONOUN_DISTANCE), -1):
            t = doc[j]
            if ((t.dep_.startswith("nsubj") or t.dep_ == "obl:agent") and t.pos_ in ("NOUN", "PROPN")
                    and "Plur" in t.morph.get("Number") and not self.quoted(t.idx)  # type: ignore[call-arg]  # spaCy stubs: MorphAnalysis.get's default is optional
                    and not any(c.dep_ == "mark" and c.lower_ in ("que", "qu'") for c in t.head.children)):
                return self._noun_phrase(t, 1)  # (not the subject of reported words: "ont noté que les sujets")
        return None

    def _antecedent(self, rel: Token) -> Token | None:
        """The noun a relative "qui" refers to: the parse's head of the relative clause, else the head of the
        noun phrase before it ("la source proche de l'enquête, qui ..." -> "source")."""
        doc = self.doc
        verb = rel.head
        if verb.dep_.startswith("acl") and verb.head.i < rel.i and verb.head.pos_ in ("NOUN", "PROPN"):
            return verb.head
        j = rel.i - 1
        while j >= 0 and (doc[j].is_punct or doc[j].is_space):
            j -= 1
        if j < 0:
            return None
        if self._ent_of.get(j) is not None:
            return doc[j]
        head = j
        k = j
        while k >= 0 and j - k <= MAX_NP_TOKENS and (doc[k].pos_ in ("NOUN", "PROPN", "ADJ", "DET")
                                                      or doc[k].lower_ in _DE):
            if doc[k].pos_ in ("NOUN", "PROPN") and (k == 0 or doc[k - 1].lower_ not in _DE):
                head = k
            k -= 1
        return doc[head]

    # ----------------------------------------------------------------------------------------- nouns

    def _noun_phrase(self, head: Token, depth: int) -> Referent | None:
        doc = self.doc
        low = head.lower_
        end = self.np_end(head.i)
        # "un certain nombre d'observateurs", "un communiqué de la présidence": the noun after "de"
        if self._is(head, "no_speaker"):
            # "selon les chiffres du ministère" -> ministère; "une image de vidéosurveillance" -> nobody
            teller = self._relative_subject(end)  # "le récit qu'elle livre", "la version que donne la police"
            if teller is not None and depth < 3:
                return self.resolve(teller, depth + 1)
            inner = self.after_de(head.i, end) or self._agent(head.i)
            if inner is not None and depth < 3 and (self._ent_of.get(inner.i) is not None
                                                    or self._is(inner, "opinion_holder") or self._is(inner, "title")):
                return self.resolve(inner, depth + 1)
            return None
        if (self._is(head, "quantity") or self._is(head, "document")) and depth < 3:
            inner = self.after_de(head.i, end) or self._agent(head.i)
            if inner is not None:
                return self.resolve(inner, depth + 1)
            if self._is(head, "document") and not self._is(head, "opinion_holder"):
                return None  # "le communiqué" alone names nobody; "le site", "le journal" name a medium
        appos = self._apposition(head, end)
        if appos is not None:
            return appos
        title = self.titles.key(self.np_start(head.i)) or self.titles.key(head.i)
        if title is None and low in ("premier", "première"):
            title = self.titles.key(head.i + 1)
        if title is not None:
            found = self._title_referent(head, title[0], end)
            if found is not None:
                return found
        if head.pos_ == "PROPN":
            known = self._known_person(head)
            if known is not None:
                return known
        described = self._described_person(head)
        if described is not None:
            return described
        start = self.np_start(head.i)
        span = doc[start:end]
        name = span.text
        if end - start == 1 and head.pos_ == "NOUN":
            named = self._named_earlier(head) or self._described_org(head)
            if named is not None:  # "la compagnie" after "la compagnie EgyptAir": the company's name
                return Referent(named[0], span.start_char, span.end_char, head.i, person=named[1])
            fuller = self._fuller_mention(head)
            if fuller is not None:  # the name from the fuller mention, the words from this one
                name = doc[fuller[0] : fuller[1]].text
        number = head.morph.get("Number")  # type: ignore[call-arg]  # spaCy stubs: MorphAnalysis.get's default is optional
        gender = head.morph.get("Gender")  # type: ignore[call-arg]  # spaCy stubs: MorphAnalysis.get's default is optional
        return Referent(name, span.start_char, span.end_char, head.i,
                        person=title is not None, plural="Plur" in number,
                        gender=gender[0] if gender else None)

    def _relative_subject(self, end: int) -> Token | None:
        """The subject of a relative clause "que/qu'" right after a noun phrase ("le récit qu'elle livre")."""
        doc = self.doc
        if end >= len(doc) or doc[end].lower_.replace("’", "'") not in ("que", "qu'", "qu"):
            return None
        for k in range(end + 1, min(len(doc), end + 1 + MAX_NP_TOKENS)):
            t = doc[k]
            if t.lower_ in SINGULAR_PRONOUNS or t.lower_ in PLURAL_PRONOUNS or (
                    t.dep_.startswith("nsubj") and t.pos_ in ("NOUN", "PROPN")):
                return t  # (the parser often misreads "qu'elle livre": the pronoun whatever its tag)
            if t.is_punct:
                break
        return None

    def _described_org(self, head: Token) -> tuple[str, bool] | None:
        """"la société", "le groupe" standing alone: the organisation an apposition described with that noun
        ("le constructeur Airbus", "Airbus, le groupe européen,"), else the organisation the article named
        most often before it (the latest of the most named)."""
        if not self._is(head, "org_description") or "Plur" in head.morph.get("Number"):  # type: ignore[call-arg]  # spaCy stubs: MorphAnalysis.get's default is optional
            return None
        before = [name for k, name in self._org_described.get(head.lemma_.lower(), []) if k < head.i]
        if before:
            return before[-1], False
        counts: dict[str, int] = {}
        latest: dict[str, int] = {}
        for k, name in self._orgs:
            if k >= head.i:
                break
            if not self.quoted(self.doc[k].idx):
                counts[name] = counts.get(name, 0) + 1
                latest[name] = k
        if not counts:
            return None
        return max(counts, key=lambda n: (counts[n], latest[n])), False

    def described(self, tok: Token) -> bool:
        """`tok` is a noun an apposition gave to a person of the document ("l'avocat" after "X, avocat de ...")."""
        return self._described_person(tok) is not None

    def _described_person(self, head: Token) -> Referent | None:
        """"l'avocat" after "Jean Dupont, avocat de la famille,": the person an apposition described with the
        same noun, the nearest before (else the first after); one person per noun, or none."""
        if head.pos_ != "NOUN" or "Plur" in head.morph.get("Number") or any(  # type: ignore[call-arg]  # spaCy stubs: MorphAnalysis.get's default is optional
                self._is(head, cls) for cls in ("org_description", "document", "no_speaker")):
            return None  # (organisations and texts are not a person's description)
        entries = [e for e in self._described.get(head.lemma_.lower(), []) if e[0] != head.i]
        if not entries or len({name for _, name in entries}) > 1 and not any(k < head.i for k, _ in entries):
            return None
        before = [e for e in entries if e[0] < head.i]
        name = (before[-1] if before else entries[0])[1]
        start = self.np_start(head.i)
        end = self.np_end(head.i)
        span = self.doc[start:end]
        return Referent(name, span.start_char, span.end_char, head.i, person=True, gender=self._gender.get(name))

    def _agent(self, head: int) -> Token | None:
        """"une information révélée par le Canard enchaîné": the noun after "par"."""
        doc = self.doc
        for j in range(head + 1, min(len(doc), head + 5)):
            if doc[j].lower_ == "par":
                k = j + 1
                while k < len(doc) and doc[k].pos_ == "DET":
                    k += 1
                return doc[k] if k < len(doc) and doc[k].pos_ in ("NOUN", "PROPN") else None
            if doc[j].is_punct:
                return None
        return None

    @staticmethod
    def _human(tok: Token) -> bool:
        """A noun naming people or a group of them (the actor words of `resources/actor_sectors.tsv`)."""
        return tok.pos_ == "NOUN" and tok.lemma_.lower() in actor_words()

    def _is(self, tok: Token, cls: str) -> bool:
        words = self.lex.words[cls]
        return tok.lower_ in words or tok.lemma_.lower() in words

    def _apposition(self, head: Token, end: int) -> Referent | None:
        """A name in apposition: "le journal Le Monde" (right after the noun), "Dilma Rousseff, la première
        femme présidente du Brésil," (the phrase between commas after a person)."""
        doc = self.doc
        nxt = self._ent_of.get(head.i + 1)
        named_org = self._is(head, "org_description") or self._is(head, "opinion_holder")
        if nxt is not None and nxt.start == head.i + 1 and (
                nxt.label_ in ("PER", "ORG") or nxt.label_ == "MISC" and named_org):  # "l'agence Spoutnik"
            return self._entity_referent(nxt, head.i)
        k = head.i + 1  # "le journal Libération" with no entity: the capitalised words after the noun
        while k < len(doc) and doc[k].text[:1].isupper() and doc[k].is_alpha and k not in self._ent_of \
                and doc[k].pos_ not in ("DET", "ADP", "PRON", "CCONJ"):
            k += 1
        if k > head.i + 1 and head.pos_ == "NOUN" and head.text[:1].islower():
            span = doc[head.i + 1 : k]
            return Referent(span.text, span.start_char, span.end_char, head.i)
        nxt = self._ent_of.get(end)  # "le premier secrétaire du parti Jean-Christophe Cambadélis"
        if nxt is not None and nxt.start == end and nxt.label_ == "PER":
            return self._entity_referent(nxt, head.i)
        if end + 2 < len(doc) and doc[end].text == ",":  # "Un autre des journalistes, Ismaël Karroum, a dit"
            nxt = self._ent_of.get(end + 1)
            if nxt is not None and nxt.start == end + 1 and nxt.label_ == "PER" and nxt.end < len(doc) \
                    and doc[nxt.end].text == "," and "Plur" not in head.morph.get("Number"):  # type: ignore[call-arg]  # spaCy stubs: MorphAnalysis.get's default is optional
                return self._entity_referent(nxt, head.i)
        i = head.i - 1
        while i >= 0 and doc[i].pos_ in ("DET", "ADJ"):
            i -= 1
        closed = any(doc[k].text == "," for k in range(end, min(len(doc), end + MAX_NP_TOKENS))
                     if not any(doc[x].pos_ in ("VERB", "AUX") for x in range(end, k)))
        if i >= 1 and doc[i].text == "," and closed:
            ent = self._ent_of.get(i - 1)
            if ent is not None and ent.label_ == "PER":
                return self._entity_referent(ent, head.i)
            return self._name_run(i - 1, head.i)  # a name the NER missed or cut: "Philippe Germain, le chef"
        return None

    def _name_run(self, last: int, head: int) -> Referent | None:
        """Two capitalised proper nouns or more ending at token `last`, as a person's name."""
        doc = self.doc
        first = last
        while first > 0 and doc[first - 1].pos_ == "PROPN" and doc[first - 1].text[:1].isupper():
            first -= 1
        toks = doc[first : last + 1]
        if last - first < 1 or not all(t.pos_ == "PROPN" and t.text[:1].isupper() for t in toks):
            return None
        if any((e := self._ent_of.get(t.i)) is not None and e.label_ in ("LOC", "ORG") for t in toks):
            return None
        known = self._person_named(name_tokens(toks.text))
        return Referent(known or toks.text, toks.start_char, toks.end_char, head, person=True,
                        gender=self._gender.get(known) if known else None)

    def _person_like(self, ent: Span) -> bool:
        """A PER entity, or a name of several tokens that is not a known place or organisation."""
        if ent.label_ == "PER":
            return True
        return ent.label_ != "ORG" and len(ent) >= 2 and gazetteer_lookup(ent.text) is None

    def _known_person(self, head: Token) -> Referent | None:
        """A capitalised name the NER missed that ends like a person of the document ("Al-Joulani")."""
        doc = self.doc
        start = end = head.i
        while start > 0 and doc[start - 1].pos_ == "PROPN" and doc[start - 1].i not in self._ent_of:
            start -= 1
        while end + 1 < len(doc) and doc[end + 1].pos_ == "PROPN" and doc[end + 1].i not in self._ent_of:
            end += 1
        span = doc[start : end + 1]
        known = self._person_named(name_tokens(span.text))
        if known is None:
            return None
        return Referent(known, span.start_char, span.end_char, head.i, person=True, gender=self._gender.get(known))

    def _person_named(self, toks: list[str]) -> str | None:
        """The canonical name of a document person of two names or more whose surname is toks[-1]."""
        if not toks:
            return None
        if self._by_surname is None:
            self._by_surname = {}
            for p in self._persons:  # the last person of a surname wins
                full = name_tokens(p.canonical)
                if len(full) > 1:
                    self._by_surname[full[-1]] = p.canonical
        return self._by_surname.get(toks[-1])

    def after_de(self, head: int, end: int) -> Token | None:
        """The noun after "de" in the phrase headed by `head` ("la plus haute autorité" after "avis de")."""
        doc = self.doc
        for j in range(head + 1, min(end + 1, len(doc))):
            if doc[j].lower_ in _DE:
                k = j + 1
                while k < len(doc) and k - j <= 4 and (doc[k].pos_ in ("DET", "ADV") or (
                        doc[k].pos_ == "ADJ" and k + 1 < len(doc) and doc[k + 1].pos_ in ("NOUN", "ADJ"))):
                    k += 1
                if k < len(doc) and doc[k].pos_ in ("NOUN", "PROPN", "ADJ"):
                    return doc[k]
                return None
        return None

    def _title_referent(self, head: Token, key: str, end: int) -> Referent | None:
        doc = self.doc
        # an apposition right after the description: "le ministre de la Justice, Bekir Bozdag"
        j = end + 1 if end < len(doc) and doc[end].text == "," else end
        if j > end:
            j = self._described_name_start(j)  # "le chef du gouvernement, le conservateur Mariano Rajoy"
        if j < len(doc):
            ent = self._ent_of.get(j)
            # the NER sometimes calls a person LOC or MISC ("Ayman al-Zawahiri"); an organisation after a
            # title is its complement, not its holder
            if ent is not None and ent.label_ != "ORG" and ent.start == j and self._person_like(ent):
                return self._entity_referent(ent, head.i)
        entry = self.titles.lookup(head.i, key, end)
        if entry is None:
            return None
        start = self.np_start(head.i)
        span = doc[start:end]
        return Referent(entry.canonical, span.start_char, span.end_char, head.i, person=True,
                        gender=entry.gender or self._gender.get(entry.canonical))

    def _described_name_start(self, j: int) -> int:
        """After the comma of an apposition: skip a determiner and at most two lower-case words that describe
        the name that follows ("le conservateur Mariano Rajoy", "l'ancien ministre Jean Dupont")."""
        doc = self.doc
        if j >= len(doc) or doc[j].pos_ != "DET":
            return j
        k = j + 1
        while k < len(doc) and k - j <= 2 and doc[k].pos_ in ("ADJ", "NOUN") and doc[k].text[:1].islower():
            k += 1
        ent = self._ent_of.get(k)
        return k if k > j + 1 and ent is not None and ent.start == k and ent.label_ == "PER" else j

    def _named_earlier(self, head: Token) -> tuple[str, bool] | None:
        """(name, is a person) given beside the most recent earlier mention of the same noun, right after it
        ("la compagnie EgyptAir", "le groupe Renault"): an organisation or person entity, or proper nouns."""
        doc = self.doc
        lemma = head.lemma_.lower()
        for j in range(head.i - 1, max(-1, head.i - MAX_PRONOUN_DISTANCE), -1):
            t = doc[j]
            if t.pos_ != "NOUN" or t.lemma_.lower() != lemma:
                continue
            if self.quoted(t.idx) or j + 1 >= len(doc):  # (the latest mention decides)
                return None
            ent = self._ent_of.get(j + 1)
            if ent is not None:
                ok = ent.start == j + 1 and ent.label_ in ("ORG", "PER")
                return (ent._.canonical or ent.text, ent.label_ == "PER") if ok else None
            k = j + 1
            while k < len(doc) and doc[k].text[:1].isupper() and doc[k].is_alpha and \
                    doc[k].pos_ not in ("DET", "ADP", "PRON"):
                k += 1  # (the tagger may miss a brand: "EgyptAir" tagged AUX)
            return (doc[j + 1 : k].text, False) if k > j + 1 else None
        return None

    def _fuller_mention(self, head: Token) -> tuple[int, int] | None:
        """The most recent earlier mention of the same noun with adjectives ("armée égyptienne")."""
        doc = self.doc
        lemma = head.lemma_.lower()
        number = head.morph.get("Number")  # type: ignore[call-arg]  # spaCy stubs: MorphAnalysis.get's default is optional
        for j in range(head.i - 1, max(-1, head.i - MAX_PRONOUN_DISTANCE), -1):
            t = doc[j]
            if t.pos_ == "NOUN" and t.lemma_.lower() == lemma and t.morph.get("Number") == number:  # type: ignore[call-arg]  # spaCy stubs: MorphAnalysis.get's default is optional
                end = j + 1  # ("les chercheurs" is not "le chercheur principal")
                while end < len(doc) and end - j <= 3 and doc[end].pos_ in ("ADJ", "PROPN"):
                    end += 1
                if end == j + 1 and end < len(doc) and doc[end].lower_ in _DE and not self.quoted(t.idx):
                    end = self.np_end(j)  # "le ministère" after "le ministère de l'Intérieur"
                    named = any(doc[k].text[:1].isupper() for k in range(j + 1, end))
                    end = end if named and end - j <= MAX_FULLER_TOKENS else j + 1
                if end > j + 1:
                    return j, end
        return None
