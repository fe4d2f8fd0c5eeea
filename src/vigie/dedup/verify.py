"""The verification of an LSH candidate: is it really a copy, or only an article on the same subject?

A candidate is a near duplicate when, between the two texts' content (`vigie.dedup.normalize.content_lines`):
- the share of the smaller shingle set found in the other (containment) reaches `min_containment`:
  containment rather than Jaccard, so that a truncated copy matches its original; shingles of several words
  rather than words, so that two articles on one subject, which share names and words, do not;
- the smaller text has at least `min_shingles` shingles (shorter texts match only as exact duplicates);
- the key words agree: each line of the smaller text that the other shares (at least half of its shingles are
  found there) is paired with the other text's line it shares most shingles with, and their figures and names
  (`vigie.dedup.normalize.key_words`) are compared: all of them when the two lines are whole (of similar length),
  those of the shorter line when one is cut (a truncated copy). At least `min_key_share` of them must be in both.
  Articles written from one template (stage results, a death toll updated the next day, the junior and the
  senior final) share their sentences but not their numbers and names; a copy keeps them. Lines the other text
  does not share (a byline, a "published on" line, a site's own chrome) are not asked for theirs.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from vigie.dedup.config import DedupConfig
from vigie.dedup.normalize import Line, content_lines, lines_of
from vigie.dedup.shingles import overlap, shingle_hashes

#: A line counts as shared by the other text when this share of its shingles is found there.
SHARED_LINE = 0.5
#: Two paired lines are both whole when the shorter has at least this share of the longer's shingles.
WHOLE_LINE = 0.9


@dataclass(frozen=True, slots=True)
class Profile:
    """What verification compares: the content's shingle hashes (sorted, unique), and each content line's own
    shingles and key words."""

    shingles: np.ndarray
    lines: tuple[tuple[np.ndarray, frozenset[str]], ...]

    @property
    def size(self) -> int:
        return int(self.shingles.size)


def profile_of(lines: list[Line], config: DedupConfig) -> Profile:
    """The profile of a text given as its lines (`vigie.dedup.normalize.lines_of`)."""
    content = content_lines(lines, config.min_line_words, config.min_content_words)
    size = config.shingle_size
    own = tuple((shingle_hashes(line, size), keys) for line, keys in content)
    return Profile(shingle_hashes([w for line, _ in content for w in line], size), own)


def profile_of_text(text: str, config: DedupConfig) -> Profile:
    return profile_of(lines_of(text), config)


def shared_key_words(small: Profile, large: Profile) -> tuple[int, int]:
    """(found, asked): the key words of the paired lines, and how many of them both lines have."""
    found = asked = 0
    for line_shingles, keys in small.lines:
        if not line_shingles.size or np.isin(line_shingles, large.shingles, assume_unique=True).mean() < SHARED_LINE:
            continue
        common, other_shingles, other_keys = max(
            (
                (int(np.intersect1d(line_shingles, other, assume_unique=True).size), other, other_keys)
                for other, other_keys in large.lines
            ),
            key=lambda x: x[0],
            default=(0, line_shingles, frozenset()),
        )
        if not keys and not other_keys:
            continue
        shorter, longer = sorted((line_shingles.size, other_shingles.size))
        if shorter >= WHOLE_LINE * longer:  # two whole lines: the same figures and names
            found += len(keys & other_keys)
            asked += len(keys | other_keys)
        else:  # one is cut: the shorter line's figures and names
            cut = keys if line_shingles.size <= other_shingles.size else other_keys
            found += len(cut & keys & other_keys)
            asked += len(cut)
    return found, asked


def similarity(a: Profile, b: Profile, config: DedupConfig) -> tuple[float, float] | None:
    """(containment, Jaccard) when `a` and `b` are near duplicates, else None."""
    small, large = (a, b) if a.size <= b.size else (b, a)
    if small.size < config.min_shingles:
        return None
    jaccard, containment = overlap(a.shingles, b.shingles)
    if containment < config.min_containment:
        return None
    found, asked = shared_key_words(small, large)
    if asked and found < config.min_key_share * asked:
        return None
    return containment, jaccard
