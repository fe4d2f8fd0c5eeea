"""Bulk steps: generators over a stream of Article | ArticleError, chained by vigie.pipeline."""
