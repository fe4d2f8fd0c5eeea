"""The repeated-line learner: lines repeated across many articles of one source are boilerplate."""
from __future__ import annotations

import hashlib
import re
from collections import OrderedDict
from dataclasses import dataclass, field

from vigie.ingest.repair import fix_lines

# ----------------------------------------------------------------------------------------------------
# Thresholds. Calibration: coordinate-descent grid search (each constant over 4-6 values, 3 rounds) on
# the five line-labelled crawled benchmarks of ../shared/data (2,380 pages, pooled; bench/cleaning.py),
# maximising the mean of boilerplate-line F1 and kept-line F1 averaged over the five sets, together
# with line retention on *plain* article texts (the benchmarks' gold bodies, 1,191 WiNER-fr Wikinews
# articles, 100 Wikinews keyphrase articles: cleaning an already clean article should drop nothing),
# under the hard constraint that the seed article loses exactly its 4 chrome lines and every dev
# Wikinews file keeps all its lines. No constant was tuned on a single page.
# ----------------------------------------------------------------------------------------------------

# Repeated-line learner: a line key is boilerplate for a source when it appears in at least
# MIN_ARTICLES distinct articles AND in at least MIN_SHARE of that source's articles. Long lines (more
# than LONG_KEY_CHARS) look like article prose and need MIN_ARTICLES_LONG / MIN_SHARE_LONG. With
# 3 / 0.1, a footer in 5 of 5 articles goes and a line in 2 (or 3) of 200 stays. Measured: on the
# benchmarks (pages grouped by host; few hosts have 3+ pages) the learner adds +0.8 point of kept-line
# F1; MIN_SHARE 0.05-0.3 are equal there; on the 1,191 WiNER-fr articles (one source) it removes no
# line at any of these settings. MIN_ARTICLES 2 would score +0.2 but flags lines shared by 2 articles.
MIN_ARTICLES = 3
MIN_SHARE = 0.1
LONG_KEY_CHARS = 160
MIN_ARTICLES_LONG = 5
MIN_SHARE_LONG = 0.3
MAX_KEY_CHARS = 500  # longer lines (article paragraphs) are never counted
# Bounded memory (lossy counting): when a source holds more than MAX_KEYS_PER_SOURCE keys, or all
# sources together more than MAX_TOTAL_KEYS (typical keys are ~40 chars: ~30 MB; at most ~100 MB),
# the rarest keys (seen once, then twice...) are
# pruned; at most MAX_SOURCES sources are tracked (least recently observed forgotten); the digests of
# the last MAX_HASHES articles are kept so that exact duplicates are counted once.
MAX_KEYS_PER_SOURCE = 20_000
MAX_TOTAL_KEYS = 200_000
MAX_SOURCES = 5_000
MAX_HASHES = 50_000

# ----------------------------------------------------------------------------------------------------
# Line keys and the repeated-line learner
# ----------------------------------------------------------------------------------------------------

_DIGITS_RE = re.compile(r"\d+")
_MONTHS = (
    "janvier|février|fevrier|mars|avril|mai|juin|juillet|août|aout|septembre|octobre|novembre|décembre|decembre|"
    "january|february|march|april|may|june|july|august|september|october|november|december|"
    "janv|févr|fév|avr|juil|sept|oct|nov|déc|jan|feb|mar|apr|jun|jul|aug|sep|dec"
)
_DATE_RE = re.compile(
    rf"\b\d{{1,2}}(?:er)?\.?\s+(?:{_MONTHS})\.?\s+\d{{4}}\b|\b(?:{_MONTHS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}\b"
    r"|\b\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}\b|\b\d{4}-\d{2}-\d{2}\b",
    re.IGNORECASE,
)
DATELINE_MAX_WORDS = 14  # a line with a date and at most this many words is a dateline


def line_key(line: str) -> str:
    """Normalised form of a line for the repeated-line learner: casefolded, digit runs masked as "0",
    whitespace collapsed."""
    return " ".join(_DIGITS_RE.sub("0", line.casefold()).split())


