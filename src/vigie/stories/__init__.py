"""Story clustering: articles about the same real-world story, in any language, grouped incrementally within a
sliding window of days (issue 14).

    from vigie.stories import StoryClusterer, from_article, summarize
    clusterer = StoryClusterer()                       # the shipped model (resources/story_model.json)
    changed = clusterer.add([from_article(a) for a in analysed])   # {article id: story id}
    for story_id, members in clusterer.members().items():
        print(summarize(story_id, members))

Modules: `article` (what is read of an analysed article), `text` (tokens, stems), `embed` (the multilingual
sentence embedding of the title, else the lead), `features` (an article's vectors), `link` (article-vs-story
features and probability), `model` (the learned settings and weights), `cluster` (the incremental clusterer),
`summary` (a story's title, span, places, actors). Reads analysis records only: no spaCy Doc crosses into this
package.
"""
from __future__ import annotations

from vigie.stories.article import StoryArticle, from_article, from_record
from vigie.stories.cluster import StoryClusterer
from vigie.stories.features import ArticleFeatures, featurize
from vigie.stories.model import StoryModel, shipped_model
from vigie.stories.summary import StorySummary, summarize

__all__ = [
    "ArticleFeatures", "StoryArticle", "StoryClusterer", "StoryModel", "StorySummary", "featurize", "from_article",
    "from_record", "shipped_model", "summarize",
]
