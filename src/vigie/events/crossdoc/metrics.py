"""Coreference scores of a grouping against a gold partition: MUC, B-cubed, CEAF-e and their mean, CoNLL F1.

Definitions of the reference scorer (Pradhan et al., 2014), for key and response over the same items (gold
mentions): MUC (Vilain et al., 1995) counts the links needed to rebuild each cluster from the other side's
pieces; B-cubed (Bagga and Baldwin, 1998) averages, per item, the overlap of its two clusters; CEAF-e (Luo,
2005) aligns the clusters one to one with phi4 = 2|K ∩ R| / (|K| + |R|), the best alignment found by the
Hungarian method on each connected group of overlapping clusters. Singletons count (B-cubed and CEAF-e).

    scores = coref_scores(gold={"a": 1, "b": 1, "c": 2}, pred={"a": "x", "b": "y", "c": "y"})
    scores["conll"]  # F1
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Mapping
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class PRF:
    p: float
    r: float

    @property
    def f1(self) -> float:
        return 2 * self.p * self.r / (self.p + self.r) if self.p + self.r else 0.0


def clusters(labels: Mapping[Hashable, Hashable]) -> list[frozenset]:
    """The partition a labelling gives: item -> label becomes the sets of items of each label."""
    out: dict[Hashable, set] = defaultdict(set)
    for item, label in labels.items():
        out[label].add(item)
    return [frozenset(c) for c in out.values()]


def _check(gold: Mapping, pred: Mapping) -> None:
    if set(gold) != set(pred):
        raise ValueError(f"key and response differ: {len(set(gold) ^ set(pred))} items in one only")


def _muc_side(key: list[frozenset], response_of: Mapping) -> float:
    num = den = 0
    for k in key:
        parts = {response_of.get(item, ("alone", item)) for item in k}
        num += len(k) - len(parts)
        den += len(k) - 1
    return num / den if den else 0.0


def muc(gold: Mapping, pred: Mapping) -> PRF:
    _check(gold, pred)
    return PRF(_muc_side(clusters(pred), gold), _muc_side(clusters(gold), pred))


def b_cubed(gold: Mapping, pred: Mapping) -> PRF:
    _check(gold, pred)
    if not gold:
        return PRF(0.0, 0.0)
    g = {c_item: c for c in clusters(gold) for c_item in c}
    r = {c_item: c for c in clusters(pred) for c_item in c}
    p = sum(len(g[i] & r[i]) / len(r[i]) for i in gold) / len(gold)
    rec = sum(len(g[i] & r[i]) / len(g[i]) for i in gold) / len(gold)
    return PRF(p, rec)


def _max_assignment(weights: list[list[float]]) -> float:
    """The largest sum of weights choosing at most one cell per row and per column (Hungarian method, O(n^3))."""
    n_rows, n_cols = len(weights), len(weights[0]) if weights else 0
    if not n_rows or not n_cols:
        return 0.0
    transpose = n_rows > n_cols
    if transpose:
        weights = [list(col) for col in zip(*weights, strict=True)]
        n_rows, n_cols = n_cols, n_rows
    big = max(max(row) for row in weights)
    cost = [[big - w for w in row] for row in weights]  # minimise cost; rows <= columns
    inf = float("inf")
    u, v = [0.0] * (n_rows + 1), [0.0] * (n_cols + 1)
    match, way = [0] * (n_cols + 1), [0] * (n_cols + 1)  # match[col] = row (1-based), 0 = free
    for row in range(1, n_rows + 1):
        match[0] = row
        col0 = 0
        minv = [inf] * (n_cols + 1)
        used = [False] * (n_cols + 1)
        while True:
            used[col0] = True
            r0, delta, col1 = match[col0], inf, 0
            for col in range(1, n_cols + 1):
                if not used[col]:
                    cur = cost[r0 - 1][col - 1] - u[r0] - v[col]
                    if cur < minv[col]:
                        minv[col], way[col] = cur, col0
                    if minv[col] < delta:
                        delta, col1 = minv[col], col
            for col in range(n_cols + 1):
                if used[col]:
                    u[match[col]] += delta
                    v[col] -= delta
                else:
                    minv[col] -= delta
            col0 = col1
            if match[col0] == 0:
                break
        while col0:
            col1 = way[col0]
            match[col0] = match[col1]
            col0 = col1
    return sum(weights[match[col] - 1][col - 1] for col in range(1, n_cols + 1) if match[col])


def ceaf_e(gold: Mapping, pred: Mapping) -> PRF:
    _check(gold, pred)
    key, response = clusters(gold), clusters(pred)
    if not key or not response:
        return PRF(0.0, 0.0)
    where_k = {item: i for i, c in enumerate(key) for item in c}
    where_r = {item: j for j, c in enumerate(response) for item in c}
    # connected groups of overlapping clusters: the alignment decomposes over them
    links: dict[int, set[int]] = defaultdict(set)
    for item in gold:
        links[where_k[item]].add(where_r[item])
    parent = list(range(len(key)))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    owner: dict[int, int] = {}
    for i, js in links.items():
        for j in js:
            if j in owner:
                parent[find(i)] = find(owner[j])
            else:
                owner[j] = i
    groups: dict[int, tuple[set[int], set[int]]] = defaultdict(lambda: (set(), set()))
    for i, js in links.items():
        ks, rs = groups[find(i)]
        ks.add(i)
        rs.update(js)
    similarity = 0.0
    for ks, rs in groups.values():
        rows, cols = sorted(ks), sorted(rs)
        weights = [[2 * len(key[i] & response[j]) / (len(key[i]) + len(response[j])) for j in cols] for i in rows]
        similarity += _max_assignment(weights)
    return PRF(similarity / len(response), similarity / len(key))


def coref_scores(gold: Mapping, pred: Mapping) -> dict[str, float]:
    """P, R and F1 of MUC, B-cubed and CEAF-e, and CoNLL F1 (their F1s' mean)."""
    out: dict[str, float] = {}
    f1s = []
    for name, metric in (("muc", muc), ("b3", b_cubed), ("ceafe", ceaf_e)):
        prf = metric(gold, pred)
        out[f"{name}_p"], out[f"{name}_r"], out[f"{name}_f1"] = prf.p, prf.r, prf.f1
        f1s.append(prf.f1)
    out["conll"] = sum(f1s) / 3
    return out
