"""What the French and English quote rules share: the candidate record, which quotation marks hold a
quotation, and the final pass that settles overlaps and attributes quotes that have no cue of their own.

Final pass, in order:
1. an indirect clause that contains a direct quotation is cut around it: the part before the quotation is
   kept only when the quotation is coordinated to it ("que X a été fait et « ... »"), the part after only
   when it starts with a coordinator ("» et que ..."); a quotation that continues the clause's syntax
   ("a estimé que les forces ont « joué un rôle »", "s'est rendu à Almaty pour « évaluer »") is reported
   alone, with the clause's speaker and cue when it has none of its own;
2. a "selon X" clause that holds another quote's cue gives way to it (the verb is the closer attribution);
3. a quotation with no cue in its sentence takes the attribution of a quotation it repeats (a sub-heading
   quoting the body), else of an attributed quotation in the sentence just before (the same speaker goes
   on), else of the paragraph before or after when it fills its own paragraph;
4. quotations still unattributed are kept only when long enough to be speech rather than a phrase.
"""
from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass
from itertools import accumulate

from vigie.lexicons import word_class
from vigie.quotes.text import Layout, Mark

EXTRACTOR = "vigie-quotes"

# A quotation of at most this many words is a scare quote («terroriste», « sûreté nationale »), as the
# annotation guide defines it, unless a cue is attached to it (« Non », a-t-il répondu).
SCARE_MAX_WORDS = 3
# An unattributed quotation is kept only from this many words and with a verb (or when it is a whole
# sentence): others in running text are mostly expressions, charges or labels the writer borrows
# (« association de malfaiteurs en relation avec une entreprise terroriste »; read on the 60 Wikinews samples).
MIN_UNATTRIBUTED_WORDS = 6
MIN_UNATTRIBUTED_WORDS_WITHOUT_VERB = 12
# A reported clause shorter than this is not worth a record ("a affirmé que oui").
MIN_CLAUSE_WORDS = 3
# A quotation whose words are mostly capitalised is a name ("Front de la Conquête du Cham"), up to this length.
NAME_MAX_WORDS = 8
NAME_CAPITALISED_SHARE = 0.6
# A sub-heading repeats a quote of the body when this share of its words is in that quote.
REPEAT_SHARE = 0.8

# Confidence by how the quote and its speaker were found: set by hand, in the order of reliability seen on
# the dev set and on a read of the 60 Wikinews samples and ~25 WiNER articles (quotation marks with a verb
# cue were nearly always right; "selon" clause boundaries, "Pour X" and speakers taken from a neighbouring
# sentence or paragraph were the usual errors). Not a fitted probability.
CONF_DIRECT_VERB = 0.9  # quotation marks and a reporting verb with its subject in the same sentence
CONF_DIRECT_SELON = 0.85  # quotation marks and "selon X" in the same sentence
CONF_DIRECT_REPEAT = 0.8  # a sub-heading repeating an attributed quotation
CONF_DIRECT_NEIGHBOUR = 0.6  # speaker taken from the paragraph before or after
CONF_DIRECT_NONE = 0.5  # a quotation whose speaker was not found
CONF_INDIRECT_QUE = 0.8  # reporting verb + que-clause with a subject
CONF_INDIRECT_INF = 0.7  # reporting verb + infinitive ("annonce avoir tué")
CONF_INDIRECT_SELON = 0.75  # "selon X, <clause>" / "<clause>, selon X"
CONF_INDIRECT_POUR = 0.6  # "Pour X, <clause>" (an opinion)
# A speaker reached through a pronoun or a description is less sure than one named by the cue.
RESOLVED_FACTOR = 0.95

COORDINATORS = frozenset({"et", "mais", "ou", "ni", "puis", "and", "but", "or", "nor", "then"})
_COMPLEMENTISERS = frozenset({"que", "qu'", "qu’", "that"})
# Words a quotation cannot end on: it was cut ("« C'est ce qu' »").
DANGLING_WORDS = word_class("quote_words_fr.tsv", "dangling") | word_class("quote_words_en.tsv", "dangling")
RELATIVE_LINKS = frozenset({"dont", "qui", "où", "which", "who", "whose"})
# A part of an indirect clause before a quotation that has no coordinator is kept from this length on ("que le
# plan couvrira tous les magasins ..., où seront favorisés les immigrants « qui ont servi ... »").
MIN_LEADING_CLAUSE_WORDS = 10
# Words between a coordinator and the quotation that completes its clause ("et seraient « ... »").
MAX_WORDS_AFTER_LINK = 3
_WORD = re.compile(r"\w+", re.UNICODE)
# Articles and possessives skipped before a quotation when looking for the noun that names it.
_ARTICLES = word_class("quote_words_fr.tsv", "article") | word_class("quote_words_en.tsv", "article")
_FUNCTION_WORDS = word_class("quote_words_fr.tsv", "function") | word_class("quote_words_en.tsv", "function")


