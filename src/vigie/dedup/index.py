"""The deduplication index: which earlier article, if any, an article copies.

Two ways to match, within a time window of publication dates (`DedupConfig.window_days`; an article without a
date is compared with every article):

- exact: the same normalised body (`vigie.dedup.normalize.body_hash`);
- near: a candidate from MinHash LSH over word shingles (datasketch's `MinHashLSH`, bands x rows set by the
  config), verified by `vigie.dedup.verify`: containment of the smaller text's shingles in the other's (so that a
  truncated copy matches its original, and two articles on one subject, which share names and words but few runs
  of words, do not), and the figures and names of the lines they share (so that two articles written from one
  template do not). The most similar verified candidate is the original.

Only originals are indexed (a duplicate points to its original, which stands for it). The index is filled
from a `FingerprintSource` (the store) lazily: the days around each article's date the first time they are
needed, undated articles at once, everything when an undated article is checked. Fingerprints the store lacks
(articles stored before deduplication, or under another scheme) are computed from the stored text and saved
back, so the index is always rebuildable from the store.
"""
from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable, Iterator
from datetime import date
from typing import Any, Protocol

from vigie.dedup.config import DedupConfig
from vigie.dedup.fingerprint import fingerprint_text, minhash_from_bytes
from vigie.dedup.verify import Profile, profile_of_text, similarity
from vigie.records import Duplicate, Fingerprint, published_day

#: Profiles kept in memory for verification (shingles and key words, 2-8 KB each); others are read from the store.
MAX_CACHED_SHINGLES = 20_000
#: Fingerprints computed while loading are saved back in batches of this many.
SAVE_BATCH = 500


class FingerprintSource(Protocol):
    """Where the index finds the articles stored before this run (`vigie.store` implements it)."""

    def iter_fingerprints(
        self, scheme: str, date_from: str | None = None, date_to: str | None = None, undated: bool = False
    ) -> Iterator[dict[str, Any]]:
        """Stored originals (articles that duplicate no other): id, published, body_hash and signature, or
        signature None and the text when the stored fingerprint is missing or of another scheme. With `undated`,
        those without a publication date; with dates, those published in [date_from, date_to]; else all."""
        ...

    def save_fingerprints(self, items: list[tuple[str, Fingerprint]]) -> None: ...

    def article_texts(self, ids: list[str]) -> dict[str, str]: ...


def _iso(day: int) -> str:
    return date.fromordinal(max(1, day)).isoformat()


