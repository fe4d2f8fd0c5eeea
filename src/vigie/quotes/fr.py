"""French quotes on a parsed Doc (fr_core_news_md): direct quotations and the driver.

Cues are reporting verbs of `resources/reporting_verbs_fr.tsv` and "selon X" / "d'après X" / "à en croire X"
/ "Pour X," (see `quotes_fr_cues`, `quotes_fr_indirect`). Sentences and quotation marks come from
`quotes_text` (quote-aware); the parse is used locally (subjects, lemmas, verb forms) because its sentence
boundaries are unreliable around quotes.

Direct quotation -> cue, in order of preference: a verb right after it ("», a-t-il déclaré", "», a confirmé
M. Tokaïev", "» et « ... », ajoute X"), a verb before it in its sentence that governs it ("a estimé que ...
« ... »", "Il remercie « ... »"; not across another clause), "selon X" / "Pour X," between them, any verb with
a subject whose que-clause is the quotation ("a décidé qu'« ... »"), a verb further after it in its sentence,
"selon X" in its sentence, a verb in the sentence before when that one ends with ":", and last the person
presented as subject of the sentence before ("X a brandi le drapeau. « ... »").
Speakers are resolved by `vigie.quotes.coref` in text order, so "il" can refer to the previous speaker.
"""
from __future__ import annotations

from spacy.tokens import Doc, Token

from vigie.lexicons import word_class
from vigie.quotes.common import (
    CONF_DIRECT_NEIGHBOUR,
    CONF_DIRECT_NONE,
    CONF_DIRECT_SELON,
    CONF_DIRECT_VERB,
    RESOLVED_FACTOR,
    Candidate,
    settle,
)
from vigie.quotes.coref import Referent
from vigie.quotes.fr_cues import _T, INVERTED_CLITICS, Pending, _finite, _low
from vigie.quotes.fr_indirect import FrenchIndirect
from vigie.quotes.text import Layout, Mark

# How far (words) a cue may be from its quotation's closing mark ("» de l'Organisation du traité de sécurité
# collective (OTSC), l'alliance conduite par Moscou, a confirmé M. Tokaïev" is 14).
MAX_POST_CUE_WORDS = 16
# Words between a verb and the quotation that completes it ("a décidé de « ... »", "va « annoncer ... »").
MAX_GOVERNED_GAP = 4
NAMING_PRONOUNS = frozenset({"il", "elle", "ils", "elles", "-il", "-elle", "-ils", "-elles"})
# A signature line after a quotation ("— Service de presse du festival") has at most this many words.
MAX_SIGNATURE_WORDS = 10
# Words that open a new clause: a cue before them does not govern a quotation after them.
CLAUSE_BOUNDARIES = word_class("quote_words_fr.tsv", "clause_boundary") | {";"}


