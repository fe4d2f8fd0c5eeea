"""French indirect speech on top of `FrenchCues`: reporting verb + complement, incises, "selon X".

- verb + que-clause ("a affirmé que ..."), + infinitive ("annonce avoir tué ..."), + de + infinitive
  ("promet de ...", "accuse X de ..."), + (object) + à + infinitive ("appelle X à ..."), with the clause cut
  at its end: an incise cue (", a-t-il ajouté"), a gerund (", tout en ajoutant"), "; ", a verb coordinated
  with the cue (", et annonce ..."); "et que" starts a second clause with the same speaker;
- an inverted cue after a clause ("<clause>, a annoncé le ministère.");
- "selon X" / "d'après X" / "à en croire X" before or after the clause, and "Pour X, <clause>" when X is a
  person or an institution; the source phrase gives the speaker ("un communiqué de la présidence" -> the
  presidency, "les premiers résultats" -> none).
Indirect speech needs a speaker (annotation guide): a reporting verb with no subject ("Rappelons que", "il
est à noter que", "on dit que") is not a quote.
"""
from __future__ import annotations

from spacy.tokens import Token

from vigie.lexicons import word_class
from vigie.quotes.common import (
    CONF_INDIRECT_INF,
    CONF_INDIRECT_POUR,
    CONF_INDIRECT_QUE,
    CONF_INDIRECT_SELON,
    MIN_CLAUSE_WORDS,
    Candidate,
)
from vigie.quotes.fr_cues import (
    _T,
    CLITICS,
    INVERTED_CLITICS,
    MAX_VERB_TO_COMPLEMENT,
    NEGATIONS,
    FrenchCues,
    Pending,
    _finite,
    _infinitive,
    _low,
)

MIN_INFINITIVE_WORDS = 2
# Words that may stand between a verb and its complement's object for "accuser X de" / "appeler X à".
MAX_OBJECT_TOKENS = 7
# A "selon X" source phrase longer than this is not one (a missing comma).
MAX_SOURCE_TOKENS = 15
# An apposition after the source ("selon le porte-parole, Olivier Véran,") is at most this long.
MAX_APPOSITION_TOKENS = 10

# Words before "que" that make it a comparison or a relative, not a completive ("plus que", "ce que").
NOT_COMPLETIVE = word_class("quote_words_fr.tsv", "not_completive")
COORDINATING = frozenset({"et", "mais", "ou", "ni", "puis", "or", "donc"})
SELON_STOP = frozenset({"que", "qu'", "lequel", "laquelle", "lesquels", "lesquelles", "quoi"})


