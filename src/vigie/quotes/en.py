"""English quotes on a blank spaCy pipeline (tokens and sentences only: no tags, no parse, no entities).

Cues are the forms of `resources/reporting_verbs_en.tsv` used as verbs (`quotes_en_cues`: not "the report
says") and "according to X"; speakers come from `quotes_en_speakers` (word shapes around the cue). Patterns:
direct quotations with a cue after them ("“...,” Obama said", "“...,” said Obama"), before them ("Obama
said: “...”", "Obama said he was “surprised”"); indirect speech "X said (that) ...", "X told reporters (that)
...", "X vowed to ...", "X urged Congress to ...", "<clause>, X said.", "according to X, <clause>" and
"<clause>, according to X".

A reported clause without "that" needs a verb when it follows an object or opens with a name ("told
reporters Obama would ...", not "told Fox News host Sean Hannity earlier this month"); it ends before an
attribution of its own (", he said", ", as his staff told reporters") and with a quotation that ends its
sentence ("go to “Wall Street.” Hillary Clinton said"); a quotation that ends its sentence takes no cue from
the next one when that cue has a clause of its own. A quote that only attributes speech is dropped ("he told
Nine News", "The AP reported that").
"""
from __future__ import annotations

from functools import lru_cache

from spacy.attrs import LOWER
from spacy.strings import hash_string  # type: ignore[attr-defined]
from spacy.tokens import Doc, Token

from vigie.lexicons import word_class
from vigie.quotes.common import (
    CONF_DIRECT_NONE,
    CONF_DIRECT_SELON,
    CONF_DIRECT_VERB,
    CONF_INDIRECT_INF,
    CONF_INDIRECT_QUE,
    CONF_INDIRECT_SELON,
    MIN_CLAUSE_WORDS,
    Candidate,
    reported_words,
    settle,
)
from vigie.quotes.en_cues import OBJECT_PRONOUNS, EnglishCues
from vigie.quotes.en_names import compound, has_verb
from vigie.quotes.en_speakers import MAX_SPEAKER_TOKENS, WEEKDAYS, Mention, _capitalised, _low
from vigie.quotes.lexicon import english
from vigie.quotes.text import Layout, Mark

# Tokens between a verb and its "that" ("said on Tuesday in a statement that").
MAX_VERB_TO_THAT = 6
# Words a cue may be from its quotation's closing mark ("”, Mr. Trump told a crowd in Ohio, adding").
MAX_POST_CUE_WORDS = 6

# Words between a reporting verb and its "that" ("said on Tuesday in a statement that"), with weekdays and commas.
ADJUNCT_WORDS = word_class("quote_words_en.tsv", "adjunct") | {","} | WEEKDAYS
# Words that open a complement clause right after a reporting verb without "that" ("said he would").
CLAUSE_OPENERS = word_class("quote_words_en.tsv", "clause_opener")
CLOSING_PUNCT = frozenset({".", "!", "?", ";", ":", ",", "—", "–", "(", ")", "--"})


@lru_cache(maxsize=1)
def _trigger_hashes() -> frozenset[int]:
    return frozenset(hash_string(w) for w in set(english().forms) | {"according"})