class FrenchQuotes(FrenchIndirect):
    def run(self) -> list[Candidate]:
        pending: list[Pending] = []
        direct = []
        for m in self.quotations:
            p = self._direct(m)
            pending.append(p)
            direct.append(p.cand)
        indirect = []
        for i in self._trigger_tokens():
            tok = self.doc[i]
            if self._inside_quote(tok.idx):
                continue
            low = _low(tok)
            found: list[Pending] = []
            if self._is_selon(tok):
                found = self._selon(tok, "selon")
            elif low == "pour" and self._pour_trigger(tok):
                found = self._selon(tok, "pour")
            elif low == "à" and self._next_words(tok, 2) == ["en", "croire"]:
                found = self._selon(tok, "selon", skip=2)
            else:
                lemma = self.cue_lemma(tok)
                if lemma is not None:
                    found = self._indirect(tok, lemma)
            pending += found
            indirect += [p.cand for p in found]
        self._resolve(pending)
        self._continue_speakers(direct)
        return settle(self.lay, direct, indirect, self._has_clause)

    def _continue_speakers(self, direct: list[Candidate]) -> None:
        """The part of a quotation after an inner cue ("« A, souligne-t-elle. B »") has the speaker of part A."""
        by_open = {c.mark.open: c for c in direct if c.mark is not None}
        for c in direct:  # in text order: a third part takes what the second took
            first = self.continued.get(c.mark.open) if c.mark is not None else None
            source = by_open.get(first.open) if first is not None else None
            if source is not None and source.speaker_start is not None and c.attribution in ("none", "neighbour"):
                c.take_attribution(source, "repeat")
                c.confidence = source.confidence

    def _resolve(self, pending: list[Pending]) -> None:
        """Speakers in text order, remembering each for the pronouns that follow."""
        for p in sorted(pending, key=lambda p: p.position):
            if p.head is None:
                continue
            ref = self.coref.resolve(p.head)
            if ref is None:
                # a subject that names nobody we can resolve ("le communiqué", "il" with no antecedent):
                # its words, no name
                p.cand.speaker_start, p.cand.speaker_end = p.head.idx, p.head.idx + len(p.head.text)
                p.cand.confidence *= RESOLVED_FACTOR
                continue
            self._set_speaker(p.cand, ref, p.head)
            if ref.name:
                self.coref.remember(ref)

    def _set_speaker(self, cand: Candidate, ref: Referent, head: Token) -> None:
        cand.speaker = ref.name
        cand.speaker_start, cand.speaker_end = ref.start, ref.end
        if self.coref.entity_at(head.i) is None:
            cand.confidence *= RESOLVED_FACTOR

    def _direct(self, m: Mark) -> Pending:
        cand = Candidate(m.start, m.end, True, "direct", CONF_DIRECT_NONE, mark=m)
        choice = (self._post_cue(m, adjacent=True) or self._pre_cue(m) or self._que_cue(m)
                  or self._post_cue(m, adjacent=False))
        if choice is not None:
            tok, lemma = choice
            if lemma == "selon":
                return self._direct_from_selon(cand, tok)
            head = self.subject(tok)
            self._set_cue(cand, tok, lemma)
            cand.attribution = "verb"
            cand.confidence = CONF_DIRECT_VERB
            return Pending(cand, head, head.i if head is not None else tok.i)
        selon = self._selon_in_sentence(m)
        if selon is not None:
            return self._direct_from_selon(cand, selon)
        colon = self._colon_cue(m)
        if colon is not None:
            self._set_cue(cand, colon, self.cue_lemma(colon) or "")
            cand.attribution = "verb"
            cand.confidence = CONF_DIRECT_VERB
            head = self.subject(colon)
            return Pending(cand, head, head.i if head is not None else colon.i)
        signed = self._signature(m)
        if signed is not None:  # the whole line names the speaker: "Service de presse du festival"
            cand.speaker_start, cand.speaker_end = signed
            cand.speaker = self.text[signed[0] : signed[1]]
            cand.attribution = "verb"
            cand.confidence = CONF_DIRECT_NEIGHBOUR
            return Pending(cand, None, self.lay.token_at(signed[0]))
        # a verb that is no reporting verb, and its subject: by a colon, before the quotation, or completed by it
        found = self._introducing_verb(m) or self._subject_before_quote(m) or self._governing_verb(m)
        if found is not None:
            verb, head = found
            self._set_cue(cand, verb, verb.lemma_.lower())
            cand.attribution = "verb"
            cand.confidence = CONF_DIRECT_NEIGHBOUR
            return Pending(cand, head, head.i)
        presented = self._presented_before(m)
        if presented is not None:
            cand.attribution = "neighbour"
            cand.confidence = CONF_DIRECT_NEIGHBOUR
            return Pending(cand, presented, presented.i)
        return Pending(cand, None, self.lay.token_at(m.open))

    def _subject_before_quote(self, m: Mark) -> tuple[Token, Token] | None:
        """"Le pape François « s'associe à la douleur »", "Airbus « coopère pleinement »": the quotation opens
        with the verb of a clause whose subject, a name, stands right before the quotation mark."""
        doc = self.doc
        opening = self.lay.token_at(m.start)
        for i in range(opening, min(len(doc), opening + 3)):
            t = doc[i]
            if not self._inside_quote(t.idx) or t.pos_ not in ("VERB", "AUX", "PRON"):
                break
            if t.pos_ == "PRON":
                continue  # "« s'associe", "« nous"
            subj = next((c for c in t.children if c.dep_ in ("nsubj", "nsubj:pass") and c.i < opening
                         and not self._inside_quote(c.idx)), None)
            if subj is None or not self._finite_group(t):
                return None
            if _low(subj) == "qui" and subj.i == opening - 2 and not self._passive(t):
                return t, subj  # "un communiqué de la coordination qui « condamne ... »": the relative's antecedent
            ent = self.coref.entity_at(subj.i) or self.coref.entity_at(opening - 2)  # "le pape François «"
            if ent is None or ent.label_ not in ("PER", "ORG") or self._passive(t) or ent.end <= subj.i:
                return None
            between = self.text[ent.end_char : m.open]
            return (t, doc[ent.start]) if not between.strip(" ,") else None
        return None

    def _governing_verb(self, m: Mark) -> tuple[Token, Token] | None:
        """"Le ministère a décidé de « suspendre ... »", "Les membres se sont engagés à « agir ... »": a
        quotation inside a clause, after the verb it completes; its words are those of the verb's subject when
        that subject names someone (a name, a pronoun, a title or an institution)."""
        s, _ = self.lay.sentence_of(m.open)
        if not any(c.isalnum() for c in self.text[s : m.open]):
            return None
        doc = self.doc
        first = self.lay.token_at(s)
        i = self.lay.token_at(m.open) - 1
        while i >= first and i >= self.lay.token_at(m.open) - MAX_GOVERNED_GAP:
            t = doc[i]
            if self._inside_quote(t.idx) or _low(t) in CLAUSE_BOUNDARIES or t.text in (",", ":", "(", ")"):
                return None
            if t.pos_ == "VERB" and self._finite_group(t) and self.coref.entity_at(i) is None:
                if self._passive(t):
                    return None  # "Ils en ont été sortis « et tués »": the subject underwent, did not say
                head = self.subject(t)
                if head is None:
                    return None
                named = (self.coref.entity_at(head.i) is not None or _low(head) in NAMING_PRONOUNS
                         or self.lex.has("title", head.lemma_) or self.lex.has("opinion_holder", head.lemma_))
                return (t, head) if named else None
            i -= 1
        return None

    def _signature(self, m: Mark) -> tuple[int, int] | None:
        """A quotation set apart and signed on the next line, "— Société Dark Star": the name's span."""
        if m.close is None:
            return None
        k = self.lay.paragraph_index(m.close)
        _, pe = self.lay.paragraphs[k]
        if any(c.isalnum() for c in self.text[m.close + 1 : pe]) or k + 1 >= len(self.lay.paragraphs):
            return None
        ns, ne = self.lay.paragraphs[k + 1]
        line = self.text[ns:ne].strip()
        if line[:1] not in ("—", "–") or len(line.split()) > MAX_SIGNATURE_WORDS:
            return None
        first = self.lay.token_at(ns + self.text[ns:ne].index(line[0]) + 1)
        for i in range(first, self.lay.token_at(ne - 1) + 1):
            t = self.doc[i]
            if _finite(t):
                return None
        while first < len(self.doc) and not self.doc[first].is_alpha:
            first += 1
        if first >= len(self.doc):
            return None
        start, end = self.doc[first].idx, ns + len(self.text[ns:ne].rstrip())
        while end > start and not self.text[end - 1].isalnum():
            end -= 1
        return (start, end) if self.text[start : start + 1].isupper() else None

    def _introducing_verb(self, m: Mark) -> tuple[Token, Token] | None:
        """"Elle se présente comme la seule candidate : « ... »": a quotation announced by a colon. The clause
        before the colon, whatever its verb, presents the words of its subject: its first finite verb and the
        subject, when it has one."""
        s, _ = self.lay.sentence_of(m.open)
        before = self.text[s : m.open].rstrip()
        if before.endswith(":"):
            start, colon = s, s + len(before) - 1
        elif not before.strip():
            k = self.lay.sentence_index(m.open)
            if k == 0:
                return None
            start, pe = self.lay.sentences[k - 1]
            prev = self.text[start:pe].rstrip()
            if not prev.endswith(":") or self.lay.paragraph_index(start) != self.lay.paragraph_index(m.open):
                return None
            colon = start + len(prev) - 1
        else:
            return None
        for i in range(self.lay.token_at(start), self.lay.token_at(colon)):
            t = self.doc[i]
            if t.pos_ == "VERB" and not self._inside_quote(t.idx) and self._finite_group(t) \
                    and self.coref.entity_at(i) is None:
                head = self.subject(t)
                return (t, head) if head is not None else None
        return None

    def _presented_before(self, m: Mark) -> Token | None:
        """"Elisa Di Francisca a brandi le drapeau. « Je voulais ... »": a quotation opening its sentence with
        no cue, right after a sentence of the same paragraph whose subject is a named person."""
        s, _ = self.lay.sentence_of(m.open)
        if any(c.isalnum() for c in self.text[s : m.open]):
            return None
        k = self.lay.sentence_index(m.open)
        if k == 0:
            return None
        par = self.lay.paragraph_index(m.open)
        if self.lay.paragraph_index(self.lay.sentences[k - 1][0]) != par:
            # a paragraph that is only the quotation, after a paragraph ending on the person presented
            ps, pe = self.lay.paragraphs[par]
            if m.close is None or any(c.isalnum() for c in self.text[m.close + 1 : pe]) \
                    or self.lay.paragraph_index(self.lay.sentences[k - 1][0]) != par - 1:
                return None
        ps, pe = self.lay.sentences[k - 1]
        if self._inside_quote(ps):
            return None
        for i in range(self.lay.token_at(ps), self.lay.token_at(pe - 1) + 1):
            t = self.doc[i]
            if t.dep_ == "nsubj" and not self._inside_quote(t.idx):
                ent = self.coref.entity_at(i)
                if ent is not None:
                    return t if ent.label_ == "PER" else None
                # "Le président a pris la parole. « ... »": a description of a person
                return t if t.pos_ == "NOUN" and (self.lex.has("title", t.lemma_) or self.coref.described(t)) else None
        return None

    def _direct_from_selon(self, cand: Candidate, trigger: Token) -> Pending:
        cand.cue = "selon"
        cand.cue_start, cand.cue_end = trigger.idx, self._trigger_end_char(trigger)
        cand.attribution = "selon"
        cand.confidence = CONF_DIRECT_SELON
        head, _ = self._source(trigger)
        return Pending(cand, head, head.i if head is not None else trigger.i)

    def _post_cue(self, m: Mark, adjacent: bool) -> tuple[Token, str] | None:
        """A cue after the quotation in its sentence: "», a-t-il déclaré", "», a pour sa part déclaré X",
        "» et « ... », ajoute X" (coordinated quotations share the cue), or further ("» de l'OTSC, ...,
        a confirmé M. Tokaïev") when `adjacent` is False."""
        if m.close is None:
            return None
        doc = self.doc
        _, sent_end = self.lay.sentence_of(m.close)
        i = self.lay.token_at(m.close) + 1
        words = 0
        aux_seen = skipped = 0
        while i < len(doc) and doc[i].idx < sent_end and words <= MAX_POST_CUE_WORDS:
            t = doc[i]
            nxt = self._mark_at.get(t.idx)
            if nxt is not None and nxt in self.quotations:
                between = self.text[m.close + 1 : nxt.open].strip(" ,").lower()
                if between in ("et", "ou", "puis", "mais", "") and nxt.close is not None:
                    i = self.lay.token_at(nxt.close) + 1  # « ... » et « ... », ajoute X
                    continue
                return None  # the next quotation has its own cue
            aux = t.pos_ == "AUX" or t.pos_ == "X" and t.lemma_ in ("avoir", "être")  # ("a" tagged X)
            if t.is_punct or t.is_space or aux or _low(t) in _T or _low(t) in INVERTED_CLITICS or (
                    words == 0 and t.lemma_ == "pouvoir"):  # "», peut-on lire dans"
                aux_seen += aux
                i += 1
                continue
            lemma = self.cue_lemma(t)
            if lemma is None and aux_seen and skipped < 4 and t.pos_ in ("ADV", "ADP", "DET", "NOUN", "PRON") \
                    and words == 0:
                skipped += 1  # "a pour sa part déclaré", "a juste indiqué"
                i += 1
                continue
            if self._is_selon(t):
                return (t, "selon") if (words == 0 or not adjacent) else None
            if lemma is not None and (words == 0 or self._finite_group(t)):
                return (t, lemma) if (words == 0 or not adjacent) else None
            if adjacent or (_finite(t) and t.pos_ == "VERB"):
                return None
            words += 1
            i += 1
        return None

    def _pre_cue(self, m: Mark) -> tuple[Token, str] | None:
        doc = self.doc
        sent_start, _ = self.lay.sentence_of(m.open)
        i = self.lay.token_at(m.open) - 1
        depth = 0
        blocked = False  # crossed a clause of another verb (not inside the cue's que-clause)
        while i >= 0 and doc[i].idx >= sent_start:
            t = doc[i]
            depth += (t.text == ")") - (t.text == "(")
            if depth <= 0 and not self._inside_quote(t.idx):
                if self._is_selon(t) or (_low(t) == "pour" and self._pour_trigger(t)):
                    head, end = self._source(t)
                    if head is not None and (_low(t) != "pour" or self._opinion_holder(head)):
                        return t, "selon"
                lemma = self.cue_lemma(t)
                if lemma is not None:
                    return None if blocked else (t, lemma)
                low = _low(t)
                if low in ("que", "qu'", "qu"):
                    blocked = False  # the verbs crossed so far are inside a que-clause
                elif low in CLAUSE_BOUNDARIES or self._plain_verb(t):
                    blocked = True
            i -= 1
        return None

    def _que_cue(self, m: Mark) -> tuple[Token, str] | None:
        """"Le Conseil d'État a décidé qu'« ... »": any verb with a subject whose que-clause is the quotation."""
        doc = self.doc
        i = self.lay.token_at(m.open) - 1
        if i >= 1 and doc[i].text in ("'", "’") and _low(doc[i - 1]) == "qu":
            i -= 1  # "qu' «" tokenised as "qu" + "'"
        elif i < 1 or _low(doc[i]) not in ("que", "qu'", ":"):
            return None
        j = i - 1
        while j >= 0 and (doc[j].pos_ == "ADV" or doc[j].is_punct and doc[j].text == ","):
            j -= 1
        if j >= 0 and self._plain_verb(doc[j]) and self.subject(doc[j]) is not None:
            return doc[j], doc[j].lemma_.lower()
        return None

    def _selon_in_sentence(self, m: Mark) -> Token | None:
        s, e = self.lay.sentence_of(m.open)
        for i in range(self.lay.token_at(s), len(self.doc)):
            t = self.doc[i]
            if t.idx >= e:
                break
            if not self._inside_quote(t.idx) and self._is_selon(t) and self._source(t)[1] is not None:
                return t
        return None

    def _colon_cue(self, m: Mark) -> Token | None:
        """A quotation opening a sentence or paragraph after "X a déclaré :" ends the sentence before."""
        s, _ = self.lay.sentence_of(m.open)
        if any(c.isalnum() for c in self.text[s : m.open]):
            return None
        k = self.lay.sentence_index(m.open)
        if k == 0:
            return None
        ps, pe = self.lay.sentences[k - 1]
        if not self.text[ps:pe].rstrip().endswith(":"):
            return None
        i = self.lay.token_at(pe - 1)
        while i >= 0 and self.doc[i].idx >= ps:
            lemma = self.cue_lemma(self.doc[i])
            if lemma is not None:
                return self.doc[i]
            i -= 1
        return None


def annotate_french(doc: Doc, lay: Layout) -> list[Candidate]:
    cands = FrenchQuotes(doc, lay).run()
    return [c for c in cands if c.end > c.start]
