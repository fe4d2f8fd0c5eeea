"""Cleaning of crawled plain text: remove site boilerplate lines, keep every line of the article.

Three layers, all line-based (a line is never rewritten, only kept or dropped):

1. Text repair: Unicode NFC, ftfy for mojibake (configured so that it never touches typographic
   apostrophes, guillemets or non-breaking spaces), CRLF -> LF, trailing spaces stripped; on output,
   runs of blank lines collapse to one and outer blank lines go.
2. Rules (``resources/boilerplate_rules.txt``): French and English site chrome — follow / subscribe /
   donate calls, URL- or handle-only lines, "Lire aussi" / "Read more", cookie and copyright notices,
   share buttons, ads, navigation, comment forms, paywall notices, debris of a lost emoji ("? t.me/...").
   Teaser links to other articles, a capitals label and a headline ("VIDÉO. ...", "READ MORE: ...", labels in
   ``resources/clean_words_all.tsv``), are removed ("teaser") after the article's first paragraph only.
   Lines whose normalised form (`line_key`) repeats across many articles of the same source in a batch
   (`RepeatedLineLearner`, the method web-corpus builders use) are removed as well; when the source is
   only guessed (local files grouped by folder, standard input), prose-like lines are learned only in a
   page's head / tail chrome block (`_template_lines`), so unrelated files never lose a shared sentence.
3. Article region, for full-page dumps (menus, share links, footers, related lists, one block per line):
   a jusText-like per-line classification (length, French+English stop-word density, sentence
   punctuation, URL/handle share, capitalised-menu shape) scores every line that no rule set aside; the
   article is the region from its first to its last *good* line (the best-scoring run of them), widened
   over adjacent sentence-like lines and a few header lines (headline, dateline, byline) just before
   it. Lines inside are kept unless a rule or the learner flags them; lines outside are removed
   (``outside-article``). A text with no clearly good line keeps every line that no rule flags.

Two refinements over the plain "first to last good line" region, both measured on the benchmarks:
the region is the best-scoring run (so related-article teasers and comment threads far from the body
stay out) but lines between two good lines with no chrome evidence between them never split it (a
results table inside an article), and comment-section lines cut the page (the article comes first).

Modules: `rules` (stop words and the rule file), `learner` (line keys, `RepeatedLineLearner`), `classify`
(line classes, the article region, `clean_text`); the text repair is `vigie.ingest.repair` (the readers share it).
The pipeline step is `vigie.steps.clean.clean_step`. Every threshold is a named constant in the module that uses
it, with how it was calibrated (see the block comments there).
"""
from __future__ import annotations

from vigie.clean.classify import CleanResult, clean_text
from vigie.clean.learner import RepeatedLineLearner, line_key
from vigie.clean.rules import rule_reason
from vigie.ingest.repair import FTFY_CONFIG, fix_lines

__all__ = ["FTFY_CONFIG", "CleanResult", "RepeatedLineLearner", "clean_text", "fix_lines", "line_key", "rule_reason"]
