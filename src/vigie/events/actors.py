"""Actor naming and coding: canonical name, country (ISO alpha-3 or "IGO") and PLOVER sector.

Names: an entity's canonical name; a subject pronoun or a description of an organisation ("il", "le groupe",
"cette branche", "le Front") is the salient actor `vigie.events.salience` finds; "ces deux candidats" the persons
named just before; a title or an organisation noun the entity it introduces ("le chef du Front al-Nosra, X" ->
X, affiliated to the Front; "les troupes de l'OTAN" -> OTAN, also at another mention of the unit); then
`vigie.quotes.coref` (titles such as "le président kazakh", noun phrases completed from fuller mentions); else the
noun phrase built here (head, adjectives, a short "de" complement). An event noun's adjective may name its
author ("la révolte populaire" -> population, "les frappes russes" -> Russie: `adjective_actor`). Coding, in order: an IGO (`resources/igos.tsv`); a country named
as the actor ("la Russie" -> RUS, GOV); a named armed group or an actor word (`resources/actor_sectors.tsv`,
"armée" -> MIL, "manifestants" -> CVL); a demonym or a country inside the phrase ("les forces russes" -> RUS,
"le président du Kazakhstan" -> KAZ); for a person, the title and country given beside the name in the
article; and, for domestic actors (police, authorities, protesters...) with no country, the article's
dominant country.
"""
from __future__ import annotations

from bisect import bisect_left

from spacy.tokens import Doc, Span, Token

from vigie.events.countries import alpha3, country_name, dominant_country, place_country
from vigie.events.lexicon import actor_adjectives, igo_sector, sectors
from vigie.events.mention import Actor
from vigie.events.salience import Salience
from vigie.language.demonyms import demonym_country, is_demonym
from vigie.language.names import fold
from vigie.lexicons import word_class, word_pairs
from vigie.nlp.extensions import french_parse

#: The word lists of this module (`resources/event_words_fr.tsv`, one class per list).
WORDS_FR = "event_words_fr.tsv"
__all__ = ["ActorCoder", "alpha3", "country_name", "dominant_country", "place_country"]

# Sectors whose actors are assumed to belong to the article's dominant country when nothing says otherwise.
DOMESTIC_SECTORS = frozenset({"COP", "CVL", "GOV", "OPP", "JUD", "LEG", "PTY"})
# Tokens looked at around a person's first full mention for a title and a country ("Bekir Bozdag, ministre
# de la Justice"; "le président du Kazakhstan, Kassym-Jomart Tokaïev").
TITLE_WINDOW = 7
# Nouns that stand for the organisation named in their complement ("la branche locale de l'organisation État
# islamique" -> État islamique) or beside them ("Ansar Beït al-Maqdess, la branche de l'EI" then "cette branche").
GENERIC_ORG_NOUNS = word_class(WORDS_FR, "generic_org_noun")
# Military units that stand for the organisation or state they belong to ("les troupes de l'OTAN" -> OTAN).
MILITARY_UNITS = frozenset({"contingent", "troupe", "force", "soldat", "mission", "casque", "bataillon", "unité"})
# How many characters after a name are read to complete it when it was cut at a hyphen ("d'Al" -> "d'Al-Qaida").
HYPHEN_WINDOW = 40
# A definite unit ("le contingent") takes the owner named at a mention of the same noun at most this many
# tokens away (about a news paragraph or two).
UNIT_WINDOW = 200
# Definite and demonstrative determiners: "cette branche", "l'organisation" refer back to something named before.
DEFINITE = frozenset({"le", "la", "les", "l'", "ce", "cet", "cette", "ces"})
PRONOUNS = frozenset({"il", "elle", "ils", "elles", "lui", "eux"})
DETERMINERS = word_class(WORDS_FR, "determiner")
# A coordinated common noun joins the actor's name when it has at most this many words ("X et Y" groups).
NP_CONJ_TOKENS = 5
# First parts of compound nationality adjectives ("israélo-") -> the first side's country (alpha-2).
COUNTRY_PREFIXES = word_pairs(WORDS_FR, "country_prefix")


def _lookup(table: dict, word: str) -> tuple[str | None, bool] | None:
    """A word of the sector table, also in the plural ("kamikazes", "forces")."""
    if not word:
        return None
    found = table.get(word)
    if found is None and word[-1:] in ("s", "x") and len(word) > 3:
        found = table.get(word[:-1])
    return found