class DedupIndex:
    """Originals seen so far (stored or earlier in the run), queried with `check` and filled with `add`."""

    def __init__(self, config: DedupConfig | None = None, source: FingerprintSource | None = None):
        self.config = config or DedupConfig()
        self.source = source
        self._lsh_index: Any = None  # datasketch's MinHashLSH, made on first use (importing it takes 0.5 s)
        self._days: dict[str, int | None] = {}
        self._hash_of: dict[str, str] = {}
        self._by_hash: dict[str, list[str]] = {}
        self._profiles: OrderedDict[str, Profile] = OrderedDict()
        self._not_originals: set[str] = set()  # ids found to be duplicates in this run (the store may lag)
        self._loaded_days: set[int] = set()
        self._undated_loaded = False
        self._all_loaded = source is None
        self.loaded = 0  # originals read from the source
        self.computed = 0  # of which fingerprints were computed from the stored text

    @property
    def _lsh(self) -> Any:
        if self._lsh_index is None:
            from datasketch import MinHashLSH

            self._lsh_index = MinHashLSH(num_perm=self.config.num_perm, params=(self.config.bands, self.config.rows))
        return self._lsh_index

    def __len__(self) -> int:
        return len(self._days)

    def __contains__(self, article_id: object) -> bool:
        return article_id in self._days

    # ------------------------------------------------------------------ the one call of the dedup step

    def process(self, article_id: str, text: str, published: str | None) -> tuple[Fingerprint, Duplicate | None]:
        """Fingerprint `text`, match it, and index the article as an original when it copies none."""
        fp, profile = fingerprint_text(text, self.config)
        dup = self.check(article_id, published, fp, profile)
        if dup is None:
            self.add(article_id, published, fp, profile)
        else:
            self.discard(article_id)
        return fp, dup

    # ------------------------------------------------------------------ matching

    def check(self, article_id: str, published: str | None, fp: Fingerprint, profile: Profile) -> Duplicate | None:
        """The original that the article copies, or None. The article itself never matches."""
        day = published_day(published)
        self._ensure_loaded(day)
        exact = [
            cid for cid in self._by_hash.get(fp.body_hash, ()) if cid != article_id and self._in_window(day, cid)
        ]
        if exact:
            nearest = min(exact, key=lambda cid: (self._distance(day, cid), cid))
            return Duplicate(of=nearest, method="exact", similarity=1.0)
        cfg = self.config
        if profile.size < cfg.min_shingles:
            return None
        candidates = [
            cid
            for cid in self._lsh.query(minhash_from_bytes(fp.signature, cfg))
            if cid != article_id and self._in_window(day, cid)
        ]
        if not candidates:
            return None
        # the most similar candidate (containment, then Jaccard); ties go to the smallest id
        best: tuple[float, float, str] | None = None
        for cid, other in self._profiles_of(sorted(candidates)):
            found = similarity(profile, other, cfg)
            if found is not None and (best is None or found > best[:2]):
                best = (found[0], found[1], cid)
        if best is None:
            return None
        return Duplicate(of=best[2], method="near", similarity=round(best[0], 4))

    def _in_window(self, day: int | None, cid: str) -> bool:
        other = self._days.get(cid)
        return day is None or other is None or abs(day - other) <= self.config.window_days

    def _distance(self, day: int | None, cid: str) -> int:
        other = self._days.get(cid)
        return 0 if day is None or other is None else abs(day - other)

    def _profiles_of(self, ids: list[str]) -> Iterator[tuple[str, Profile]]:
        missing = [cid for cid in ids if cid not in self._profiles]
        if missing and self.source is not None:
            for cid, text in self.source.article_texts(missing).items():
                self._cache(cid, profile_of_text(text, self.config))
        for cid in ids:
            found = self._profiles.get(cid)
            if found is not None:
                self._profiles.move_to_end(cid)
                yield cid, found

    def _cache(self, article_id: str, profile: Profile) -> None:
        self._profiles[article_id] = profile
        self._profiles.move_to_end(article_id)
        while len(self._profiles) > MAX_CACHED_SHINGLES:
            self._profiles.popitem(last=False)

    # ------------------------------------------------------------------ filling

    def add(self, article_id: str, published: str | None, fp: Fingerprint, profile: Profile | None = None) -> None:
        """Index an original (replacing what was indexed under its id)."""
        self.discard(article_id)
        self._not_originals.discard(article_id)
        self._insert(article_id, published_day(published), fp.body_hash, fp.signature)
        if profile is not None:
            self._cache(article_id, profile)

    def discard(self, article_id: str) -> None:
        """Forget an article (it turned out to be a duplicate, or is indexed again)."""
        self._not_originals.add(article_id)
        if article_id not in self._days:
            return
        del self._days[article_id]
        old_hash = self._hash_of.pop(article_id)
        same = self._by_hash.get(old_hash, [])
        if article_id in same:
            same.remove(article_id)
            if not same:
                del self._by_hash[old_hash]
        self._lsh.remove(article_id)
        self._profiles.pop(article_id, None)

    def _insert(self, article_id: str, day: int | None, body_hash: str, signature: bytes) -> None:
        self._lsh.insert(article_id, minhash_from_bytes(signature, self.config), check_duplication=False)
        self._days[article_id] = day
        self._hash_of[article_id] = body_hash
        self._by_hash.setdefault(body_hash, []).append(article_id)

    def _ensure_loaded(self, day: int | None) -> None:
        if self._all_loaded or self.source is None:
            return
        if day is None:
            self._load(self.source.iter_fingerprints(self.config.scheme))
            self._all_loaded = True
            return
        if not self._undated_loaded:
            self._load(self.source.iter_fingerprints(self.config.scheme, undated=True))
            self._undated_loaded = True
        w = self.config.window_days
        missing = [d for d in range(day - w, day + w + 1) if d not in self._loaded_days]
        if missing:
            lo, hi = min(missing), max(missing)
            self._load(self.source.iter_fingerprints(self.config.scheme, _iso(lo), _iso(hi)))
            self._loaded_days.update(range(lo, hi + 1))

    def _load(self, rows: Iterable[dict[str, Any]]) -> None:
        to_save: list[tuple[str, Fingerprint]] = []
        for row in rows:
            article_id = row["id"]
            if article_id in self._days or article_id in self._not_originals:
                continue  # indexed in this run already, or known to be a duplicate now
            signature, body = row.get("signature"), row.get("body_hash")
            if signature is None or body is None:
                fp, profile = fingerprint_text(row.get("text") or "", self.config)
                to_save.append((article_id, fp))
                self._cache(article_id, profile)
                signature, body = fp.signature, fp.body_hash
                self.computed += 1
            self._insert(article_id, published_day(row.get("published")), body, bytes(signature))
            self.loaded += 1
            if len(to_save) >= SAVE_BATCH and self.source is not None:
                self.source.save_fingerprints(to_save)
                to_save = []
        if to_save and self.source is not None:
            self.source.save_fingerprints(to_save)