@dataclass(slots=True)
class Candidate:
    start: int
    end: int
    direct: bool
    kind: str  # direct | que | inf | de | selon | pour | that | according
    confidence: float
    speaker: str | None = None
    speaker_start: int | None = None
    speaker_end: int | None = None
    cue: str | None = None
    cue_start: int | None = None
    cue_end: int | None = None
    attribution: str = "none"  # verb | selon | repeat | neighbour | none
    mark: Mark | None = None

    def take_attribution(self, other: Candidate, how: str | None = None) -> None:
        self.speaker, self.speaker_start, self.speaker_end = other.speaker, other.speaker_start, other.speaker_end
        self.cue, self.cue_start, self.cue_end = other.cue, other.cue_start, other.cue_end
        self.attribution = how or other.attribution

    def as_dict(self) -> dict:
        return {
            "start": self.start, "end": self.end, "direct": self.direct, "speaker": self.speaker,
            "speaker_start": self.speaker_start, "speaker_end": self.speaker_end, "cue": self.cue,
            "cue_start": self.cue_start, "cue_end": self.cue_end, "confidence": round(self.confidence, 3),
            "kind": self.kind, "extractor": EXTRACTOR,
        }


class QuotedSpans:
    """Quotation spans (open, close), for "is this offset inside one?" asked of every token: the answer of
    a scan in list order that stops at the first span opening after the offset, from running maxima."""

    def __init__(self, spans: list[tuple[int, int]]) -> None:
        self.spans = spans
        self._opens = list(accumulate((o for o, _ in spans), max))
        self._closes = list(accumulate((c for _, c in spans), max))

    def holds(self, char: int) -> bool:
        k = bisect_right(self._opens, char)  # the spans before the first one opening after `char`
        return k > 0 and self._closes[k - 1] >= char


def fold_words(text: str) -> list[str]:
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return _WORD.findall(text)


def looks_like_name(text: str, mark: Mark) -> bool:
    """Mostly capitalised words and short: a name of a group, an operation, a work."""
    if mark.words > NAME_MAX_WORDS:
        return False
    content = text[mark.start : mark.end]
    if content.rstrip()[-1:] in ".!?…":
        return False
    words = [w for w in _WORD.findall(content) if w.lower() not in _FUNCTION_WORDS and not w.isdigit()]
    if len(words) < 2:
        return False
    caps = sum(1 for w in words if w[0].isupper())
    return caps / len(words) >= NAME_CAPITALISED_SHARE


def named_by(text: str, mark: Mark, sentence_start: int, naming: frozenset[str], naming_verbs: frozenset[str]) -> bool:
    """The words just before the quotation name it: "l'opération (militaire) « ... »", "baptisé « ... »"."""
    before = text[max(sentence_start, mark.open - 40) : mark.open]
    if mark.words > NAME_MAX_WORDS or not before.rstrip()[-1:].isalnum():
        return False  # long, or after punctuation ("le projet : « ... »"): not a name
    words = [w.lower() for w in re.findall(r"[\w'’-]+", before)]
    words = [w for w in words if w not in _ARTICLES]
    if not words:
        return False
    return words[-1] in naming or words[-1] in naming_verbs or (len(words) > 1 and words[-2] in naming)


def fills_paragraph(lay: Layout, mark: Mark) -> bool:
    """Only punctuation and spaces around the quotation in its paragraph."""
    p = lay.paragraphs[lay.paragraph_index(mark.open)]
    end = mark.close + 1 if mark.close is not None else mark.end
    rest = lay.text[p[0] : mark.open] + lay.text[end : p[1]]
    return not any(c.isalnum() for c in rest)


def starts_sentence(lay: Layout, mark: Mark) -> bool:
    s, _ = lay.sentence_of(mark.open)
    return not any(c.isalnum() for c in lay.text[s : mark.open])


def _edge_word(text: str, start: int, end: int, last: bool) -> tuple[str, int, int]:
    """The first (or last) word of text[start:end] and its span."""
    words = list(re.finditer(r"[\w'’]+|[,;:]", text[start:end]))
    if not words:
        return "", start, end
    m = words[-1] if last else words[0]
    return m.group().lower(), start + m.start(), start + m.end()


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and (text[start].isspace() or text[start] in ",;:—–-"):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in ",;:—–-"):
        end -= 1
    return start, end