def _extend_hyphen(name: str, end: int, text: str) -> str:  # noqa: D401
    """"commandement central d'Al" -> "... d'Al-Qaida": a name cut at a hyphen gets its end back."""
    k = end
    while k + 1 < len(text) and text[k] == "-" and text[k + 1].isalpha():
        k += 1
        while k < len(text) and (text[k].isalnum() or text[k] in "ïëéèàç"):
            k += 1
    return name + text[end:k] if k > end and name and text[end - 1 : end].isalnum() else name


def _definite(tok: Token) -> bool:
    """A definite or demonstrative noun phrase ("le", "cette", and the article inside "du", "au", "aux")."""
    return any(c.dep_ == "det" and c.lower_.replace("’", "'") in DEFINITE
               or c.dep_ == "case" and c.lower_ in ("du", "au", "aux") for c in tok.children)


def _strip_det(words: str) -> str:
    parts = words.replace("’", "'").split()
    while parts and parts[0].lower() in DETERMINERS:
        parts = parts[1:]
    text = " ".join(parts)
    for det in ("l'", "d'"):
        if text.lower().startswith(det):
            text = text[len(det):]
    return text.strip(" ,;:«»\"")


class ActorCoder:
    """Names and codes the actors of one document."""

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.coref = None
        if french_parse(doc):
            try:
                from vigie.quotes.coref import Coreference

                self.coref = Coreference(doc)
            except Exception:  # the coreference module is optional: fall back to the phrase itself
                self.coref = None
        # doc.ents is rebuilt from every token at each access: read once (no component after the entity
        # components changes them), with the character starts for lookups by offset
        self.ents: tuple[Span, ...] = tuple(doc.ents)
        self._ent_starts = [e.start_char for e in self.ents]
        self.ent_of: dict[int, Span] = {}
        for ent in self.ents:
            for i in range(ent.start, ent.end):
                self.ent_of[i] = ent
        self.dominant = dominant_country(doc)
        self._person_info: dict[str, tuple[str | None, str | None]] = {}
        self._persons: dict[str, list[Span]] | None = None  # canonical name -> its PER mentions, built on first use
        self._lemma_index: dict[str, list[int]] | None = None  # lowercased lemma -> token indices, on first use
        self.salience = Salience(doc, self.ent_of, self.ents) if french_parse(doc) else None
        self.date_tokens: set[int] = set()
        for d in doc._.dates or []:
            if isinstance(d, dict) and "start" in d:
                span = doc.char_span(d["start"], d["end"], alignment_mode="expand")
                if span is not None:
                    self.date_tokens.update(range(span.start, span.end))

    def text_after(self, end: int, width: int = HYPHEN_WINDOW) -> tuple[str, int]:
        """(the document's text from character `end`, for `width` characters or so; its offset). Doc.text is
        rebuilt from every token at each access: only the few tokens needed are read."""
        doc = self.doc
        length = doc[-1].idx + len(doc[-1].text_with_ws) if len(doc) else 0
        span = doc.char_span(end, min(end + width, length), alignment_mode="expand") if end < length else None
        return (span.text, span.start_char) if span is not None else ("", end)

    def _named_by(self, tok: Token) -> Span | None:
        """The entity a title or a generic organisation noun introduces: "le président du Kazakhstan, Kassym-Jomart
        Tokaïev" -> the person; "la branche locale de l'organisation État islamique" -> the organisation."""
        lemma = tok.lemma_.lower()
        known = sectors().get(lemma)
        if known is not None and known[0] and lemma not in GENERIC_ORG_NOUNS:
            for c in tok.children:
                ent = self.ent_of.get(c.i)
                if ent is not None and self._person_like(ent) and c.dep_ in ("appos", "nmod", "flat:name", "flat") and c.i > tok.i:
                    return ent
        if lemma in GENERIC_ORG_NOUNS | MILITARY_UNITS:
            owner = self._owner(tok)
            if owner is not None:
                return owner
        if lemma in MILITARY_UNITS and _definite(tok):
            # "le contingent militaire" and "le contingent de maintien de la paix de l'OTSC": one unit, whose owner
            # is given at another mention of it (earlier ones first: a lead often names the unit before its owner)
            before = reversed(self.doc[max(0, tok.i - UNIT_WINDOW) : tok.i])
            after = self.doc[tok.i + 1 : tok.i + 1 + UNIT_WINDOW]
            for t in list(before) + list(after):
                if t.lemma_.lower() == lemma:
                    owner = self._owner(t)
                    if owner is not None:
                        return owner
        return None

    def _owner(self, tok: Token) -> Span | None:
        """The organisation a unit or an organisation noun belongs to, named in its complements."""
        if tok.lemma_.lower() in MILITARY_UNITS:
            # "le retrait du contingent ... de l'OTSC": the unit's organisation, a sibling complement
            for c in tok.head.children:
                ent = self.ent_of.get(c.i)
                if c.i > tok.i and ent is not None and ent.label_ == "ORG" and c.dep_.startswith(("obl", "nmod")):
                    return ent
        frontier, found = [tok], []
        for _ in range(3):
            nxt = []
            for t in frontier:
                for c in t.children:
                    if c.i <= tok.i or not (c.dep_.startswith(("nmod", "appos", "flat")) or c.i in self.ent_of):
                        continue
                    ent = self.ent_of.get(c.i)
                    if ent is not None and ent.label_ == "ORG":
                        found.append(ent)
                    nxt.append(c)
            frontier = nxt
        if found:  # the first name written: "l'organisation État islamique (Daech)" -> État islamique
            return min(found, key=lambda e: e.start)
        for c in tok.children:  # "le commandement central du groupe": the organisation "le groupe" stands for
            if self.salience is not None and c.i > tok.i and c.dep_.startswith("nmod") and c.pos_ == "NOUN":
                ante = self.salience.description(c)
                if ante is not None and ante.i in self.ent_of:
                    return self.ent_of[ante.i]
        return None

    def _affiliation(self, title: Token) -> str | None:
        """The organisation or country a title belongs to: "le chef du Front al-Nosra" -> "Front al-Nosra"."""
        for c in title.children:
            ent = self.ent_of.get(c.i)
            if c.i > title.i and c.dep_.startswith("nmod") and ent is not None and ent.label_ in ("ORG", "LOC"):
                return ent._.canonical or ent.text
        return None

    def _person_like(self, ent: Span) -> bool:
        """A PER entity, or a name the NER mislabelled that is no known place ("Kassym-Jomart Tokaïev" as LOC)."""
        if ent.label_ == "PER":
            return True
        return ent.label_ in ("LOC", "MISC") and len(ent) >= 2 and place_country(ent.text)[0] is None

    def _titled(self, tok: Token) -> Span | None:
        """"le président kazakh" -> the person the article introduced as "le président du Kazakhstan, X"."""
        lemma = tok.lemma_.lower()
        known = sectors().get(lemma)
        if known is None or known[0] not in ("GOV", "MIL", "JUD", "LEG", "REL"):
            return None
        if not _definite(tok):
            return None
        country = None
        for c in tok.children:
            country = country or demonym_country(c.text) or (place_country(c.text)[0] if c.text[:1].isupper() else None)
        best = None
        for i in self._lemma_positions(lemma):
            if i >= tok.i:
                break
            t = self.doc[i]
            ent = None
            for c in t.children:
                e = self.ent_of.get(c.i)
                if e is not None and self._person_like(e) and c.i > t.i:
                    ent = e
            if ent is None:
                continue
            t_country = None
            for c in t.children:
                t_country = t_country or demonym_country(c.text) or (place_country(c.text)[0] if c.text[:1].isupper() else None)
            if country and t_country and country != t_country:
                continue
            best = ent
        return best

    def _lemma_positions(self, lemma: str) -> list[int]:
        """Indices of the tokens whose lowercased lemma is `lemma`, in text order."""
        if self._lemma_index is None:
            index: dict[str, list[int]] = {}
            for t in self.doc:
                index.setdefault(t.lemma_.lower(), []).append(t.i)
            self._lemma_index = index
        return self._lemma_index.get(lemma, [])

    def _plain(self, tok: Token) -> Actor | None:
        ent = self.ent_of.get(tok.i) or self._named_by(tok)
        if ent is not None:
            name, start, end = ent._.canonical or ent.text, ent.start_char, ent.end_char
        else:
            name, start, end = self._noun_phrase(tok)
        name = _strip_det(" ".join(name.split()))
        if not name:
            return None
        actor = Actor(name=name, start=start, end=end, entity=ent is not None)
        self.code(actor, ent.root if ent is not None else tok, ent)
        return actor

    def from_name(self, name: str, start: int, end: int) -> Actor:
        """An actor known only by its name (a quote's speaker)."""
        span = self.doc.char_span(start, end, alignment_mode="expand") if end > start else None
        tok = span.root if span is not None else None
        ent = self._entity_in(start, end) if end > start else None
        actor = Actor(name=name, start=start, end=end, entity=ent is not None)
        if tok is not None:
            self.code(actor, tok, ent)
        return actor

    def is_event_noun(self, tok: Token) -> bool:
        from vigie.events.lexicon import triggers

        return tok.pos_ == "NOUN" and any(e.pos == "N" for e in triggers("fr").get(tok.lemma_.lower(), ()))

    # ------------------------------------------------------------------ naming
    def actor(self, tok: Token | None) -> Actor | None:
        if tok is None or tok.i in self.date_tokens or (self.is_event_noun(tok) and tok.i not in self.ent_of):
            return None  # "l'attaque du 16 février": a date or an event is not an actor
        from vigie.events.arguments import ADVERBIAL_NOUNS

        if tok.lemma_.lower() in ADVERBIAL_NOUNS:
            return None
        name, start, end, entity = None, tok.idx, tok.idx + len(tok.text), False
        ent = self.ent_of.get(tok.i)
        pronoun = tok.pos_ == "PRON" and tok.lower_ in PRONOUNS
        if pronoun and self.salience is not None:
            ante = self.salience.pronoun(tok)  # the topic the clauses before continue ("Le groupe ... Il s'est allié")
            if ante is not None:
                return self.actor(ante)
        named = None if ent is not None or tok.pos_ == "PRON" else self._named_by(tok)
        if named is None and ent is None and tok.pos_ == "NOUN":
            named = self._titled(tok)
        if (tok.lemma_.lower() == "pays" and ent is None and self.dominant and _definite(tok)
                and "Plur" not in tok.morph.get("Number", []) and not any(c.dep_.startswith("nmod") for c in tok.children)):
            # "le pays demande ...": the country the article is about
            return Actor(country_name(self.dominant) or tok.text, tok.idx, tok.idx + len(tok.text),
                         country=alpha3(self.dominant), sector="GOV", entity=True, place=True)
        if named is None and tok.pos_ in ("NOUN", "PROPN") and self.salience is not None:
            group = self.salience.group(tok)  # "ces deux candidats" -> the two persons named just before
            if group:
                return self._joined([self.actor(t) for t in group], tok)
            if ent is None or (len(ent) == 1 and ent.label_ != "PER"):
                ante = self.salience.description(tok)  # "le groupe", "cette branche", "le Front"
                if ante is not None and ante.i != tok.i:
                    return self.actor(ante)
        if named is not None:
            actor = self._plain(named.root)
            if actor is not None and tok.lemma_.lower() in MILITARY_UNITS:
                actor.head = tok.lemma_.lower()[:6]
            if actor is not None and named.label_ != "ORG":
                actor.affiliation = self._affiliation(tok)
            return actor
        if self.coref is not None:
            try:
                ref = self.coref.resolve(tok)
            except Exception:
                ref = None
            if ref is not None and ref.name:
                name, start, end = ref.name, ref.start, ref.end
                ent = ent or self._entity_in(start, end)
        if name is None:
            if tok.pos_ == "PRON":
                return None
            if ent is not None:
                name, start, end = ent._.canonical or ent.text, ent.start_char, ent.end_char
            else:
                name, start, end = self._noun_phrase(tok)
        after, offset = self.text_after(end - 1)
        name = _strip_det(" ".join(_extend_hyphen(name, end - offset, after).split()))
        if not name or name.lower() in DETERMINERS:
            return None
        if ent is not None and fold(name) == fold(ent._.canonical or ent.text) and not is_demonym(name):
            entity = True  # (a demonym is a description, "un Français", not a name)
        actor = Actor(name=name, start=start, end=end, entity=entity)
        self.code(actor, tok, ent)
        return actor

    def adjective_pair(self, tok: Token) -> tuple[Actor, Actor] | None:
        """The two sides a compound nationality adjective names: "les affrontements israélo-palestiniens" ->
        (Israël, Palestine), "le rapprochement russo-américain" -> (Russie, États-Unis)."""
        for c in tok.children:
            if c.dep_ != "amod" or c.i < tok.i:
                continue
            first, second = self._compound_sides(c)
            if first and second:
                a, b = (Actor(country_name(k) or k, c.idx, c.idx + len(c.text), country=alpha3(k), sector="GOV",
                              entity=True) for k in (first, second))
                return a, b
        return None

    def _compound_sides(self, adj: Token) -> tuple[str | None, str | None]:
        """(first country, second country) of "israélo-palestinien", read from the text (the tokenizer may cut it)."""
        doc = self.doc
        end = adj.i
        while end + 2 < len(doc) and not doc[end].whitespace_ and doc[end + 1].text == "-":
            end += 2
        start = adj.i
        while start >= 2 and doc[start - 1].text == "-" and not doc[start - 2].whitespace_ and not doc[start - 1].whitespace_:
            start -= 2
        word = doc[start : end + 1].text.lower()
        head, sep, rest = word.partition("-")
        if not sep:
            return None, None
        first = COUNTRY_PREFIXES.get(head)
        second = demonym_country(rest)
        return (first, second) if first and second and first != second else (None, None)

    def adjective_actor(self, tok: Token, event_type: str) -> Actor | None:
        """The author an event noun's adjective names: "les frappes russes" -> Russie, "la révolte populaire" ->
        population ("l'aide militaire" is a kind of aid, not the army's)."""
        table = actor_adjectives()
        for c in tok.children:
            if c.dep_ != "amod" or c.pos_ not in ("ADJ", "VERB", "NOUN") or c.i < tok.i:
                continue
            if "-" in c.text or (c.i + 1 < len(c.doc) and c.doc[c.i + 1].text == "-"):
                continue  # "israélo-palestinien" names two sides (adjective_pair)
            country = demonym_country(c.text) if c.text[:1].islower() else None
            if country:
                actor = Actor(country_name(country) or c.text, c.idx, c.idx + len(c.text), country=alpha3(country),
                              sector="GOV", entity=True)
                return actor
            found = table.get(c.lower_) or table.get(c.lemma_.lower())
            if found and event_type != "AID":
                name, sector = found
                known = _lookup(sectors(), name)
                actor = Actor(name, c.idx, c.idx + len(c.text), sector=sector, perp=bool(known and known[1]))
                if sector in DOMESTIC_SECTORS and self.dominant:
                    actor.country = alpha3(self.dominant)
                return actor
        return None

    def _joined(self, actors: list[Actor | None], tok: Token) -> Actor | None:
        """One actor for persons acting together ("Guy-Brice Parfait Kolélas et Jean-Marie Michel Mokoko")."""
        known = [a for a in actors if a is not None]
        if not known:
            return None
        actor = Actor(name=" et ".join(a.name for a in known), start=tok.idx, end=tok.idx + len(tok.text), entity=True)
        countries = {a.country for a in known}
        actor.country = countries.pop() if len(countries) == 1 else None
        # the sector the description gives ("candidats d'opposition" -> OPP), else the persons' common one
        described = [sectors().get(t.lemma_.lower()) for t in tok.subtree]
        own = next((d[0] for d in described if d and d[0]), None)
        sectors_ = {a.sector for a in known}
        actor.sector = own or (sectors_.pop() if len(sectors_) == 1 else None)
        if actor.country is None and actor.sector in DOMESTIC_SECTORS and self.dominant:
            actor.country = alpha3(self.dominant)
        return actor

    def _entity_in(self, start: int, end: int) -> Span | None:
        """The first entity inside characters start..end. Entities are sorted and do not overlap, so it is the
        first one starting at or after `start`, if that one ends by `end`."""
        k = bisect_left(self._ent_starts, start)
        if k < len(self.ents) and self.ents[k].end_char <= end:
            return self.ents[k]
        return None

    def _noun_phrase(self, tok: Token) -> tuple[str, int, int]:
        """Head plus adjectives, flat names and one short "de" complement ("forces de sécurité")."""
        keep = [tok]
        for c in tok.children:
            if c.i < tok.i and c.dep_ in ("amod", "compound") and c.pos_ == "ADJ":
                keep.append(c)
            if c.i > tok.i and c.dep_ in ("amod", "flat:name", "flat", "fixed", "compound", "nummod") and c.pos_ != "PUNCT":
                # an adjective alone, or coordinated adjectives ("les supporteurs anglais et russes")
                coordinated = c.dep_ == "amod" and any(
                    g.dep_ == "conj" and g.pos_ in ("ADJ", "NOUN") and g.text[:1].islower() for g in c.children)
                keep.extend(c.subtree if c.dep_ != "amod" or coordinated else [c])
            if (c.i > tok.i and c.dep_ == "conj" and c.pos_ == "NOUN" and not c.ent_type_ and not tok.ent_type_
                    and any(g.dep_ == "cc" and g.lower_ in ("et", "ou") for g in c.children)
                    and len(list(c.subtree)) <= NP_CONJ_TOKENS):
                keep.extend(c.subtree)  # "loyalistes caldoches et indépendantistes kanak": one side of two groups
            if c.i > tok.i and c.dep_ == "nmod" and len(list(c.subtree)) <= 4 and all(
                t.i > tok.i for t in c.subtree
            ):
                keep.extend(c.subtree)
        lo, hi = min(t.i for t in keep), max(t.i for t in keep)
        # stop at a comma or a relative pronoun inside the span
        for i in range(tok.i + 1, hi + 1):
            t = self.doc[i]
            if (t.is_punct and t.text not in "-'’") or t.lower_ in ("qui", "que", "dont"):
                hi = i - 1
                break
        span = self.doc[lo : hi + 1]
        return span.text, span.start_char, span.end_char

    # ------------------------------------------------------------------ coding
    def code(self, actor: Actor, tok: Token, ent: Span | None) -> None:
        name = actor.name
        table = sectors()
        igo = igo_sector(name)
        if igo is not None:
            actor.country, actor.sector = "IGO", igo
            return
        if ent is not None and ent.label_ == "LOC" or (ent is None and tok.ent_type_ == "LOC"):
            c, kind = place_country(name)
            if c:
                actor.place = True
                actor.country = alpha3(c)
                actor.sector = "GOV" if kind == "country" else None
                return
        known = _lookup(table, fold(name)) or _lookup(table, name.lower())
        head = tok.lemma_.lower() if tok.pos_ != "PRON" else ""
        if known is None and head:
            known = table.get(head) or table.get(tok.lower_)
        if known is None:
            first = name.lower().replace("’", "'").split()
            if first:
                known = _lookup(table, first[0])
        if known is not None:
            actor.sector, actor.perp = known
        # a demonym or a country inside the phrase
        for w in name.replace("-", " - ").replace("'", " ").split():
            c = demonym_country(w)
            if c is None and w[:1].isupper():
                c2, kind = place_country(w)
                c = c2 if kind == "country" else None
            if c:
                actor.country = alpha3(c)
                break
        if actor.country is None:
            # the entities inside the actor's span (sorted, not overlapping: from the first starting in it)
            for e in self.ents[bisect_left(self._ent_starts, actor.start) :]:
                if e.start_char >= actor.end:
                    break
                if e.label_ == "LOC" and e.end_char <= actor.end and e.text != name:
                    c, kind = place_country(e.text)
                    if c and kind == "country":
                        actor.country = alpha3(c)
                        break
        if ent is not None and ent.label_ == "PER":
            title_sector, title_country = self.person_info(ent._.canonical or ent.text)
            actor.sector = actor.sector or title_sector
            actor.country = actor.country or title_country
        if actor.country is None and actor.sector in DOMESTIC_SECTORS and not actor.entity and self.dominant:
            actor.country = alpha3(self.dominant)

    def person_info(self, canonical: str) -> tuple[str | None, str | None]:
        """(sector, alpha-3) from the title and country written beside the person's mentions."""
        if canonical in self._person_info:
            return self._person_info[canonical]
        sector, country = None, None
        table = sectors()
        if self._persons is None:
            self._persons = {}
            for ent in self.ents:
                if ent.label_ == "PER":
                    self._persons.setdefault(ent._.canonical or ent.text, []).append(ent)
        for ent in self._persons.get(canonical, []):
            lo, hi = max(ent.start - TITLE_WINDOW, ent.sent.start), min(ent.end + TITLE_WINDOW, ent.sent.end)
            for t in list(self.doc[lo : ent.start]) + list(self.doc[ent.end : hi]):
                if t.i in self.ent_of and self.ent_of[t.i].label_ == "PER":
                    continue
                known = table.get(t.lemma_.lower())
                if sector is None and known and known[0]:
                    sector = known[0]
                c = demonym_country(t.text)
                if c is None and t.ent_type_ == "LOC":
                    c2, kind = place_country(self.ent_of[t.i].text) if t.i in self.ent_of else (None, None)
                    c = c2 if kind == "country" else None
                if country is None and c:
                    country = alpha3(c)
            if sector or country:
                break
        self._person_info[canonical] = (sector, country)
        return sector, country
