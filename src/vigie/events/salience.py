"""Who a pronoun or a description stands for, for the event coder: the article's salient actors.

The quotes' coreference (`vigie.quotes.coref`) is centred on speakers, that is persons; event actors are as
often organisations, armed groups and states ("Le Front al-Nosra ... Le groupe se bat ... Il s'est allié").
This module adds, for French parsed documents:
- actors: the entity mentions (persons, organisations, countries, and names of several words the NER called
  LOC or MISC that are no known place) grouped by name ("Front Al-Nosra", "Front al-Nosra", "al-Nosra": one
  name's words end the other's);
- a subject pronoun ("il", "elle", "ils", "elles") -> the most recent subject, of agreeing gender and number,
  that names an actor: an entity, an actor noun ("les manifestants", "le groupe"), a relative "qui" through
  its antecedent, an earlier pronoun through its own antecedent (centering: a pronoun continues the topic of
  the clauses before it rather than the last person named);
- a definite description of an organisation ("le groupe", "l'organisation", "le mouvement") -> the organisation
  the subjects of the clauses before name (centering again), else the most salient organisation named before
  it, never the one its own clause's subject names ("cette branche a prêté allégeance à l'organisation"); a
  demonstrative one ("cette branche") -> the organisation the article described with that noun ("Ansar Beït
  al-Maqdess, la branche de l'EI"); the first word of an organisation's name written alone ("le Front") -> that
  organisation;
- "ces deux candidats", "les trois hommes" -> the persons named just before.
Salience of an actor at a point: its mentions before it, subjects and the title counting more.
"""
from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from vigie.entities.gazetteer import lookup as gazetteer_lookup
from vigie.events.lexicon import sectors
from vigie.language.names import fold, name_tokens
from vigie.lexicons import word_class

#: The word lists of this module (`resources/event_words_fr.tsv`, one class per list).
WORDS_FR = "event_words_fr.tsv"
# Nouns that describe an organisation and refer back to one when used alone ("le groupe", "cette branche").
ORG_DESCRIPTIONS = word_class(WORDS_FR, "org_description")
PRONOUN_GENDER = {"il": "Masc", "ils": "Masc", "lui": "Masc", "eux": "Masc", "elle": "Fem", "elles": "Fem"}
PLURAL_PRONOUNS = frozenset({"ils", "elles", "eux"})
RELATIVES = frozenset({"qui", "lequel", "laquelle", "lesquels", "lesquelles"})
DEMONSTRATIVES = frozenset({"ce", "cet", "cette", "ces"})
DEFINITES = frozenset({"le", "la", "les", "l'"}) | DEMONSTRATIVES
NUMBER_WORDS = {"deux": 2, "trois": 3, "quatre": 4}
# A pronoun's or a description's antecedent is a subject at most this many tokens back (about three news
# sentences; tokens rather than sentences, which the parser sometimes cuts inside a name).
PRONOUN_WINDOW = 90
# A group ("ces deux candidats") names persons mentioned at most this many tokens back (about two sentences).
GROUP_WINDOW = 60
# Salience weights of one mention: any mention 1, plus this in subject position, plus this in the title.
# Set from how news articles introduce their topic (title subject, then subject of the lead), not by a sweep.
SUBJECT_WEIGHT = 2
TITLE_WEIGHT = 2
# An organisation the article described with the description's own noun ("X, la branche de ...") gets this.
DESCRIBED_WEIGHT = 3


@dataclass(slots=True)
class _Actor:
    """Entity mentions naming one actor."""

    name: list[str]  # name tokens of the longest mention (folded, no honorifics)
    mentions: list[Span] = field(default_factory=list)
    org: bool = False  # an organisation (ORG, or described by an organisation noun)
    person: bool = False
    described: dict[str, int] = field(default_factory=dict)  # description lemma -> token index


def _suffix(a: list[str], b: list[str]) -> bool:
    """One name's words end the other's ("al nosra" / "front al nosra")."""
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    return bool(short) and long_[-len(short):] == short