def _pieces(
    text: str, cand: Candidate, inner: list[Mark], has_clause: Callable[[int, int], bool]
) -> list[tuple[int, int]]:
    """The parts of an indirect clause outside its quotations that are clauses of their own."""
    out = []
    bounds = [cand.start]
    for m in inner:
        bounds += [m.open, (m.close + 1) if m.close is not None else m.end]
    bounds.append(cand.end)
    for k in range(0, len(bounds), 2):
        s, e = bounds[k], bounds[k + 1]
        s, e = _trim(text, s, e)
        if e <= s:
            continue
        left_free = k == 0
        right_free = k + 1 == len(bounds) - 1
        if not left_free:  # after a quotation: must start with a coordinator ("» et que ...")
            word, _, wend = _edge_word(text, s, e, last=False)
            if word not in COORDINATORS:
                continue
            s = wend
            word, _, wend = _edge_word(text, s, e, last=False)
            if word in _COMPLEMENTISERS:
                s = wend
        if not right_free:  # before a quotation: must end with a coordinator or a relative
            raw_end = bounds[k + 1]
            cut = _last_link(text, s, raw_end)
            if cut is None and len(text[s:raw_end].split()) < MIN_LEADING_CLAUSE_WORDS:
                continue
            e = cut if cut is not None else raw_end  # a long clause of its own before the quotation
        s, e = _trim(text, s, e)
        if e > s and len(text[s:e].split()) >= MIN_CLAUSE_WORDS and has_clause(s, e):
            out.append((s, e))
    return out


def _last_link(text: str, start: int, end: int) -> int | None:
    """Where the clause before a quotation ends: at a final coordinator or relative ("... et « ... »", "256
    avions dont « ... »"), or at a coordinator a few words before the quotation, whose clause the quotation
    completes ("... dès mars et seraient « divisées en lots »"). None when the words run into the quotation."""
    words = list(re.finditer(r"[\w'’]+|[,;:]", text[start:end]))
    for back, w in enumerate(reversed(words)):
        if back > MAX_WORDS_AFTER_LINK:
            return None
        word = w.group().lower()
        if word in COORDINATORS or back == 0 and word in RELATIVE_LINKS:
            return start + w.start()
    return None


def settle(
    lay: Layout,
    direct: list[Candidate],
    indirect: list[Candidate],
    has_clause: Callable[[int, int], bool],
) -> list[Candidate]:
    """Resolve overlaps, attribute cue-less quotations from repeats and neighbours, drop weak leftovers."""
    text = lay.text
    kept_indirect: list[Candidate] = []
    for cand in indirect:
        inner = [d for d in direct if d.mark is not None and d.start < cand.end and d.end > cand.start]
        if not inner:
            kept_indirect.append(cand)
            continue
        for d in inner:
            if d.attribution in ("none", "neighbour") or (d.speaker is None and cand.speaker is not None):
                d.take_attribution(cand)
                d.confidence = max(d.confidence, CONF_DIRECT_SELON if cand.kind in ("selon", "pour", "according")
                                   else CONF_DIRECT_VERB)
        for s, e in _pieces(text, cand, [d.mark for d in inner if d.mark is not None], has_clause):
            piece = Candidate(s, e, False, cand.kind, cand.confidence)
            piece.take_attribution(cand)
            kept_indirect.append(piece)
    # a "selon X" clause holding another quote's cue gives way to that quote
    cues = [c.cue_start for c in kept_indirect + direct if c.kind not in ("selon", "pour", "according")
            and c.cue_start is not None]
    kept_indirect = [
        c for c in kept_indirect
        if c.kind not in ("selon", "pour", "according") or not any(c.start <= q < c.end for q in cues)
    ]
    kept_indirect = _dedupe(kept_indirect)
    _attribute_repeats(text, direct)
    _attribute_continuations(lay, direct)
    _attribute_neighbours(lay, direct, kept_indirect)
    out = []
    for d in direct:
        if _dangling(text, d):
            continue  # « C'est ce qu' »: a fragment, not someone's words
        if d.attribution == "none":
            whole = d.mark is not None and starts_sentence(lay, d.mark) and text[d.end - 1 : d.end] in ".!?…"
            if d.mark is None or not whole and (
                d.mark.words < MIN_UNATTRIBUTED_WORDS
                or (d.mark.words < MIN_UNATTRIBUTED_WORDS_WITHOUT_VERB and not has_clause(d.start, d.end))
            ):
                continue
            d.confidence = CONF_DIRECT_NONE
        out.append(d)
    out += kept_indirect
    out.sort(key=lambda c: (c.start, c.end))
    return out


