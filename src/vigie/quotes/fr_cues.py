"""French cues on a parsed Doc: which tokens are reporting verbs, and who their subject is.

`FrenchCues` holds what the French quote rules share: the document, its layout, the lexicon, the
coreference resolver, the quotation marks that hold reported words, and the verb-level questions — is this
token a reporting verb used as a verb (`cue_lemma`: the form table first, spaCy's lemma second, because the
lemmatiser misses some forms: "indique" -> "indique"), and which words name its subject (`subject`: an
inverted clitic, the parse's nsubj, an inverted noun phrase in an incise, the subject of a coordinated or
governing verb, or a walk left over auxiliaries, adverbs and appositions when the parse has none).
`quotes_fr_indirect` builds indirect speech on top of it and `quotes_fr` direct quotations and the driver.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from spacy.attrs import LEMMA, LOWER
from spacy.strings import hash_string  # type: ignore[attr-defined]
from spacy.tokens import Doc, Token

from vigie.lexicons import word_class
from vigie.quotes.common import Candidate, QuotedSpans, reported_words
from vigie.quotes.coref import Coreference
from vigie.quotes.lexicon import Lexicon, french
from vigie.quotes.text import Layout, Mark

# Tokens from a verb to its complement ("a indiqué, dans un communiqué, que"), and from the left end of a
# subject phrase to its head ("la préfecture des Alpes-Maritimes").
MAX_VERB_TO_COMPLEMENT = 10

INVERTED_CLITICS = frozenset({"-il", "-elle", "-ils", "-elles", "-on", "il", "elle", "ils", "elles"})
_T = frozenset({"-t", "-t-", "t"})
NON_SPEAKER_SUBJECTS = word_class("quote_words_fr.tsv", "non_speaker_subject")
NEGATIONS = frozenset({"pas", "jamais", "nullement", "guère", "aucunement", "point"})
# Emphatic pronouns between an auxiliary and its participle ("ont eux-mêmes accusé").
EMPHATIC = frozenset({"eux", "même", "eux-mêmes", "elle-même", "lui-même", "elles-mêmes"})
CLITICS = word_class("quote_words_fr.tsv", "clitic")
# Around a time noun after an inverted verb: "un jour", "ce matin", "mardi dernier", "lundi soir".
TIME_DETERMINERS = frozenset({"un", "une", "ce", "cet", "cette", "le", "la", "l'"})
TIME_MODIFIERS = frozenset({"dernier", "dernière", "prochain", "prochaine", "même", "soir", "matin", "après-midi"})
# A cue inside a quotation: a comma or dash, a reporting verb with an inverted clitic ("souligne-t-elle") or a
# name ("ajoute M. Dupont", "estime Marie Durand"), and the punctuation that closes the incise.
INCISE_RE = re.compile(
    r"[,–—]\s*(?P<verb>[^\W\d_]+)(?:(?:-t)?-(?:il|elle|ils|elles|on)\b"
    r"|\s+(?:(?:M\.|Mme|Me|Dr)\s+)?[A-ZÉÈÀÂÎÔ][\w’'-]+(?:\s+(?:de\s+|d'|le\s+|la\s+)?[A-ZÉÈÀÂÎÔ][\w’'-]+){0,3})"
    r"\s*(?P<after>[,.;!?–—]|$)")
# A second part shorter than this after a cue is dropped ("« ..., a-t-il dit. »").
MIN_CONTINUATION_CHARS = 12
# Verbs whose subject is the reader ("on peut lire dans X"): the speaker is the text read.
READING_VERBS = frozenset({"lire"})
# Tokens of a description in apposition between a name and its verb ("X, la présidente de la Ligue, a dit").
MAX_APPOSITION_SPAN = 16
MAX_RELATIVE_SPAN = 30  # ... or a relative clause ("X, qui avait échangé avec lui lors de sa visite, s'est dit")
# Tokens of a prepositional incise between commas after a verb (", lors d'une conférence de presse,").
MAX_INCISE_TOKENS = 8
# Words before a word the tagger called a noun that make it a verb ("il annonce", "a doute").
_VERBAL_CONTEXT = word_class("quote_words_fr.tsv", "verbal_context")


@lru_cache(maxsize=1)
def trigger_hashes() -> frozenset[int]:
    """Hashes of every lower-cased form or lemma that can start a cue ("selon", "déclaré", "pour", "à"...)."""
    lex = french()
    words = set(lex.forms) | set(lex.verbs) | {"selon", "d'", "pour", "à"}
    words |= {entry.partition(" ")[2] for entry in lex.words.get("multiword", ())}
    return frozenset(hash_string(w) for w in words)


def _low(tok: Token) -> str:
    return tok.lower_.replace("’", "'")


def _finite(tok: Token) -> bool:
    return tok.pos_ in ("VERB", "AUX") and "Fin" in tok.morph.get("VerbForm")  # type: ignore[call-arg]  # spaCy stubs: MorphAnalysis.get's default is optional


def _infinitive(tok: Token) -> bool:
    return "Inf" in tok.morph.get("VerbForm") or _low(tok) in ("avoir", "être")  # type: ignore[call-arg]  # spaCy stubs: MorphAnalysis.get's default is optional


@dataclass(slots=True)
class Pending:
    """A candidate whose speaker is still to be resolved (resolution runs in text order)."""

    cand: Candidate
    head: Token | None
    position: int


class FrenchCues:
    """Shared state and the verb-level rules of the French quote extractor (one instance per Doc)."""

    def __init__(self, doc: Doc, lay: Layout) -> None:
        self.doc = doc
        self.lay = lay
        self.text = lay.text
        self.lex: Lexicon = french()
        self._coref: Coreference | None = None
        self._mark_at = {m.open: m for m in lay.marks}
        self._multiword = {}
        for entry in self.lex.words.get("multiword", ()):
            first, _, second = entry.partition(" ")
            self._multiword[second] = first
        self._quoted = QuotedSpans([])
        # a cue inside a quotation ("« ..., souligne-t-elle. Mais ... »") ends it: two quotations, the second
        # continuing the first (same speaker)
        self.continued: dict[int, Mark] = {}  # open of a second part -> first part
        self.quotations = self._split_at_incises(self._quotations())
        self._quoted = QuotedSpans([(m.open, m.close if m.close is not None else m.end) for m in self.quotations])

    @property
    def coref(self) -> Coreference:
        """Built on first use: most articles have no reported speech and never need it."""
        if self._coref is None:
            self._coref = Coreference(self.doc, self.lex, quoted=self._inside_quote)
        return self._coref

    def _quotations(self) -> list[Mark]:
        """Quotation marks that hold reported words: not scare quotes, names or titles of works."""
        words = self.lex.words
        return reported_words(self.text, self.lay, words["naming"], words["naming_verb"], self._short_with_cue)

    def _split_at_incises(self, marks: list[Mark]) -> list[Mark]:
        out: list[Mark] = []
        for m in marks:
            while True:
                cut = self._incise_in(m)
                if cut is None:
                    out.append(m)
                    break
                comma, resume = cut
                end = comma
                while end > m.start and self.text[end - 1].isspace():
                    end -= 1
                out.append(Mark(m.open, comma, m.start, end, len(self.text[m.start:end].split())))
                start = resume
                while start < m.end and (self.text[start].isspace() or self.text[start] in ",.;–—"):
                    start += 1
                if m.end - start < MIN_CONTINUATION_CHARS:
                    break
                rest = Mark(resume, m.close, start, m.end, len(self.text[start:m.end].split()))
                self.continued[rest.open] = out[-1]
                m = rest
        return out

    def _incise_in(self, m: Mark) -> tuple[int, int] | None:
        """(offset of the comma or dash before the cue, offset of the punctuation after it) of an incise such as
        ", souligne-t-elle." or ", ajoute M. Dupont," inside the quotation's words."""
        for hit in INCISE_RE.finditer(self.text, m.start, m.end):
            verb = hit.group("verb").lower().replace("’", "'")
            if verb in self.lex.forms and self.lex.forms[verb] not in self.lex.words["impersonal"]:
                return hit.start(), hit.end("after") - 1 if hit.group("after") else hit.end()
        return None

    def _short_with_cue(self, m: Mark) -> bool:
        """« Non », a-t-il répondu: a short quotation that starts its sentence and is followed by a cue."""
        s, _ = self.lay.sentence_of(m.open)
        if any(c.isalnum() for c in self.text[s : m.open]) or m.close is None:
            return False
        i = self.lay.token_at(m.close) + 1
        while i < len(self.doc) and self.doc[i].is_punct:
            i += 1
        for j in range(i, min(i + 5, len(self.doc))):  # "», a-t-elle déclaré"
            if self.cue_lemma(self.doc[j], allow_quoted=True) is not None:
                return True
            if self.doc[j].pos_ != "AUX" and _low(self.doc[j]) not in _T and _low(self.doc[j]) not in INVERTED_CLITICS:
                break
        return False

    def _inside_quote(self, char: int) -> bool:
        return self._quoted.holds(char)

    def cue_lemma(self, tok: Token, allow_quoted: bool = False) -> str | None:
        """The reporting verb's infinitive when `tok` is one used as a verb, else None."""
        if not allow_quoted and self._inside_quote(tok.idx):
            return None
        low = _low(tok)
        lemma = self.lex.forms.get(low)
        if lemma is None:
            lemma = tok.lemma_.lower() if tok.lemma_.lower() in self.lex.verbs else None
        if lemma is None:
            first = self._multiword.get(low)
            if first is not None and tok.i > 0 and self.doc[tok.i - 1].lemma_.lower() == first:
                return f"{first} {low}"
            return None
        if tok.pos_ in ("VERB", "AUX"):
            return lemma
        # the tagger sometimes calls a verb a noun ("doute", "annonce"): accept it in a verbal context
        prev = _low(self.doc[tok.i - 1]) if tok.i > 0 else ""
        nxt = _low(self.doc[tok.i + 1]) if tok.i + 1 < len(self.doc) else ""
        if prev in _VERBAL_CONTEXT or nxt in ("-t", "-il", "-elle", "-ils", "que", "qu'"):
            return lemma
        if self._after_closing_mark(tok.i):
            return lemma  # "« ... », juge Mme Binet": an incise after a quotation is a verb
        return None

    def _after_closing_mark(self, i: int) -> bool:
        """Token `i` opens an incise right after a closing quotation mark ("», juge X", "» , estime X"), after
        its auxiliary and clitic if any ("», a-t-il communiqué", "», a tweeté X")."""
        doc = self.doc
        j = i - 1
        while j >= 0 and (doc[j].is_space or doc[j].text == "," or doc[j].lemma_ in ("avoir", "être")
                          or _low(doc[j]) in _T or _low(doc[j]) in INVERTED_CLITICS or doc[j].pos_ == "ADV"):
            j -= 1
        return j >= 0 and j < i - 1 and doc[j].text in ("»", "”", '"') and any(
            m.close == doc[j].idx for m in self.lay.marks)

    def _frames(self, lemma: str) -> frozenset[str]:
        verb = self.lex.verbs.get(lemma)
        if verb is not None:
            return verb.frames
        return frozenset({"q"}) if " " in lemma else frozenset()

    def _aux_start(self, verb: Token) -> int:
        """First token of the verb group: auxiliaries, inverted clitics and the adverbs between them
        ("a-t-il déclaré" -> "a", "ont eux-mêmes souvent accusé" -> "ont")."""
        doc = self.doc
        start = i = verb.i
        while i > 0:
            prev = doc[i - 1]
            low = _low(prev)
            mistagged = prev.pos_ == "X" or prev.pos_ == "VERB" and verb.pos_ != "VERB"  # "a twitté" as VERB PROPN
            if prev.pos_ == "AUX" or mistagged and prev.lemma_ in ("avoir", "être") or low in _T or (
                    low in INVERTED_CLITICS and prev.text.startswith("-")):
                start = i = i - 1
            elif prev.pos_ == "ADV" or low in EMPHATIC or low in ("d'", "d’") and doc[i].pos_ == "ADV":
                i -= 1  # "a également déclaré", "a-t-il d'abord affirmé": keep looking for an auxiliary
            elif prev.pos_ == "NOUN" and i >= 3 and doc[i - 2].pos_ == "DET" and doc[i - 3].pos_ == "ADP" \
                    and i >= 4 and doc[i - 4].pos_ == "AUX":
                i -= 3  # "a pour sa part déclaré"
            else:
                break
        return start

    def subject(self, verb: Token, depth: int = 0) -> Token | None:
        """The token naming the subject of a reporting verb (parse first, then surface patterns)."""
        doc = self.doc
        v = verb
        if verb.lemma_.lower() in READING_VERBS or _low(verb) in self.lex.forms and \
                self.lex.forms[_low(verb)] in READING_VERBS:
            return self._read_in(verb)
        if _infinitive(v):  # "a tenu à préciser que", "a voulu rappeler que"
            if v.dep_ in ("xcomp", "ccomp") and v.head.pos_ in ("VERB", "AUX") and v.head.i < v.i:
                v = v.head
            else:
                return None
        if "Part" in v.morph.get("VerbForm") and "Pres" in v.morph.get("Tense"):  # type: ignore[call-arg]  # spaCy stubs: MorphAnalysis.get's default is optional
            # "déclare-t-il, ajoutant que", "affirme que ..., tout en ajoutant que": the subject of the verb
            # the participle depends on, else of the first verb of the sentence (the main clause's)
            if depth >= 2:
                return None
            if v.head.i != v.i and v.head.pos_ == "VERB" and self._finite_group(v.head) and v.head.i < v.i:
                found = self.subject(v.head, depth + 1)
                if found is not None:
                    return found
            sent = self.lay.sentence_of(verb.idx)
            # "Rappelant que ..., Anne Leroy a dénoncé": a participle opening the sentence, the verb after it
            last = self.lay.token_at(max(sent[0], sent[1] - 1))
            comma = next((k for k in range(verb.i + 1, last + 1)
                          if doc[k].text == "," and not self._inside_quote(doc[k].idx)), last)
            for k in list(range(self.lay.token_at(sent[0]), verb.i)) + list(range(comma + 1, last + 1)):
                if doc[k].pos_ == "VERB" and self._finite_group(doc[k]) and not self._inside_quote(doc[k].idx):
                    found = self.subject(doc[k], depth + 1)
                    if found is not None:
                        return found
            return None
        sent = self.lay.sentence_of(verb.idx)
        if self._passive(verb) and not self._impersonal_passive(verb):
            # "il est décrit comme un « ... » par X", "le montant est estimé à « ... »": the agent, or nobody
            return self._passive_agent(verb, sent)
        clitic = self._inverted_clitic(verb)  # "précise-t-il": whatever the parser attached to the verb
        if clitic is not None:
            return self._checked(clitic, verb)
        subj = self._parsed_subject(v, sent)
        if subj is not None:
            return self._checked(subj, v)
        apposed = self._apposed_name(verb, sent)
        if apposed is not None:
            return self._checked(apposed, verb)
        inverted = self._inverted_subject(verb, sent)
        if inverted is not None:
            return self._checked(inverted, verb)
        for _ in range(2):  # "a déclaré ... et affirmé que": the subject of the first conjunct
            if v.dep_ == "conj" and v.head.pos_ == "VERB" and v.head.i < v.i:
                v = v.head
                subj = self._parsed_subject(v, sent)
                if subj is not None:
                    return self._checked(subj, v)
            else:
                break
        left = self._left_subject(verb, sent, depth)
        return self._checked(left, verb) if left is not None else None

    def _read_in(self, verb: Token) -> Token | None:
        """"peut-on lire dans le communiqué du ministère", "Sur le compte de X, on pouvait lire": the words
        are those of the text read, whose author the coreference finds ("communiqué de X" -> X)."""
        doc = self.doc
        s, e = self.lay.sentence_of(verb.idx)
        after = range(verb.i + 1, min(len(doc), verb.i + MAX_VERB_TO_COMPLEMENT))
        before = range(self.lay.token_at(s), verb.i)
        for i in list(after) + list(before):
            t = doc[i]
            if not (s <= t.idx < e) or self._inside_quote(t.idx) or _low(t) not in ("dans", "sur"):
                continue
            k = i + 1
            while k < len(doc) and doc[k].pos_ in ("DET", "ADJ"):
                k += 1
            if k < len(doc) and doc[k].pos_ in ("NOUN", "PROPN"):
                return doc[k]
        return None

    def _checked(self, subj: Token, verb: Token) -> Token | None:
        low = _low(subj)
        if low in NON_SPEAKER_SUBJECTS:
            return None
        if self.lex.has("time", subj.lemma_) or self.lex.has("time", subj.text):
            return self._owner_of_date(subj)  # "Le Canard enchaîné de ce 22 mars ajoute": not "mars"
        if low in ("il", "-il") and (verb.lemma_.lower() in self.lex.words["impersonal"] or self._passive(verb)):
            return None  # "il faut rappeler que", "il est à noter que", "il a été annoncé que"
        if self._inside_quote(subj.idx):
            return None
        return subj

    def _impersonal_passive(self, verb: Token) -> bool:
        """"il a été annoncé que": an impersonal "il" (handled by `_checked`), not a patient subject ("il est
        décrit comme ... par X")."""
        doc = self.doc
        start = self._aux_start(verb)
        if not any(_low(doc[i]) in ("il", "-il") for i in range(max(0, start - 1), verb.i + 2) if i < len(doc)):
            return False
        return any(_low(doc[i]) in ("que", "qu'") for i in range(verb.i + 1, min(len(doc), verb.i + 4)))

    def _passive_agent(self, verb: Token, sent: tuple[int, int]) -> Token | None:
        """The noun after "par" in the passive verb's clause ("est décrit ... par Mike Stratton")."""
        doc = self.doc
        words = 0
        for i in range(verb.i + 1, len(doc)):
            t = doc[i]
            if t.idx >= sent[1] or t.text in (".", ";") or words > 2 * MAX_VERB_TO_COMPLEMENT:
                return None
            if self._inside_quote(t.idx):
                continue  # "sont décrits comme « ... » par une voisine": the quotation's words do not count
            words += 1
            if _low(t) == "par":
                k = i + 1
                while k < len(doc) and doc[k].pos_ == "DET":
                    k += 1
                return doc[k] if k < len(doc) and doc[k].pos_ in ("NOUN", "PROPN") else None
        return None

    def _owner_of_date(self, tok: Token) -> Token | None:
        """The noun a date complement hangs on ("Le journal de ce 22 mars" -> "journal"), or None."""
        doc = self.doc
        i = tok.i - 1
        while i >= 0 and (doc[i].pos_ in ("DET", "NUM") or doc[i].like_num):
            i -= 1
        if i < 1 or _low(doc[i]) not in ("de", "du", "d'"):
            return None
        i -= 1
        while i > 0 and doc[i].pos_ == "ADJ":
            i -= 1
        if doc[i].pos_ not in ("NOUN", "PROPN") or self.lex.has("time", doc[i].lemma_):
            return None
        ent = self.coref.entity_at(i)
        return doc[ent.start] if ent is not None else doc[i]

    def _passive(self, verb: Token) -> bool:
        """"il est noté que", "il a été annoncé que" (être without a reflexive clitic)."""
        doc = self.doc
        start = self._aux_start(verb)
        group = [doc[i] for i in range(max(0, start - 1), verb.i)]
        if any(_low(t) in ("se", "s'") for t in group):
            return False
        return any(t.lemma_ == "être" for t in group) or any(c.dep_ == "aux:pass" for c in verb.children)

    def _parsed_subject(self, v: Token, sent: tuple[int, int]) -> Token | None:
        best = None
        for child in v.children:
            dep = child.dep_
            if dep in ("nsubj", "expl:subj"):
                if not (sent[0] <= child.idx < sent[1]) or self._inside_quote(child.idx):
                    continue
                if _low(child) in _T or child.like_num or self.lex.has("time", child.lemma_):
                    continue  # ("a déclaré le 20 mars le cosmonaute": the date is no subject)
                best = child
                if _low(child) not in ("-t",):
                    break
        return best

    def _inverted_subject(self, verb: Token, sent: tuple[int, int]) -> Token | None:
        """"a-t-il déclaré", "ajoute-t-elle", "a confirmé M. Tokaïev", "estime le ministre"."""
        doc = self.doc
        start = self._aux_start(verb)
        while start > 0 and _low(doc[start - 1]) in ("se", "s'"):
            start -= 1  # "», se défend la société"
        # an incise (after a comma or a quotation): the subject follows the verb
        before = doc[start - 1] if start > 0 else None
        if before is None or not (before.is_punct or before.is_quote):
            return None
        i = self._skip_adjuncts(verb.i + 1)
        if i + 1 < len(doc) and _low(doc[i]) in ("de", "d'") and doc[i + 1].text[:1].isupper():
            return doc[i + 1]  # "a déclaré de Gaulle"
        if i + 2 < len(doc) and _low(doc[i]) == "de" and doc[i + 1].pos_ == "DET" and doc[i + 2].text[:1].isupper():
            return doc[i + 2]  # "ajoute de la Morlais"
        while i < len(doc) and (doc[i].pos_ == "DET" or doc[i].pos_ == "ADJ" and doc[i - 1].pos_ == "DET"):
            i += 1  # "le Premier ministre"
        if i < len(doc) and doc[i].idx < sent[1] and doc[i].pos_ in ("NOUN", "PROPN", "PRON"):
            return doc[i]
        return None

    def _apposed_name(self, verb: Token, sent: tuple[int, int]) -> Token | None:
        """"Chantal Perrichon, la présidente de la Ligue, a dénoncé": a name, then a description between commas,
        then the verb. The comma before the verb closes the apposition: no inverted subject follows."""
        doc = self.doc
        start = self._aux_start(verb)
        k = start - 1
        while k >= 0 and _low(doc[k]) in CLITICS:
            k -= 1
        if k < 1 or doc[k].text != ",":
            return None
        first = self.lay.token_at(sent[0])
        finite = False  # a verb was crossed: only a relative clause may hold it ("X, qui avait ..., s'est dit")
        for j in range(k - 1, max(first, k - MAX_RELATIVE_SPAN) - 1, -1):
            t = doc[j]
            if t.is_quote or self._inside_quote(t.idx):
                return None
            finite = finite or _finite(t)
            if t.text == ",":
                relative = j + 1 < k and _low(doc[j + 1]) == "qui"
                described = doc[j + 1].pos_ == "DET" or doc[j + 1].pos_ == "NOUN" and doc[j + 1].text[:1].islower()
                if j < 1 or not relative and (finite or not described or k - j > MAX_APPOSITION_SPAN):
                    return None  # (", la présidente de ...," or ", professeur associé en histoire,")
                name = doc[j - 1]
                ent = self.coref.entity_at(name.i)
                if ent is not None and ent.label_ == "PER" or name.pos_ == "PROPN" and name.text[:1].isupper():
                    return doc[ent.start] if ent is not None else name
                return None
        return None

    def _inverted_clitic(self, verb: Token) -> Token | None:
        """"a-t-il déclaré", "ajoute-t-elle", "explique-t-on"."""
        doc = self.doc
        for i in range(self._aux_start(verb), min(len(doc), verb.i + 3)):
            if _low(doc[i]) in INVERTED_CLITICS and doc[i].text.startswith("-"):
                return doc[i]
        return None

    def _skip_adjuncts(self, i: int) -> int:
        """Skip adverbs and short adjuncts before an inverted subject: "a confié pour sa part la mère", "a
        rappelé mardi le directeur", "a noté un jour le chef", "a confié, à l'AFP, le directeur"."""
        doc = self.doc
        while i < len(doc):
            if doc[i].pos_ == "ADV":
                i += 1
            elif _low(doc[i]) in ("pour", "à", "de") and i + 2 < len(doc) and doc[i + 1].pos_ == "DET" \
                    and doc[i + 2].pos_ == "NOUN" and i + 3 < len(doc) and doc[i + 3].pos_ == "DET":
                i += 3  # "pour sa part", "à son tour", followed by the subject's determiner
            elif (after := self._time_phrase(i)) > i or (after := self._comma_adjunct(i)) > i:
                i = after
            else:
                return i
        return i

    def _time_phrase(self, i: int) -> int:
        """End of a time adjunct starting at `i` ("mardi", "un jour", "ce matin", "lundi soir", "hier"), or `i`."""
        doc = self.doc
        j = i
        if j + 1 < len(doc) and _low(doc[j]) in TIME_DETERMINERS and self.lex.has("time", doc[j + 1].lower_):
            j += 1
        elif j + 2 < len(doc) and _low(doc[j]) in TIME_DETERMINERS and doc[j + 1].like_num \
                and self.lex.has("time", doc[j + 2].lower_):
            j += 2  # "a déclaré le 20 mars le cosmonaute"
        if j >= len(doc) or not self.lex.has("time", doc[j].lower_):
            return i
        j += 1
        while j < len(doc) and (self.lex.has("time", doc[j].lower_) or _low(doc[j]) in TIME_MODIFIERS
                                or doc[j].like_num):
            j += 1
        return j

    def _comma_adjunct(self, i: int) -> int:
        """End of a prepositional phrase between commas at `i` (", à l'AFP,", ", dans un communiqué,"), or `i`."""
        doc = self.doc
        if doc[i].text != "," or i + 1 >= len(doc) or doc[i + 1].pos_ != "ADP":
            return i
        for k in range(i + 2, min(len(doc), i + 2 + MAX_INCISE_TOKENS)):
            t = doc[k]
            if t.text == ",":
                return k + 1
            if t.pos_ in ("VERB", "AUX") or t.is_quote or t.text in (".", ";", ":", "!", "?"):
                return i
        return i

    def _left_subject(self, verb: Token, sent: tuple[int, int], depth: int = 0) -> Token | None:
        """Walk left over auxiliaries, adverbs and clitics to the subject's last word, then to its head."""
        doc = self.doc
        if not (_finite(verb) or self._aux_start(verb) < verb.i):
            return None
        i = self._aux_start(verb) - 1
        while i >= 0 and doc[i].idx >= sent[0]:
            t = doc[i]
            low = _low(t)
            if t.pos_ in ("ADV", "AUX") or low in CLITICS or low in EMPHATIC:
                i -= 1
                continue
            break
        if i < 0 or doc[i].idx < sent[0]:
            return None
        t = doc[i]
        if _low(t) in ("et", "mais", "puis") and depth < 2:
            # "... et avertissait qu'il fallait": the subject of the previous verb of the sentence
            for k in range(i - 1, self.lay.token_at(sent[0]) - 1, -1):
                if doc[k].pos_ == "VERB" and self._finite_group(doc[k]) and not self._inside_quote(doc[k].idx):
                    return self.subject(doc[k], depth + 1)
            return None
        if t.text == ",":
            # "Ghaith al Ghaith, le PDG de la compagnie, a annoncé": skip the apposition between commas
            for k in range(i - 1, max(self.lay.token_at(sent[0]) - 1, i - 14), -1):
                if _finite(doc[k]):
                    i -= 1  # no apposition: a comma between subject and verb ("X, a demandé")
                    break
                if doc[k].text == ",":
                    i = k - 1
                    break
            else:
                i -= 1
            if i < 0:
                return None
            t = doc[i]
        if t.pos_ == "PRON" and _low(t) in ("il", "elle", "ils", "elles", "qui"):
            return t
        if t.pos_ not in ("NOUN", "PROPN", "ADJ"):
            return None
        # from the last word of the subject to its head: "Le gouvernement pakistanais" -> "gouvernement",
        # "la préfecture des Alpes-Maritimes" -> "préfecture"
        lo = max(self.lay.token_at(sent[0]), i - MAX_VERB_TO_COMPLEMENT)
        while i > lo:
            prev = doc[i - 1]
            if (doc[i].pos_ in ("ADJ", "PROPN") or doc[i].text == "-") and (
                prev.pos_ in ("NOUN", "PROPN", "ADJ") or prev.text == "-"
            ):
                i -= 1
                continue
            j = i - 1
            while j > lo and doc[j].pos_ == "DET":
                j -= 1
            if _low(doc[j]) in ("de", "des", "du", "d'") and j > lo and doc[j - 1].pos_ in ("NOUN", "PROPN", "ADJ"):
                i = j - 1
                continue
            break
        return doc[i]

    def _voice(self, start: int, end: int) -> Token | None:
        """"par la voix de X" between a verb and its complement names the speaker."""
        doc = self.doc
        for i in range(start, max(start, end - 3)):
            if _low(doc[i]) == "par" and _low(doc[i + 1]) == "la" and _low(doc[i + 2]) == "voix":
                j = i + 3
                while j < len(doc) and _low(doc[j]) in ("de", "d'", "du", "des", "'", "d"):
                    j += 1
                while j < len(doc) and doc[j].pos_ == "DET":
                    j += 1
                if j < len(doc) and doc[j].pos_ in ("NOUN", "PROPN"):
                    return doc[j]
        return None

    def _plain_verb(self, t: Token) -> bool:
        """A finite verb group the tagger did not invent (not inside a name: "France Inter")."""
        return (t.pos_ == "VERB" and t.text[:1].islower() and self.coref.entity_at(t.i) is None
                and self._finite_group(t))

    def _finite_group(self, verb: Token) -> bool:
        """A finite verb, or a participle with a finite auxiliary ("a déclaré", not "avoir vu")."""
        return _finite(verb) or any(_finite(self.doc[i]) for i in range(self._aux_start(verb), verb.i))

    def _negated(self, verb: Token) -> bool:
        doc = self.doc
        start = self._aux_start(verb)
        before = {_low(doc[i]) for i in range(max(0, start - 2), start)}
        after = {_low(doc[i]) for i in range(start, min(len(doc), verb.i + 2))}
        return bool(before & {"ne", "n'"}) and bool(after & NEGATIONS)

    def _is_selon(self, t: Token) -> bool:
        low = _low(t)
        if low == "selon":
            return True
        if low not in ("d'",) or t.i + 2 >= len(self.doc) or _low(self.doc[t.i + 1]) != "après":
            return False
        return _low(self.doc[t.i + 2]) not in ("midi", "-midi")  # "en fin d'après midi"

    def _trigger_end_char(self, t: Token) -> int:
        if _low(t) in ("d'",):
            nxt = self.doc[t.i + 1]
            return nxt.idx + len(nxt.text)
        return t.idx + len(t.text)

    def _sentence_initial(self, t: Token) -> bool:
        s, _ = self.lay.sentence_of(t.idx)
        return not any(c.isalnum() for c in self.text[s : t.idx])

    def _set_cue(self, cand: Candidate, tok: Token, lemma: str) -> None:
        cand.cue = lemma
        cand.cue_start, cand.cue_end = tok.idx, tok.idx + len(tok.text)

    def _span(self, k0: int, k: int) -> tuple[int, int]:
        doc = self.doc
        while k0 < k and k0 < len(doc) and (doc[k0].is_space or doc[k0].text in ("–", "—", "-", ",", ";", ":", ".")):
            k0 += 1
        if k0 >= k or k0 >= len(doc):
            return 0, 0
        last = min(k, len(doc)) - 1
        while last > k0 and (doc[last].is_space or doc[last].text in (",", ".", ";", ":", "—", "–", "-", "!", "?")):
            last -= 1
        text = doc[k0 : last + 1].text
        if text.count(")") > text.count("(") and doc[last].text == ")":
            last -= 1
        return doc[k0].idx, doc[last].idx + len(doc[last].text)

    def _has_clause(self, start: int, end: int) -> bool:
        doc = self.doc
        i = self.lay.token_at(start)
        while i < len(doc) and doc[i].idx < end:
            if _finite(doc[i]) or "Inf" in doc[i].morph.get("VerbForm"):  # type: ignore[call-arg]  # spaCy stubs: MorphAnalysis.get's default is optional
                return True
            i += 1
        return False

    def _trigger_tokens(self) -> list[int]:
        """Indices of tokens that may be cues, found on hashed attributes without building Token objects."""
        hashes = trigger_hashes()
        return [i for i, (low, lemma) in enumerate(self.doc.to_array([LOWER, LEMMA]).tolist())
                if low in hashes or lemma in hashes]