class Salience:
    """Resolve pronouns and descriptions of one parsed French Doc to actor tokens."""

    def __init__(self, doc: Doc, ent_of: dict[int, Span], ents: tuple[Span, ...] | None = None) -> None:
        self.doc = doc
        self.ent_of = ent_of
        # doc.ents is rebuilt from every token at each access: the caller's copy, or one read here
        self.ents = tuple(doc.ents) if ents is None else ents
        self._ent_starts = [e.start for e in self.ents]
        self.actors: list[_Actor] = []
        self.actor_of: dict[int, _Actor] = {}  # entity start token -> its actor
        # name words -> positions in `actors` of the actors whose name ends with them (`_add` finds the last
        # actor whose name ends the new mention's, or the other way round, without reading every actor)
        self._by_suffix: dict[tuple[str, ...], set[int]] = {}
        self._by_name: dict[tuple[str, ...], list[int]] = {}  # a name once held (check it is still the name)
        # the first line is the title (the parser may cut it at a colon: its first sentence is not)
        self._title_end = next((t.i + 1 for t in doc if "\n" in t.text_with_ws), len(doc))
        self._subjects = [t for t in doc if t.dep_ in ("nsubj", "nsubj:pass")]
        self._subject_is = [t.i for t in self._subjects]
        self._memo: dict[int, Token | None] = {}  # pronoun -> antecedent
        self._described: dict[int, Token | None] = {}  # description -> antecedent
        for ent in self.ents:
            self._add(ent)
        self._describe()

    # ------------------------------------------------------------------------------------------- actors
    def _add(self, ent: Span) -> None:
        if ent.label_ == "LOC":
            entry = gazetteer_lookup(ent.text)
            if entry is not None and not (entry.label == "LOC" and entry.kind == "country"):
                return  # a city or a region does not act; a country does ("la Russie a envoyé")
            if entry is None and len(ent) < 2:
                return
        elif ent.label_ not in ("PER", "ORG", "MISC"):
            return
        toks = name_tokens(ent._.canonical or ent.text)
        if not toks:
            return
        pos = self._last_alike(tuple(toks))
        if pos is None:
            found = _Actor(toks)
            self.actors.append(found)
            self._index_name(len(self.actors) - 1, tuple(toks))
        else:
            found = self.actors[pos]
            if len(toks) > len(found.name):
                found.name = toks
                self._index_name(pos, tuple(toks))
        found.mentions.append(ent)
        found.org = found.org or ent.label_ == "ORG"
        found.person = found.person or ent.label_ == "PER"
        self.actor_of[ent.start] = found

    def _last_alike(self, key: tuple[str, ...]) -> int | None:
        """Position of the last actor whose name `_suffix` relates to `key` (one ends the other), through the
        indexes rather than by comparing with every actor."""
        found = set(self._by_suffix.get(key, ()))  # names that end with `key`
        for k in range(1, len(key) + 1):  # names `key` ends with (still their actor's name)
            found.update(i for i in self._by_name.get(key[-k:], ()) if tuple(self.actors[i].name) == key[-k:])
        return max(found) if found else None

    def _index_name(self, pos: int, name: tuple[str, ...]) -> None:
        """Index the actor at `pos` under its (new) name. A name only grows by words in front (`_suffix`), so
        the suffixes of the old name stay suffixes of the new one."""
        self._by_name.setdefault(name, []).append(pos)
        for k in range(1, len(name) + 1):
            self._by_suffix.setdefault(name[-k:], set()).add(pos)

    def _describe(self) -> None:
        """Descriptions written beside a name: "X, la branche de ...", "le groupe djihadiste X"."""
        doc = self.doc
        for actor in self.actors:
            for ent in actor.mentions:
                nouns = []
                j = ent.end
                if j < len(doc) and doc[j].text == ",":
                    j += 1
                    while j < len(doc) and doc[j].pos_ == "DET":
                        j += 1
                    if j < len(doc) and doc[j].pos_ == "NOUN":
                        nouns.append(doc[j])
                j = ent.start - 1
                while j >= 0 and doc[j].pos_ == "ADJ":
                    j -= 1
                if j >= 0 and doc[j].pos_ == "NOUN":
                    nouns.append(doc[j])
                for n in nouns:
                    lemma = n.lemma_.lower()
                    actor.described.setdefault(lemma, n.i)
                    if lemma in ORG_DESCRIPTIONS:
                        actor.org = True

    def _salience(self, actor: _Actor, before: int) -> float:
        score = 0.0
        for ent in actor.mentions:
            if ent.start >= before:
                break
            score += 1
            if any(t.dep_ in ("nsubj", "nsubj:pass") for t in ent) or (
                    ent.root.dep_ == "appos" and ent.root.head.dep_ in ("nsubj", "nsubj:pass")):
                score += SUBJECT_WEIGHT
            if ent.start < self._title_end:
                score += TITLE_WEIGHT
        return score

    def _best(self, candidates: list[_Actor], before: int, lemma: str | None = None) -> Token | None:
        scored = []
        for a in candidates:
            s = self._salience(a, before)
            if s <= 0:
                continue
            if lemma is not None and a.described.get(lemma, before) < before:
                s += DESCRIBED_WEIGHT
            last = max(e.start for e in a.mentions if e.start < before)
            scored.append((s, last, a))
        if not scored:
            return None
        _, _, best = max(scored, key=lambda x: (x[0], x[1]))
        return self._head(best, before)

    @staticmethod
    def _head(actor: _Actor, before: int) -> Token:
        """The root token of the actor's fullest mention before `before` (its canonical name names it)."""
        prior = [e for e in actor.mentions if e.start < before] or actor.mentions
        return max(prior, key=lambda e: (len(e), -e.start)).root

    # ------------------------------------------------------------------------------------------- descriptions
    def description(self, tok: Token) -> Token | None:
        """The organisation a definite description or a name's first word stands for, else None."""
        # determiners, and the article inside "du"/"au" ("le commandement du groupe")
        dets = {c.lower_.replace("’", "'") for c in tok.children if c.dep_ == "det"}
        dets |= {"le" for c in tok.children if c.dep_ == "case" and c.lower_ in ("du", "au")}
        if not dets & DEFINITES or "Plur" in tok.morph.get("Number", []):
            return None
        if any(c.dep_.startswith(("nmod", "appos", "acl")) and c.i > tok.i for c in tok.children):
            return None  # "le groupe de travail", "l'organisation qui ...": the noun is described here
        if tok.text[:1].isupper():
            key = fold(tok.text)
            named = [a for a in self.actors if a.org and len(a.name) > 1 and a.name[0] == key]
            return self._best(named, tok.i)
        lemma = tok.lemma_.lower()
        if tok.pos_ != "NOUN" or lemma not in ORG_DESCRIPTIONS:
            return None
        if dets & DEMONSTRATIVES:  # "cette branche": the one the article called so
            described = [a for a in self.actors if a.described.get(lemma, tok.i) < tok.i]
            if described:
                return self._head(max(described, key=lambda a: a.described[lemma]), tok.i)
        # the actor its own clause's subject names is someone else ("cette branche a prêté allégeance à l'organisation")
        own = self._clause_subject(tok)
        exclude = {id(self.actor_of.get(self.ent_of[own.i].start))} if own is not None and own.i in self.ent_of else set()
        # "Le Front al-Nosra annonce ... Le groupe se bat": the organisation the clauses before are about
        for s in self._subjects_before(tok, PRONOUN_WINDOW):
            ante = self._antecedent(s)
            if ante is not None and ante.i in self.ent_of:
                actor = self.actor_of.get(self.ent_of[ante.i].start)
                if actor is not None and actor.org and id(actor) not in exclude:
                    return ante
        return self._best([a for a in self.actors if a.org and id(a) not in exclude], tok.i, lemma)

    def _clause_subject(self, tok: Token) -> Token | None:
        """The antecedent of the subject of the verb governing a non-subject `tok`."""
        if tok.dep_ in ("nsubj", "nsubj:pass"):
            return None
        v = tok.head
        for _ in range(3):
            if v.pos_ in ("VERB", "AUX") or v.head == v:
                break
            v = v.head
        subj = next((c for c in v.children if c.dep_ in ("nsubj", "nsubj:pass") and c.i < tok.i), None)
        return self._antecedent(subj) if subj is not None else None

    def group(self, tok: Token) -> list[Token] | None:
        """"ces deux candidats" -> the two persons named last before it (within two sentences)."""
        if tok.pos_ != "NOUN" or "Plur" not in tok.morph.get("Number", []):
            return None
        n = next((NUMBER_WORDS[c.lower_] for c in tok.children if c.lower_ in NUMBER_WORDS), None)
        if n is None or not any(c.dep_ == "det" and c.lower_ in ("ces", "les") for c in tok.children):
            return None
        bound = tok.i - GROUP_WINDOW
        persons: list[_Actor] = []
        for ent in reversed(self.ents[: bisect_left(self._ent_starts, tok.i)]):  # the entities before it
            if ent.start < bound:
                break
            actor = self.actor_of.get(ent.start)
            if actor is not None and actor.person and actor not in persons:
                persons.append(actor)
        if len(persons) < n:
            return None
        return [self._head(a, tok.i) for a in reversed(persons[:n])]

    # ------------------------------------------------------------------------------------------- pronouns
    def pronoun(self, tok: Token) -> Token | None:
        """The head token of what a subject pronoun stands for: the last agreeing actor subject before it."""
        if tok.i in self._memo:
            return self._memo[tok.i]
        self._memo[tok.i] = None  # (a cycle through a parse error resolves to nothing)
        low = tok.lower_
        gender, plural = PRONOUN_GENDER.get(low), low in PLURAL_PRONOUNS
        found = None
        for s in self._subjects_before(tok, PRONOUN_WINDOW):
            ante = self._antecedent(s)
            if ante is not None and ante.i != tok.i and self._is_actor(ante) and self._agrees(ante, gender, plural):
                found = ante
                break
        self._memo[tok.i] = found
        return found

    def _subjects_before(self, tok: Token, window: int) -> list[Token]:
        """Subjects at most `window` tokens before `tok`, nearest first."""
        lo, hi = bisect_left(self._subject_is, tok.i - window), bisect_left(self._subject_is, tok.i)
        return self._subjects[lo:hi][::-1]

    def _antecedent(self, tok: Token) -> Token | None:
        low = tok.lower_
        if tok.pos_ == "PRON" and low in PRONOUN_GENDER:
            return self.pronoun(tok)
        if low in RELATIVES:
            v = tok.head
            while v.dep_ in ("conj", "xcomp") and v.head != v:
                v = v.head
            return v.head if v.dep_ in ("acl:relcl", "acl") and v.head.i < tok.i else None
        if tok.pos_ in ("NOUN", "PROPN"):
            if tok.i not in self.ent_of:
                if tok.i not in self._described:
                    self._described[tok.i] = None  # (guards the recursion through earlier subjects)
                    self._described[tok.i] = self.description(tok)
                return self._described[tok.i] or tok
            return tok
        return None

    def _is_actor(self, tok: Token) -> bool:
        if tok.i in self.ent_of:
            ent = self.ent_of[tok.i]
            return self.actor_of.get(ent.start) is not None
        table = sectors()
        return tok.lemma_.lower() in table or tok.lower_ in table

    def _agrees(self, tok: Token, gender: str | None, plural: bool) -> bool:
        ent = self.ent_of.get(tok.i)
        head = ent.root if ent is not None else tok
        number = head.morph.get("Number", [])
        first = self.doc[ent.start - 1].lower_ if ent is not None and ent.start > 0 else ""
        is_plural = "Plur" in number or first in ("les", "des", "aux")
        if ent is not None and ent.label_ == "PER":
            is_plural = False
        if is_plural != plural:
            return False
        g = head.morph.get("Gender", [])
        if ent is not None:
            g = {"le": ["Masc"], "du": ["Masc"], "au": ["Masc"], "la": ["Fem"]}.get(first, g if ent.label_ != "PER" else [])
        return not gender or not g or gender in g
