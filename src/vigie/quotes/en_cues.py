"""English cues on a blank pipeline: whether a reporting-verb form is used as a verb where it stands, who
speaks for it, and which candidate quotes only attribute speech.

- `_cue_at`: a form is no cue when used as a noun (`en_names.verb_use`: "the report says", "secretary of
  state", "Report finds rise in attacks"); "he's said" is "he has said".
- `_verb_mention`: the speaker before the verb, else after it ("said Obama"), but never the object of a verb
  that takes one ("told her" names the listener).
- `_only_attribution`: a quote whose words are a speaker, a cue and at most a listener or a short adjunct
  ("he told Nine News", "Bystrom agreed", "responded on Twitter", "according to the report") is not a quote.
- `_ends_sentence`: a closed quotation ending with a full stop and followed by a capital ends its sentence
  ("called it “a disgrace.” The senator said ...").
"""
from __future__ import annotations

from spacy.tokens import Token

from vigie.quotes.common import Candidate
from vigie.quotes.en_names import PREPOSITIONS, has_verb, verb_use
from vigie.quotes.en_speakers import (
    MAX_SPEAKER_TOKENS,
    TIME_WORDS,
    WEEKDAYS,
    EnglishSpeakers,
    Mention,
    _capitalised,
    _low,
)
from vigie.quotes.text import Mark

OBJECT_PRONOUNS = frozenset(["him", "her", "them", "us", "me", "you", "reporters", "journalists", "supporters"])
# Words of the writer or the reader: a quotation holding them before its verb is speech ("You tell me").
FIRST_SECOND_PERSON = frozenset({"i", "we", "you", "me", "us", "my", "our", "your"})
# "he's said": "'s" after these is "has" or "is", not a possessive.
CONTRACTED_SUBJECTS = frozenset({"he", "she", "it", "that", "there", "who", "what", "which"})
# Words after a cue that make an attribution, not a reported clause ("Bystrom agreed", "responded on Twitter").
MAX_ATTRIBUTION_TAIL = 4


class EnglishCues(EnglishSpeakers):
    """Cue tests of one English Doc (see the module docstring); `EnglishQuotes` applies the patterns."""

    def _cue_at(self, i: int) -> str | None:
        """The lemma of the reporting verb at token `i`; None for other words and for a form used as a noun
        ("the report says", "secretary of state", "Police Report Finds": `en_names.verb_use`)."""
        doc = self.doc
        low = _low(doc[i])
        lemma = self.lex.forms.get(low)
        if lemma is None:
            return None
        before = None
        if i > 0:
            prev = doc[i - 1]
            before = _low(prev)
            if before == "-" and (prev.whitespace_ or (i > 1 and doc[i - 2].whitespace_)):
                before = "—"  # a dash between words, not a hyphen
            elif before == "'s" and i > 1 and _low(doc[i - 2]) in CONTRACTED_SUBJECTS:
                before = "has"  # "he's said"
        capital = _capitalised(doc[i])
        opens = capital and self._sentence_initial(i)
        headline = capital and not opens and self._capitalised_around(i)
        return lemma if verb_use(low, lemma, before, capital, opens, headline) else None

    def _capitalised_around(self, i: int) -> bool:
        """The words before and after token `i` (past quotation marks and punctuation) are capitalised."""
        doc = self.doc
        words = [t for t in doc[max(0, i - 3) : i] if t.text[:1].isalnum()][-1:]
        words += [t for t in doc[i + 1 : i + 4] if t.text[:1].isalnum()][:1]
        return len(words) == 2 and all(t.text[:1].isupper() for t in words)

    def _only_attribution(self, cand: Candidate) -> bool:
        """A quote whose words only attribute speech: "he told Nine News", "Bystrom agreed", "responded on
        Twitter", "according to the report"; not speech in the first or second person ("You tell me")."""
        doc = self.doc
        toks = [t for t in doc[self.lay.token_at(cand.start) : self.lay.token_at(cand.end - 1) + 1]
                if cand.start <= t.idx < cand.end and not t.is_punct and not t.is_quote]
        for n, t in enumerate(toks):
            lemma: str | None
            if _low(t) == "according" and n + 1 < len(toks) and _low(toks[n + 1]) == "to":
                lemma, tail = "according to", toks[n + 2 :]
            else:
                lemma, tail = self._cue_at(t.i), toks[n + 1 :]
            if lemma is None:
                continue
            head = [x.text for x in toks[:n]]
            if len(head) > MAX_SPEAKER_TOKENS or has_verb(head) or FIRST_SECOND_PERSON & {_low(x) for x in toks[:n]}:
                return False
            mention = self._left_mention(t.i) if head else None
            if head and (mention is None or mention.start > toks[0].i or not self._names_speaker(toks[n - 1])):
                return False  # the words before the cue are not its speaker ("without warning", "a wake-up call")
            rest = [_low(x) for x in tail]
            if not rest:
                return True
            if len(rest) > MAX_ATTRIBUTION_TAIL or has_verb([x.text for x in tail], self.lex.forms):
                return False
            if lemma == "according to":
                return True  # "according to the report": the source alone
            frames = self.lex.verbs[lemma].frames
            listener = ("ot" in frames or "oto" in frames) and (_capitalised(tail[0]) or rest[0] in OBJECT_PRONOUNS)
            return listener or rest[0] in PREPOSITIONS or rest[0] in WEEKDAYS or rest[0] in TIME_WORDS \
                or rest[0] == "that"
        return False

    def _verb_mention(self, tok: Token, lemma: str) -> Mention | None:
        """Speaker of a cue verb: the phrase before it, else after it (inverted), unless the verb takes an
        object, which is the listener ("told her")."""
        left = self._left_mention(tok.i)
        if left is not None or {"ot", "oto"} & self.lex.verbs[lemma].frames:
            return left
        return self._right_mention(tok.i + 1)

    @staticmethod
    def _names_speaker(tok: Token) -> bool:
        """The last word of a phrase that plainly names a speaker: a name, a pronoun, a plural ("officials")."""
        low = _low(tok)
        return _capitalised(tok) or low in ("he", "she", "they", "who") or (low.endswith("s") and len(low) > 3)

    def _ends_sentence(self, m: Mark) -> bool:
        """A closed quotation whose words end with a full stop and that a capitalised word follows ("go to
        “Wall Street.” Hillary Clinton said"): the sentence ends with it, although the layout, which never
        breaks a sentence inside a closed quotation, runs on."""
        after = self.text[m.close + 1 : m.close + 3].lstrip() if m.close is not None else ""
        return self.text[m.start : m.end].rstrip()[-1:] in ".!?" and after[:1].isupper()