class EnglishQuotes(EnglishCues):
    def __init__(self, doc: Doc, lay: Layout) -> None:
        super().__init__(doc, lay)
        self._mark_at = {m.open: m for m in lay.marks}
        self.quotations = self._quotations()
        self.index_names([(m.open, m.close if m.close is not None else m.end) for m in self.quotations])

    def run(self) -> list[Candidate]:
        pending: list[tuple[Candidate, Mention | None, int]] = []
        direct = []
        for m in self.quotations:
            cand, mention, pos = self._direct(m)
            direct.append(cand)
            pending.append((cand, mention, pos))
        indirect = []
        doc = self.doc
        for i in self._trigger_tokens():
            tok = doc[i]
            if self._inside_quote(tok.idx):
                continue
            low = _low(tok)
            found: list[tuple[Candidate, Mention | None, int]] = []
            if low == "according" and tok.i + 1 < len(doc) and _low(doc[tok.i + 1]) == "to":
                found = self._according(tok)
            else:
                lemma = self._cue_at(tok.i)
                if lemma is not None:
                    found = self._indirect(tok, lemma)
            pending += found
            indirect += [f[0] for f in found]
        for cand, mention, _ in sorted(pending, key=lambda p: p[2]):
            if mention is not None:
                self._set_speaker(cand, mention)
        indirect = [c for c in indirect if c.speaker_start is not None or c.kind == "according"]
        return [c for c in settle(self.lay, direct, indirect, self._has_clause) if not self._only_attribution(c)]

    def _trigger_tokens(self) -> list[int]:
        hashes = _trigger_hashes()
        return [i for i, low in enumerate(self.doc.to_array(LOWER).tolist()) if low in hashes]

    def _has_clause(self, start: int, end: int) -> bool:
        return len(self.text[start:end].split()) >= MIN_CLAUSE_WORDS + 1

    def _quotations(self) -> list[Mark]:
        words = self.lex.words
        return reported_words(self.text, self.lay, words["naming"], words["naming_verb"], self._short_with_cue)

    def _short_with_cue(self, m: Mark) -> bool:
        s, _ = self.lay.sentence_of(m.open)
        if any(c.isalnum() for c in self.text[s : m.open]) or m.close is None:
            return False
        return self._post_cue(m, adjacent=True) is not None

    def _direct(self, m: Mark) -> tuple[Candidate, Mention | None, int]:
        cand = Candidate(m.start, m.end, True, "direct", CONF_DIRECT_NONE, mark=m)
        for finder in (lambda: self._post_cue(m, True), lambda: self._pre_cue(m), lambda: self._post_cue(m, False)):
            found = finder()
            if found is not None:
                tok, lemma, mention = found
                self._cue(cand, tok, lemma)
                if lemma == "according to":
                    cand.attribution, cand.confidence = "selon", CONF_DIRECT_SELON
                else:
                    cand.attribution, cand.confidence = "verb", CONF_DIRECT_VERB
                return cand, mention, mention.start if mention is not None else tok.i
        return cand, None, self.lay.token_at(m.open)

    def _cue(self, cand: Candidate, tok: Token, lemma: str) -> None:
        cand.cue = lemma
        end = tok.idx + len(tok.text)
        if lemma == "according to" and tok.i + 1 < len(self.doc):
            end = self.doc[tok.i + 1].idx + len(self.doc[tok.i + 1].text)
        cand.cue_start, cand.cue_end = tok.idx, end

    def _post_cue(self, m: Mark, adjacent: bool) -> tuple[Token, str, Mention | None] | None:
        if m.close is None:
            return None
        doc = self.doc
        _, sent_end = self.lay.sentence_of(m.close)
        i = self.lay.token_at(m.close) + 1
        words = 0
        while i < len(doc) and doc[i].idx < sent_end and words <= MAX_POST_CUE_WORDS:
            t = doc[i]
            low = _low(t)
            if t.is_quote or t.is_punct:
                if t.idx in self._mark_at:
                    return None
                i += 1
                continue
            if low == "according" and i + 1 < len(doc) and _low(doc[i + 1]) == "to":
                src = self._right_mention(i + 2)
                return (t, "according to", src) if words == 0 or not adjacent else None
            lemma = self._cue_at(i)
            if lemma is not None and self._ends_sentence(m) and self._complement(t, self.lex.verbs[lemma].frames):
                return None  # 'called it "a disgrace." The network said the decision ...': the next sentence's
            if lemma is not None:
                # "”, Obama said" (speaker before the verb) or "”, said Obama"
                left = self._left_mention(i) if words else None
                mention = left if left is not None and left.start > self.lay.token_at(m.close) else None
                if mention is None:
                    mention = self._right_mention(i + 1)
                return (t, lemma, mention)
            words += compound(doc, i)[0] == i  # "Anne-Marie" is one word
            if adjacent and words > MAX_SPEAKER_TOKENS:
                return None
            i += 1
        return None

    def _pre_cue(self, m: Mark) -> tuple[Token, str, Mention | None] | None:
        doc = self.doc
        sent_start, _ = self.lay.sentence_of(m.open)
        i = self.lay.token_at(m.open) - 1
        while i >= 0 and doc[i].idx >= sent_start:
            t = doc[i]
            if not self._inside_quote(t.idx):
                low = _low(t)
                if low == "according" and i + 1 < len(doc) and _low(doc[i + 1]) == "to":
                    return t, "according to", self._right_mention(i + 2)
                lemma = self._cue_at(i)
                if lemma is not None:
                    return t, lemma, self._verb_mention(t, lemma)
            i -= 1
        return None

    def _indirect(self, verb: Token, lemma: str) -> list[tuple[Candidate, Mention | None, int]]:
        frames = self.lex.verbs[lemma].frames - {"x"}
        if not frames:
            return []
        doc = self.doc
        start = self._complement(verb, frames)
        if start is None:
            return self._incise(verb, lemma)
        mention = self._left_mention(verb.i)
        if mention is None:
            return []
        _, sent_end = self.lay.sentence_of(verb.idx)
        out: list[tuple[Candidate, Mention | None, int]] = []
        kind = "to" if doc[start - 1].lower_ == "to" else "that"
        for s, e in self._clauses(start, sent_end):
            cand = Candidate(s, e, False, kind, CONF_INDIRECT_QUE if kind == "that" else CONF_INDIRECT_INF)
            self._cue(cand, verb, lemma)
            cand.attribution = "verb"
            out.append((cand, mention, mention.start))
        return out

    def _complement(self, verb: Token, frames: frozenset[str]) -> int | None:
        """Token index where the reported clause starts."""
        doc = self.doc
        _, sent_end = self.lay.sentence_of(verb.idx)
        j = verb.i + 1
        if "ot" in frames or "oto" in frames:  # skip the object: "told reporters", "urged Congress"
            k = j
            while k < len(doc) and k - j < 4 and doc[k].text.isalpha() and _low(doc[k]) not in ("that", "to") \
                    and (_low(doc[k]) not in self.stop or _low(doc[k]) in OBJECT_PRONOUNS):
                k += 1
                if _low(doc[k - 1]) in OBJECT_PRONOUNS:
                    break
            if k == j:
                return None
            j = k
        if "to" in frames or "oto" in frames:
            if j < len(doc) and _low(doc[j]) == "to" and j + 1 < len(doc) and doc[j + 1].text.isalpha():
                return j + 1
            if "t" not in frames and "ot" not in frames:
                return None
        for k in range(j, min(len(doc), j + MAX_VERB_TO_THAT)):
            if doc[k].idx >= sent_end:
                return None
            low = _low(doc[k])
            if low == "that":
                return k + 1
            if low not in ADJUNCT_WORDS and not (_capitalised(doc[k]) and _low(doc[k]) in WEEKDAYS):
                break
        if j < len(doc) and doc[j].idx < sent_end:
            low = _low(doc[j])
            capital = _capitalised(doc[j]) and low not in self.stop and not doc[j].is_quote
            if (low in CLAUSE_OPENERS or capital) and (not capital and j == verb.i + 1 or self._verb_in(j, sent_end)):
                return j  # after an object or with a name, a clause needs a verb: not "told Fox News host Sean Hannity earlier"
        return None

    def _verb_in(self, start: int, sent_end: int) -> bool:
        words = [t.text for t in self.doc[start : self.lay.token_at(sent_end - 1) + 1]]
        return has_verb(words, self.lex.forms)

    def _clauses(self, start: int, sent_end: int) -> list[tuple[int, int]]:
        doc = self.doc
        out = []
        k0 = k = start
        while k < len(doc) and doc[k].idx < sent_end:
            t = doc[k]
            low = _low(t)
            mark = self._mark_at.get(t.idx)
            if mark is not None:
                end = mark.close if mark.close is not None else mark.end
                k = self.lay.token_at(end) + 1
                if mark.close is not None and self._ends_sentence(mark):
                    break
                continue
            if low in (";", ":"):
                break
            if low == "," and self._incise_after(k + 1):
                if k > k0:
                    break
                # "reported that, according to an analysis, <clause>": the incise opens the clause, skip it
                k += 1
                while k < len(doc) and doc[k].idx < sent_end and doc[k].text != ",":
                    k += 1
                k0 = k = k + 1
                continue
            if low == "and" and k + 1 < len(doc) and _low(doc[k + 1]) == "that":
                out.append(self._span(k0, k))
                k0 = k = k + 2
                continue
            k += 1
        out.append(self._span(k0, k))
        return [(s, e) for s, e in out if e > s and len(self.text[s:e].split()) >= MIN_CLAUSE_WORDS]

    def _incise_after(self, i: int) -> bool:
        """", he said", ", said Obama", ", as X said", ", according to ..." after a clause ends it."""
        doc = self.doc
        for j in range(i, min(len(doc), i + MAX_SPEAKER_TOKENS + 1)):
            low = _low(doc[j])
            if low == "according":
                return j == i
            if j == i and low == "as":
                continue  # ", as his staff told reporters"
            if self._cue_at(j):
                return True
            if doc[j].is_punct or doc[j].is_quote or (low in self.stop and low not in ("he", "she", "they")):
                return False
        return False

    def _span(self, k0: int, k: int) -> tuple[int, int]:
        doc = self.doc
        while k0 < k and (doc[k0].is_space or doc[k0].text in CLOSING_PUNCT):
            k0 += 1
        if k0 >= k or k0 >= len(doc):
            return 0, 0
        last = min(k, len(doc)) - 1
        while last > k0 and (doc[last].is_space or doc[last].text in CLOSING_PUNCT):
            last -= 1
        return doc[k0].idx, doc[last].idx + len(doc[last].text)

    def _incise(self, verb: Token, lemma: str) -> list[tuple[Candidate, Mention | None, int]]:
        """"<clause>, Obama said." / "<clause>, said Obama." / "<clause>, he said Tuesday."."""
        doc = self.doc
        sent_start, sent_end = self.lay.sentence_of(verb.idx)
        first = self.lay.token_at(sent_start)
        left = self._left_mention(verb.i)
        if left is not None and left.start > first and doc[left.start - 1].text == ",":
            comma = left.start - 1
            mention: Mention | None = left
            after = verb.i + 1
        elif verb.i > first and doc[verb.i - 1].text == ",":
            comma = verb.i - 1
            mention = self._right_mention(verb.i + 1)
            after = mention.end if mention is not None else verb.i + 1
        else:
            return []
        if mention is None:
            return []
        # only time words or a short adjunct may follow before the sentence ends
        rest = [t for t in doc[after : self.lay.token_at(sent_end - 1) + 1] if not t.is_punct]
        if len(rest) > 4 or any(_low(t) in ("that", "to") for t in rest[:1]):
            return []
        if doc[comma - 1].is_quote if comma > 0 else False:
            return []  # "“...,” Obama said": the quotation's own cue
        span = self._span(first, comma)
        if span[1] <= span[0] or len(self.text[span[0] : span[1]].split()) < MIN_CLAUSE_WORDS + 1:
            return []
        cand = Candidate(span[0], span[1], False, "incise", CONF_INDIRECT_QUE)
        self._cue(cand, verb, lemma)
        cand.attribution = "verb"
        return [(cand, mention, mention.start)]

    def _according(self, tok: Token) -> list[tuple[Candidate, Mention | None, int]]:
        doc = self.doc
        sent_start, sent_end = self.lay.sentence_of(tok.idx)
        first = self.lay.token_at(sent_start)
        j = tok.i + 2
        k = j
        while k < len(doc) and doc[k].idx < sent_end and doc[k].text not in (",", ";", ":", ".", "(") \
                and not doc[k].is_quote and k - j <= 12:
            k += 1
        if k == j:
            return []
        source = self._source(j, k)
        if source is None and any(_low(t) in self.lex.words["not_source"] for t in doc[j:k]):
            return []
        last = self.lay.token_at(sent_end - 1) + 1
        if tok.i - first <= 3:  # "According to X, <clause>"
            if k >= len(doc) or doc[k].text != ",":
                return []
            span = self._span(k + 1, last)
        else:  # "<clause>, according to X."
            span = self._span(first, tok.i)
        if span[1] <= span[0] or len(self.text[span[0] : span[1]].split()) < MIN_CLAUSE_WORDS:
            return []
        cand = Candidate(span[0], span[1], False, "according", CONF_INDIRECT_SELON)
        self._cue(cand, tok, "according to")
        cand.attribution = "selon"
        return [(cand, source, source.start if source is not None else tok.i)]

    def _source(self, j: int, k: int) -> Mention | None:
        """The speaker inside "according to <phrase>": after "from"/"by"/"of" for documents."""
        doc = self.doc
        words = self.lex.words
        for x in range(j, k):
            if _low(doc[x]) in ("from", "by", "of") and x > j and _low(doc[x - 1]) in (words["document"]
                                                                                      | words["no_speaker"]):
                return Mention(x + 1 + (_low(doc[x + 1]) == "the"), k) if x + 1 < k else None
        if any(_low(t) in words["no_speaker"] for t in doc[j:k]):
            return None
        return Mention(j, k)


def annotate_english(doc: Doc, lay: Layout) -> list[Candidate]:
    return [c for c in EnglishQuotes(doc, lay).run() if c.end > c.start]