def _dangling(text: str, cand: Candidate) -> bool:
    """A quotation that stops on an elided or function word ("C'est ce qu'", "the end of the"): a fragment."""
    words = re.findall(r"[\w]+['’]?", text[cand.start : cand.end])
    return bool(words) and (words[-1][-1] in "'’" or words[-1].lower() in DANGLING_WORDS)


def _dedupe(cands: list[Candidate]) -> list[Candidate]:
    """Of two overlapping indirect clauses, keep the more confident, then the one with a speaker ("..., d'après
    un bilan, ..., selon les autorités locales"), then the earlier."""
    cands = sorted(cands, key=lambda c: (-round(c.confidence, 6), c.speaker is None, c.start))
    kept: list[Candidate] = []
    for c in cands:
        if any(c.start < k.end and k.start < c.end and _overlap_share(c, k) >= 0.5 for k in kept):
            continue
        kept.append(c)
    return kept


def _overlap_share(a: Candidate, b: Candidate) -> float:
    inter = min(a.end, b.end) - max(a.start, b.start)
    return inter / max(1, min(a.end - a.start, b.end - b.start))


def _attribute_repeats(text: str, direct: list[Candidate]) -> None:
    folded: dict[tuple[int, int], tuple[int, frozenset[str]]] = {}  # (start, end) -> word count, words

    def pool_of(c: Candidate) -> tuple[int, frozenset[str]]:
        key = (c.start, c.end)
        if key not in folded:
            words = fold_words(text[c.start : c.end])
            folded[key] = (len(words), frozenset(words))
        return folded[key]

    for d in direct:
        if d.attribution not in ("none", "neighbour"):
            continue  # (a repeat of a cued quotation wins over the person presented before it)
        words = fold_words(text[d.start : d.end])
        if not words:
            continue
        for other in direct:
            if other is d or other.attribution in ("none", "repeat", "neighbour"):
                continue
            size, pool = pool_of(other)
            if size < len(words):
                continue
            share = sum(1 for w in words if w in pool) / len(words)
            if share >= REPEAT_SHARE:
                d.take_attribution(other, "repeat")
                d.confidence = CONF_DIRECT_REPEAT
                break


def _attribute_continuations(lay: Layout, direct: list[Candidate]) -> None:
    """A quotation opening the sentence right after an attributed quotation, in the same paragraph and
    with no cue of its own, continues the same speaker's words."""
    by_sentence: dict[int, Candidate] = {}
    for d in direct:
        if d.mark is not None and d.attribution in ("verb", "selon"):
            by_sentence[lay.sentence_index(d.mark.open)] = d
    for d in direct:
        if d.attribution != "none" or d.mark is None or not starts_sentence(lay, d.mark):
            continue
        k = lay.sentence_index(d.mark.open)
        prev = by_sentence.get(k - 1)
        if prev is not None and lay.paragraph_index(prev.start) == lay.paragraph_index(d.start):
            d.take_attribution(prev, "neighbour")
            d.confidence = CONF_DIRECT_NEIGHBOUR
            by_sentence[k] = d


def _attribute_neighbours(lay: Layout, direct: list[Candidate], indirect: list[Candidate]) -> None:
    """A quotation filling its paragraph with no cue: the speaker of the paragraph before, else after."""
    attributed = sorted((c for c in direct + indirect if c.attribution in ("verb", "selon") and c.speaker),
                        key=lambda c: c.start)
    for d in direct:
        if d.attribution != "none" or d.mark is None or not fills_paragraph(lay, d.mark):
            continue
        p = lay.paragraph_index(d.mark.open)
        before = [c for c in attributed if lay.paragraph_index(c.start) == p - 1]
        after = [c for c in attributed if lay.paragraph_index(c.start) == p + 1]
        source = before[-1] if before else (after[0] if after else None)
        if source is not None:
            d.take_attribution(source, "neighbour")
            d.confidence = CONF_DIRECT_NEIGHBOUR


def reported_words(
    text: str,
    layout: Layout,
    naming: frozenset[str],
    naming_verbs: frozenset[str],
    short_with_cue: Callable[[Mark], bool],
) -> list[Mark]:
    """Quotation marks that hold reported words: not names or titles of works, and not scare quotes of
    SCARE_MAX_WORDS words or fewer unless a cue shows they are speech (« Non », a-t-il répondu)."""
    out = []
    for m in layout.marks:
        sent_start, _ = layout.sentence_of(m.open)
        if named_by(text, m, sent_start, naming, naming_verbs) or looks_like_name(text, m):
            continue
        if m.words <= SCARE_MAX_WORDS and not short_with_cue(m):
            continue
        out.append(m)
    return out