class FrenchIndirect(FrenchCues):
    def _indirect(self, verb: Token, lemma: str) -> list[Pending]:
        frames = self._frames(lemma) - {"x"}
        if not frames or self._negated(verb) or self._after_closing_mark(self._aux_start(verb)):
            return []  # ("« ... », raconte-t-elle, d'après ...": the cue of the quotation before it)
        participle = "Part" in verb.morph.get("VerbForm") and "Pres" in verb.morph.get("Tense")  # type: ignore[call-arg]  # spaCy stubs: MorphAnalysis.get's default is optional
        comp = self._complement(verb, frames)
        if comp is None:
            return self._incise(verb, lemma) if frames & {"q", "i"} else []
        start, kind = comp
        if participle and kind != "que":
            return []  # "promettant de réparer": a gerund-like commitment, not reported speech
        head = self._voice(verb.i + 1, start) or self.subject(verb)
        if head is None:
            return []
        out = []
        conf = CONF_INDIRECT_QUE if kind == "que" else CONF_INDIRECT_INF
        for s, e in self._clauses(start, verb, infinitive=kind != "que"):
            cand = Candidate(s, e, False, kind, conf)
            self._set_cue(cand, verb, lemma)
            cand.attribution = "verb"
            out.append(Pending(cand, head, head.i))
        return out

    def _incise(self, verb: Token, lemma: str) -> list[Pending]:
        """"<clause>, a annoncé le ministère." / "<clause> précise la compagnie.": the clause before an
        inverted reporting verb at the end of its sentence (or before a comma)."""
        doc = self.doc
        if "Part" in verb.morph.get("VerbForm") and "Pres" in verb.morph.get("Tense"):  # type: ignore[call-arg]  # spaCy stubs: MorphAnalysis.get's default is optional
            return []  # ", confirmant ainsi les soupçons de la police": a participle has no inverted subject
        sent_start, sent_end = self.lay.sentence_of(verb.idx)
        start = self._aux_start(doc[verb.i - 1] if " " in lemma else verb)  # "a fait savoir"
        first = self.lay.token_at(sent_start)
        if start <= first + 1:
            return []
        # the inverted subject: a clitic in the verb group, or a noun phrase right after the verb
        j = verb.i + 1
        clitic = any(_low(doc[k]) in INVERTED_CLITICS and doc[k].text.startswith("-") for k in range(start, j + 1)
                     if k < len(doc))
        if clitic:
            j = next((k + 1 for k in range(start, min(len(doc), j + 1)) if _low(doc[k]) in INVERTED_CLITICS), j)
            head = next((doc[k] for k in range(start, min(len(doc), verb.i + 2))
                         if _low(doc[k]) in INVERTED_CLITICS), None)
        else:
            while j < len(doc) and doc[j].pos_ == "ADV":
                j += 1
            while j < len(doc) and doc[j].pos_ == "DET":
                j += 1
            if j >= len(doc) or doc[j].pos_ not in ("NOUN", "PROPN"):
                return []
            head = doc[j]
            ent = self.coref.entity_at(j)
            j = ent.end if ent is not None else self.coref.np_end(j)
            named = self.coref.entity_at(j) if j < len(doc) else None
            if named is not None and named.start == j and ent is None:
                j = named.end  # "a annoncé son propriétaire Evgeny Lebedev": the name in apposition
        if head is None:  # never: the clitic found above is in the range searched
            return []
        if j < len(doc) and doc[j].idx < sent_end and not (doc[j].is_punct and doc[j].text in ",.;!?…"):
            return []
        before = doc[start - 1]
        # ", comme le rappelle la ministre": "comme le" stands where the comma would
        comma = before.text == "," or (_low(before) in ("l'", "le") and start >= 2 and _low(doc[start - 2]) == "comme")
        if comma and start >= 2 and doc[start - 2].is_quote:
            return []  # "« ... », a-t-il déclaré": the quotation's own cue
        if not comma and (before.is_punct or clitic or _low(before) in COORDINATING or head.head.i != verb.i
                          or not head.dep_.startswith("nsubj")):
            return []  # without a comma, only when the parser agrees that the phrase after is the subject
        if self._passive(verb) or self.lex.has("time", head.lemma_) or self.lex.has("time", head.text):
            return []  # "ont été annoncés ce matin"
        clause_start = first
        for k in range(start - 1, first, -1):
            if doc[k].text in (";", ":") and not self._inside_quote(doc[k].idx):
                clause_start = k + 1
                break
        end = start
        if end - 2 >= first and _low(doc[end - 1]) in ("l'", "le") and _low(doc[end - 2]) == "comme":
            end -= 2  # "..., comme l'a confirmé le procureur"
        span = self._span(clause_start, end)
        if span[1] <= span[0] or len(self.text[span[0] : span[1]].split()) < MIN_CLAUSE_WORDS:
            return []
        if not self._has_clause(*span):
            return []
        cand = Candidate(span[0], span[1], False, "incise", CONF_INDIRECT_QUE)
        self._set_cue(cand, verb, lemma)
        cand.attribution = "verb"
        return [Pending(cand, head, head.i)] if head is not None else []

    def _complement(self, verb: Token, frames: frozenset[str]) -> tuple[int, str] | None:
        """Token index where the reported clause starts, and the frame that matched."""
        doc = self.doc
        _, sent_end = self.lay.sentence_of(verb.idx)
        objects = 0
        bare_np = False
        j = verb.i + 1
        while j < len(doc) and j <= verb.i + MAX_VERB_TO_COMPLEMENT and doc[j].idx < sent_end:
            t = doc[j]
            low = _low(t)
            if low == "qu" and j + 1 < len(doc) and doc[j + 1].text in ("'", "’") and "q" in frames:
                return j + 2, "que"  # "qu' il" tokenised as "qu" + "'"
            if low in ("que", "qu'") and "q" in frames:
                completive_ce = _low(doc[j - 1]) == "ce" and _low(doc[j - 2]) == "à"  # "demande à ce que"
                if (_low(doc[j - 1]) in NOT_COMPLETIVE and not completive_ce) or (bare_np and t.pos_ == "PRON"):
                    return None
                return j + 1, "que"
            k = j
            while k < len(doc) and _low(doc[k]) in CLITICS and k - j < 2:
                k += 1  # "affirme s'être rendu", "annonce l'avoir fait"
            if (
                k < len(doc)
                and _infinitive(doc[k])
                and doc[k].pos_ in ("VERB", "AUX")
                and "i" in frames
                and objects == 0
                and j == self._first_after_adverbs(verb)
            ):
                while j - 1 > verb.i and _low(doc[j - 1]) in NEGATIONS | {"ne", "n'"}:
                    j -= 1  # "confient ne pas ignorer": the negation belongs to the reported words
                return j, "inf"
            if low in ("de", "d'") and k + 1 < len(doc):
                k = j + 1
                while k < len(doc) and _low(doc[k]) in CLITICS and k - j < 3:
                    k += 1
                if k < len(doc) and _infinitive(doc[k]) and doc[k].pos_ in ("VERB", "AUX"):
                    if ("d" in frames and not bare_np) or ("od" in frames and objects > 0):
                        return j + 1, "de"
                    return None
            if low == "à" and ("a" in frames or "oa" in frames):
                k = j + 1
                while k < len(doc) and _low(doc[k]) in CLITICS and k - j < 3:
                    k += 1
                if (
                    k < len(doc)
                    and _infinitive(doc[k])
                    and doc[k].pos_ in ("VERB", "AUX")
                    and (("a" in frames and objects == 0) or ("oa" in frames and objects > 0))
                ):
                    return j + 1, "de"
            if low == "," and self._gerund(j + 1):
                k = j + 1  # "a annoncé, en retenant ses larmes, qu'il démissionnait"
                while k < len(doc) and k - j <= MAX_OBJECT_TOKENS and doc[k].text != ",":
                    k += 1
                j = k + 1
                continue
            if t.pos_ == "ADV" or low in _T or low in INVERTED_CLITICS or low == ",":
                j += 1
                continue
            if t.pos_ in ("DET", "NOUN", "PROPN", "ADJ", "ADP", "PRON", "NUM") or low in ("'",):
                if t.pos_ == "DET" and (j == verb.i + 1 or doc[j - 1].pos_ not in ("ADP",)):
                    bare_np = bare_np or doc[j - 1].pos_ != "ADP"
                objects += 1
                if objects > MAX_OBJECT_TOKENS:
                    return None
                j += 1
                continue
            return None
        return None

    def _first_after_adverbs(self, verb: Token) -> int:
        j = verb.i + 1
        while j < len(self.doc) and (self.doc[j].pos_ == "ADV" or _low(self.doc[j]) in _T
                                     or _low(self.doc[j]) in INVERTED_CLITICS):
            j += 1
        return j

    def _clauses(self, start: int, cue: Token, infinitive: bool = False) -> list[tuple[int, int]]:
        """Character spans of the reported clause(s) from token `start`: coordinated "et que" splits."""
        doc = self.doc
        _, sent_end = self.lay.sentence_of(doc[start].idx if start < len(doc) else len(self.text))
        out = []
        k0 = k = start
        while k < len(doc) and doc[k].idx < sent_end:
            t = doc[k]
            low = _low(t)
            mark = self._mark_at.get(t.idx)
            if mark is not None:  # never cut inside quotation marks
                end = mark.close if mark.close is not None else mark.end
                k = self.lay.token_at(end) + 1
                continue
            if low in (";", ":"):
                break
            if low in (",", "—", "–", "(") and (self._incise_cue(k + 1) or self._gerund(k + 1)
                                                 or (infinitive and self._resumed_clause(k + 1, k0))):
                break
            if low in ("et", "mais", "puis") and k > k0:
                nxt = _low(doc[k + 1]) if k + 1 < len(doc) else ""
                if nxt in ("que", "qu'"):
                    out.append(self._span(k0, k))
                    k0 = k = k + 2
                    continue
                if self._main_coordination(k, cue):
                    break
            k += 1
        out.append(self._span(k0, k))
        # an infinitive is a clause of its own in two words ("promis de revenir", "affirme être innocent")
        least = MIN_INFINITIVE_WORDS if infinitive else MIN_CLAUSE_WORDS
        return [(s, e) for s, e in out if e > s and len(self.text[s:e].split()) >= least]

    def _incise_cue(self, i: int) -> bool:
        """", a-t-il ajouté", ", a précisé le ministre", ", selon X" after a clause ends it."""
        doc = self.doc
        for j in range(i, min(len(doc), i + 4)):
            t = doc[j]
            if self._is_selon(t):
                return j == i
            if t.pos_ == "AUX" or _low(t) in _T or t.pos_ == "ADV":
                continue
            return self.cue_lemma(t) is not None and _low(doc[j + 1] if j + 1 < len(doc) else t) not in ("que", "qu'")
        return False

    def _gerund(self, i: int) -> bool:
        """", (tout) en ajoutant ...", ", ajoutant que ...": an adjunct of the reporting clause."""
        doc = self.doc
        if i < len(doc) and _low(doc[i]) == "tout":
            i += 1
        if i < len(doc) and _low(doc[i]) == "en":
            i += 1
        return i < len(doc) and "Part" in doc[i].morph.get("VerbForm") and "Pres" in doc[i].morph.get("Tense")  # type: ignore[call-arg]  # spaCy stubs: MorphAnalysis.get's default is optional

    def _resumed_clause(self, i: int, k0: int) -> bool:
        """", revendique aussi ...": after an infinitive complement, a finite verb right after a comma returns
        to the main clause ("Shekau, que l'armée a affirmé avoir tué, revendique ...")."""
        doc = self.doc
        if i < len(doc) and _low(doc[i]) in COORDINATING:
            i += 1  # ", mais se refusent à croire"
        while i < len(doc) and (doc[i].pos_ == "ADV" or _low(doc[i]) in CLITICS):
            i += 1
        if i >= len(doc) or not (doc[i].pos_ in ("VERB", "AUX") and self._finite_group_at(i)):
            return False
        return any(_finite(doc[k]) or "Inf" in doc[k].morph.get("VerbForm") for k in range(k0, i))  # type: ignore[call-arg]  # spaCy stubs: MorphAnalysis.get's default is optional

    def _finite_group_at(self, i: int) -> bool:
        t = self.doc[i]
        return _finite(t) or (t.pos_ == "AUX" and _finite(t))

    def _main_coordination(self, k: int, cue: Token) -> bool:
        """"..., et annonce la fermeture": a verb after "et" coordinated with the reporting verb."""
        doc = self.doc
        for j in range(k + 1, min(len(doc), k + 5)):
            t = doc[j]
            if t.pos_ in ("NOUN", "PROPN") or _low(t) in ("il", "elle", "ils", "elles", "on"):
                return False  # a subject of its own: a clause inside the reported speech
            if t.pos_ == "VERB":
                return t.head.i == cue.i or (self.cue_lemma(t) is not None and _finite(t))
        return False

    def _pour_trigger(self, t: Token) -> bool:
        """"Pour X, ..." at the start of a sentence or a clause ("..., tandis que, pour X, « ... »")."""
        if self._sentence_initial(t):
            return True
        prev = self.doc[t.i - 1] if t.i > 0 else None
        return prev is not None and (_low(prev) in ("que", "qu'", "et", "mais") or prev.text in (",", ";", ":"))

    def _next_words(self, t: Token, n: int) -> list[str]:
        return [_low(x) for x in self.doc[t.i + 1 : t.i + 1 + n]]

    def _source(self, trigger: Token, skip: int = 0) -> tuple[Token | None, int | None]:
        """Head of the source phrase after a "selon" trigger, and the exclusive end token of the phrase."""
        doc = self.doc
        i = trigger.i + 1 + skip + (1 if _low(trigger) == "d'" else 0)
        _, sent_end = self.lay.sentence_of(trigger.idx)
        if i + 1 < len(doc) and _low(doc[i]) == "ce" and _low(doc[i + 1]) in ("que", "qu'", "qu"):
            # "selon ce qu'a confié une source judiciaire à l'AFP": the subject of that verb
            for k in range(i + 2, min(len(doc), i + 6)):
                if self.cue_lemma(doc[k]) is not None:
                    subj = self._parsed_subject(doc[k], self.lay.sentence_of(doc[k].idx))
                    if subj is None or subj.i < k:
                        j = self._skip_adjuncts(k + 1)
                        while j < len(doc) and doc[j].pos_ == "DET":
                            j += 1
                        subj = doc[j] if j < len(doc) and doc[j].pos_ in ("NOUN", "PROPN") else None
                    end = self.coref.np_end(subj.i) if subj is not None else None
                    return subj, end
            return None, None
        if i >= len(doc) or _low(doc[i]) in SELON_STOP:
            return None, None
        head = None
        j = i
        while j < len(doc) and doc[j].idx < sent_end and j - i <= MAX_SOURCE_TOKENS:
            t = doc[j]
            if t.text in (",", ";", ":", "(", ")", ".", "«", "»", "—", "–") or t.is_space:
                break
            if head is None and t.pos_ in ("NOUN", "PROPN", "PRON") and _low(t) not in ("certain", "certains"):
                head = t
            j += 1
        if head is None or j - i > MAX_SOURCE_TOKENS:
            return None, None
        low = _low(head)
        lemma = head.lemma_.lower()
        if low in self.lex.words["not_source"] or lemma in self.lex.words["not_source"]:
            return None, None
        if head.pos_ == "PRON" and low not in ("lui", "elle", "eux", "elles"):
            return None, None
        return head, j

    def _selon(self, trigger: Token, kind: str, skip: int = 0) -> list[Pending]:
        doc = self.doc
        head, end = self._source(trigger, skip)
        if head is None or end is None:
            return []
        if kind == "pour" and not self._opinion_holder(head):
            return []
        sent_start, sent_end = self.lay.sentence_of(trigger.idx)
        initial = not any(_finite(t) for t in doc[self.lay.token_at(sent_start) : trigger.i]) and (
            trigger.i - self.lay.token_at(sent_start) <= 6
        ) or (kind == "pour" and not self._sentence_initial(trigger))
        if kind == "pour" and not self._sentence_initial(trigger):
            sent_start = doc[trigger.i].idx  # "..., tandis que, pour X, <clause>": the clause after X
        after = end
        if after < len(doc) and doc[after].text == ",":
            after = self._skip_apposition(after + 1, sent_end)
        if initial:
            if end >= len(doc) or doc[end].text != "," or after >= len(doc) or doc[after].idx >= sent_end:
                return []
            span: tuple[int, int] | None = self._span(after, self.lay.token_at(sent_end - 1) + 1)
        else:
            if kind == "pour":
                return []
            span = self._before_trigger(trigger, sent_start, sent_end, after)
        if span is None or span[1] <= span[0] or len(self.text[span[0] : span[1]].split()) < MIN_CLAUSE_WORDS:
            return []
        if not self._has_clause(*span):
            return []
        conf = CONF_INDIRECT_POUR if kind == "pour" else CONF_INDIRECT_SELON
        cand = Candidate(span[0], span[1], False, "pour" if kind == "pour" else "selon", conf)
        cand.cue = "selon"
        cand.cue_start, cand.cue_end = trigger.idx, self._trigger_end_char(trigger)
        cand.attribution = "selon"
        return [Pending(cand, head, head.i if head is not None else trigger.i)]

    def _opinion_holder(self, head: Token) -> bool:
        """"Pour X," reports an opinion only when X is a person or an institution."""
        ent = self.coref.entity_at(head.i)
        if ent is not None and ent.label_ in ("PER", "ORG"):
            return True
        words = self.lex.words
        low, lemma = _low(head), head.lemma_.lower()
        if low in words["opinion_holder"] or lemma in words["opinion_holder"] or lemma in words["title"]:
            return True
        if low in words["quantity"] or lemma in words["quantity"]:
            inner = self.coref.after_de(head.i, self.coref.np_end(head.i))
            return inner is not None and self._opinion_holder(inner)
        return False

    def _skip_apposition(self, i: int, sent_end: int) -> int:
        """After "selon X," skip "Olivier Véran," or "Premier ministre," (an apposition to the source)."""
        doc = self.doc
        j = i
        while j < len(doc) and doc[j].idx < sent_end and j - i <= MAX_APPOSITION_TOKENS:
            t = doc[j]
            if t.text == ",":
                seg = doc[i:j]
                ent = self.coref.entity_at(i)
                is_name = ent is not None and ent.label_ == "PER" and ent.start == i and ent.end == j
                is_title = any(self.coref.titles.key(x.i) for x in seg) and not any(x.pos_ == "VERB" for x in seg)
                return j + 1 if (is_name or is_title) else i
            if _finite(t):
                return i
            j += 1
        return i

    def _before_trigger(self, trigger: Token, sent_start: int, sent_end: int, after: int) -> tuple[int, int] | None:
        """The clause a trailing "selon X" reports: the sentence up to it, or what follows when that is short."""
        doc = self.doc
        first = self.lay.token_at(sent_start)
        depth = 0
        in_parentheses = False
        for i in range(trigger.i - 1, first, -1):
            depth += (doc[i].text == ")") - (doc[i].text == "(")
            if depth < 0:  # "(4,8 selon quelques sources)": the clause is inside the parentheses
                first, in_parentheses = i + 1, True
                break
            if doc[i].text in (";", ":") and not self._inside_quote(doc[i].idx):
                first = i + 1
                break
        prefix = self._span(first, trigger.i)
        if prefix[1] > prefix[0] and self._has_clause(*prefix):
            return prefix
        if in_parentheses:
            return None
        if after < len(doc) and doc[after].idx < sent_end:
            suffix = self._span(after, self.lay.token_at(sent_end - 1) + 1)
            if len(self.text[prefix[0] : prefix[1]].split()) <= 3:
                return suffix
            return prefix[0], suffix[1]
        return None