def is_dateline(line: str) -> bool:
    return len(line.split()) <= DATELINE_MAX_WORDS and _DATE_RE.search(line) is not None


@dataclass(slots=True)
class _SourceStats:
    articles: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    cache: frozenset[str] | None = None


class RepeatedLineLearner:
    """Counts, per source, in how many distinct articles each line key appears.

    `repeated(source)` gives the keys seen in at least MIN_ARTICLES articles and at least MIN_SHARE of
    the source's articles (stricter for long, prose-like lines). Datelines are never learned (their
    masked key repeats by design, but they belong to the article). Memory is bounded (see MAX_* above):
    the rarest keys are pruned first, the least recently observed sources are forgotten, and exact
    duplicate articles are counted once.
    """

    def __init__(
        self,
        *,
        min_articles: int = MIN_ARTICLES,
        min_share: float = MIN_SHARE,
        max_keys_per_source: int = MAX_KEYS_PER_SOURCE,
        max_total_keys: int = MAX_TOTAL_KEYS,
        max_sources: int = MAX_SOURCES,
    ) -> None:
        self.min_articles = min_articles
        self.min_share = min_share
        self.max_keys_per_source = max_keys_per_source
        self.max_total_keys = max_total_keys
        self.max_sources = max_sources
        self._sources: OrderedDict[str, _SourceStats] = OrderedDict()
        self._hashes: OrderedDict[bytes, None] = OrderedDict()
        self._total_keys = 0

    def observe(self, source: str, raw: str) -> None:
        """Count the lines of one article of `source`."""
        self._observe_lines(source, fix_lines(raw))

    def _observe_lines(self, source: str, lines: list[str]) -> None:
        h = hashlib.blake2b(digest_size=16)
        h.update(source.encode("utf-8", "surrogatepass") + b"\0")
        h.update("\n".join(lines).encode("utf-8", "surrogatepass"))
        digest = h.digest()
        if digest in self._hashes:
            return
        self._hashes[digest] = None
        if len(self._hashes) > MAX_HASHES:
            self._hashes.popitem(last=False)
        stats = self._sources.get(source)
        if stats is None:
            stats = self._sources[source] = _SourceStats()
            while len(self._sources) > self.max_sources:
                _, gone = self._sources.popitem(last=False)
                self._total_keys -= len(gone.counts)
        else:
            self._sources.move_to_end(source)
        keys = {line_key(ln) for ln in lines if ln.strip() and len(ln) <= MAX_KEY_CHARS and not is_dateline(ln)}
        keys.discard("")
        stats.articles += 1
        counts = stats.counts
        before = len(counts)
        for k in keys:
            counts[k] = counts.get(k, 0) + 1
        self._total_keys += len(counts) - before
        if len(counts) > self.max_keys_per_source:
            self._prune([stats], self.max_keys_per_source * 3 // 4)
        if self._total_keys > self.max_total_keys:
            self._prune(list(self._sources.values()), self.max_total_keys * 3 // 4)
        stats.cache = None

    def _prune(self, sources: list[_SourceStats], target: int) -> None:
        """Drop the rarest keys (count 1, then 2, ...) of `sources` until they hold at most `target`."""
        floor = 1
        while sum(len(st.counts) for st in sources) > target:
            for st in sources:
                n = len(st.counts)
                st.counts = {k: c for k, c in st.counts.items() if c > floor}
                self._total_keys -= n - len(st.counts)
                st.cache = None
            floor += 1

    def articles(self, source: str) -> int:
        stats = self._sources.get(source)
        return stats.articles if stats else 0

    def repeated(self, source: str) -> frozenset[str]:
        """Keys of the lines that are boilerplate for `source` (empty for an unknown source)."""
        stats = self._sources.get(source)
        if stats is None:
            return frozenset()
        if stats.cache is None:
            n = stats.articles
            need = max(self.min_articles, self.min_share * n)
            need_long = max(MIN_ARTICLES_LONG, MIN_SHARE_LONG * n)
            stats.cache = frozenset(
                k for k, c in stats.counts.items()
                if c >= need and (len(k) <= LONG_KEY_CHARS or c >= need_long)
            )
        return stats.cache

