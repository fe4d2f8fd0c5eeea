"""One search over articles, quotes, entities and events (`Store.search_all`), shared by both backends.

**Query language.** Words are ANDed; ``"a phrase"`` matches its words in a row; ``a OR b`` (or ``a | b``) matches
either; ``NOT a`` or ``-a`` excludes; ``word*`` (or ``"a phr"*``) matches a prefix. ``AND`` is accepted and
ignored; parentheses and any other operator are plain text. At least one term that is not excluded is needed.
Nothing a user types is ever syntax of the backend: every word is reduced to letters and digits and quoted.

**Stemming.** Words are matched by stem, case and accents ignored (folded first, then stemmed): "manifestation"
finds "manifestations", "protest" finds "protests". A document is indexed with the stemmer of its article's
language (English for ``en``, French for everything else); a query word is looked up under its French and its
English stem. SQLite indexes the stems made here (Snowball's stemmers, `snowballstemmer`) in the FTS5 table
``search_fts``; PostgreSQL indexes ``to_tsvector('english' | 'vigie_french', ...)`` in ``search_docs`` (the same
Snowball algorithms, French stop words dropped).

**Documents.** One per article (title, text), quote (speaker, text), entity of an article (its canonical name, once
per article) and event (type, mode, trigger, actors, location; evidence). The head (title, speaker, name, type and
actors) weighs twice the body in the ranking. Entity hits are grouped by canonical name (one hit per entity, with
its number of matching articles). The index of an article is rewritten with it (`index_article_sql`).
"""

from __future__ import annotations

import functools
import re
import threading
from dataclasses import dataclass, field
from typing import Any

import snowballstemmer

from vigie.store.common import fold, sanitize
from vigie.store.search import CLOSE, ELLIPSIS, OPEN, _window, plain_snippet

#: Kinds of hits, and their codes in the index (the SQLite rowid packs them: see `doc_key`).
KINDS = ("article", "quote", "entity", "event")
KIND_CODE = {k: i for i, k in enumerate(KINDS)}
#: SQLite's index rowid: article seq << 22 | kind << 20 | idx (annotations past the 1,048,576th are not indexed).
IDX_BITS, KIND_BITS = 20, 2
ARTICLE_SPAN = 1 << (IDX_BITS + KIND_BITS)
MAX_IDX = (1 << IDX_BITS) - 1

_MAX_TERMS = 64
#: Characters of a query that are read (the rest is ignored).
_MAX_QUERY_CHARS = 4000
#: Longest word stemmed (longer ones are indexed as they are).
_MAX_STEM_WORD = 60
#: Characters of a text scanned for the first match of a snippet (the rest gives a plain snippet).
_SCAN_CHARS = 200_000
#: Words: letters and digits (as FTS5's unicode61 tokenizer and PostgreSQL's parser cut them).
WORD = re.compile(r"[^\W_]+")
_TOKEN = re.compile(r'(-?)"([^"]*)"(\*?)|(\S+)')
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")

STEM_LANGUAGES = ("french", "english")


def stem_language(language: str | None) -> str:
    """The stemmer a document of this language is indexed with: English for ``en``, French otherwise."""
    return "english" if (language or "").lower().startswith("en") else "french"


_stemmers = threading.local()  # a Snowball stemmer object is not safe to share between threads


def _stemmer(language: str) -> Any:
    found = getattr(_stemmers, language, None)
    if found is None:
        found = snowballstemmer.stemmer(language)
        setattr(_stemmers, language, found)
    return found


@functools.lru_cache(maxsize=200_000)
def stem(word: str, language: str) -> str:
    """The stem of one folded word (lower case, no accents) in "french" or "english"."""
    if len(word) > _MAX_STEM_WORD or word.isdigit():
        return word
    return str(_stemmer(language).stemWord(word))


def words(text: str | None) -> list[str]:
    """The folded words of a text."""
    return WORD.findall(fold(text) or "")


def stems_text(text: str | None, language: str | None) -> str:
    """What SQLite's index holds for a text: its words' stems, space-separated (the ``vigie_stems`` function)."""
    lang = stem_language(language)
    return " ".join(stem(w, lang) for w in words(text))


# ---------------------------------------------------------------- the query


@dataclass(frozen=True, slots=True)
class Term:
    """Folded words in a row (one for a single word); `prefix`: the last one is a prefix."""

    words: tuple[str, ...]
    prefix: bool = False

    def alternatives(self) -> list[tuple[str, ...]]:
        """The stem sequences it matches: one per stemmer (fewer when they agree); a prefix stays unstemmed."""
        found: list[tuple[str, ...]] = []
        for lang in STEM_LANGUAGES:
            seq = tuple(stem(w, lang) for w in self.words[:-1]) + (
                self.words[-1] if self.prefix else stem(self.words[-1], lang),
            )
            if seq not in found:
                found.append(seq)
        return found


@dataclass(slots=True)
class Clause:
    """Terms of which one must match (OR); a negated clause must not match."""

    terms: list[Term] = field(default_factory=list)
    negated: bool = False


def parse_query(query: str | None) -> list[Clause]:
    """What a user typed, as clauses that all must hold (see the module's docstring). Never raises."""
    text = _CONTROL.sub(" ", sanitize((query or "")[:_MAX_QUERY_CHARS]))
    clauses: list[Clause] = []
    join_next = negate_next = False
    n_terms = 0
    for neg, phrase, star, token in _TOKEN.findall(text):
        if token in ("OR", "|"):
            join_next = bool(clauses) and not negate_next
            continue
        if token in ("AND", "&&", "&"):
            continue
        if token == "NOT":
            negate_next, join_next = True, False
            continue
        negated = negate_next or bool(neg)
        if token:
            if token.startswith("-") and len(token) > 1:
                negated, token = True, token[1:]
            prefix = token.endswith("*")
            found = words(token.rstrip("*"))
        else:
            prefix = bool(star)
            found = words(phrase)
        if not found:
            negate_next = False
            continue
        term = Term(tuple(found), prefix)
        if join_next and not negated:
            clauses[-1].terms.append(term)
        else:
            clauses.append(Clause([term], negated))
        join_next = negate_next = False
        n_terms += 1
        if n_terms >= _MAX_TERMS:
            break
    return clauses if any(not c.negated for c in clauses) else []


def fts5_match(clauses: list[Clause]) -> str | None:
    """The FTS5 MATCH expression of SQLite's ``search_fts`` (stems), or None when nothing is searchable.
    Every operand is a double-quoted string of letters and digits: never FTS5 syntax."""

    def term(t: Term) -> str:
        alts = ['"' + " ".join(seq) + '"' + (" *" if t.prefix else "") for seq in t.alternatives()]
        return alts[0] if len(alts) == 1 else "(" + " OR ".join(alts) + ")"

    def clause(c: Clause) -> str:
        return "(" + " OR ".join(term(t) for t in c.terms) + ")"

    positive = [clause(c) for c in clauses if not c.negated]
    if not positive:
        return None
    expr = "(" + " AND ".join(positive) + ")"
    for c in clauses:
        if c.negated:
            expr += " NOT " + clause(c)
    return expr


# ---------------------------------------------------------------- the index

#: The documents of the index: (kind, FROM clause naming the article `a`, idx, head, body). Shared by both
#: backends; `index_article_sql` wraps them in each backend's INSERT.
_DOCS = (
    ("article", "articles a", "0", "a.title", "a.text"),
    ("quote", "quotes x JOIN articles a ON a.id = x.article_id", "x.idx", "x.speaker", "x.text"),
    (
        "entity",
        "(SELECT article_id, canonical, MIN(idx) AS idx FROM entities GROUP BY article_id, canonical) x "
        "JOIN articles a ON a.id = x.article_id",
        "x.idx",
        "x.canonical",
        "''",
    ),
    (
        "event",
        "events x JOIN articles a ON a.id = x.article_id",
        "x.idx",
        "x.type || ' ' || COALESCE(x.mode, '') || ' ' || x.trigger || ' ' || COALESCE(x.source, '') || ' ' || "
        "COALESCE(x.target, '') || ' ' || COALESCE(x.location, '')",
        "x.evidence",
    ),
)


def index_sql(insert: str, one_article: bool) -> list[str]:
    """The statements filling the index, for one article (one ``?``: its id) or for all (a migration).

    `insert` is the backend's INSERT with placeholders {kind}, {idx}, {head}, {body} (SQL expressions over the
    article ``a`` and its annotation ``x``)."""
    statements = []
    for kind, source, idx, head, body in _DOCS:
        where = f"WHERE {idx} <= {MAX_IDX}" + (" AND a.id = ?" if one_article else "")
        statements.append(
            insert.format(kind=KIND_CODE[kind], idx=idx, head=f"COALESCE({head}, '')", body=f"COALESCE({body}, '')")
            + f" FROM {source} {where}"
        )
    return statements


# ---------------------------------------------------------------- reading


@dataclass(slots=True)
class SearchFilter:
    """What `Store.search_all` may be limited to (None: not applied)."""

    kinds: tuple[str, ...] | None = None  # among KINDS
    date_from: str | None = None  # the article's published day, inclusive
    date_to: str | None = None
    language: str | None = None
    source: str | None = None
    type: str | None = None  # PLOVER type: event hits of this type only

    def where(self) -> tuple[str, list[Any]]:
        """SQL conditions on the match ``m`` (kind, idx), its article ``a`` and event ``v``."""
        conds, params = [], []
        kinds = [k for k in (self.kinds or KINDS) if k in KIND_CODE]
        if self.type:
            kinds = ["event"]
            conds.append("v.type = ?")
            params.append(self.type)
        codes = sorted({KIND_CODE[k] for k in kinds})
        if len(codes) < len(KINDS):
            conds.append(f"m.kind IN ({', '.join(str(c) for c in codes) or '-1'})")
        if self.date_from:
            conds.append("substr(a.published, 1, 10) >= ?")
            params.append(self.date_from)
        if self.date_to:
            conds.append("substr(a.published, 1, 10) <= ?")
            params.append(self.date_to)
        if self.language:
            conds.append("a.language = ?")
            params.append(self.language)
        if self.source:
            conds.append("a.source = ?")
            params.append(self.source)
        return (" AND ".join(conds) or "1 = 1"), params


def filtered_sql(matches: str, join: str, where: str) -> str:
    """``WITH m`` (the backend's matches: aid, kind, idx, score), ``f`` (filtered, with their articles) and ``g``
    (``rn`` = 1 on the one row kept per hit: an entity's best article). `join` ties ``a`` to ``m.aid``."""
    return (
        f"WITH m AS ({matches}), "
        "f AS (SELECT m.kind, m.idx, m.score, a.id, a.title, a.published, a.language, a.source, e.canonical, e.label, "
        "CASE WHEN m.kind = 2 THEN 'e:' || e.canonical ELSE a.id || ':' || m.kind || ':' || m.idx END AS grp "
        f"FROM m JOIN articles a ON {join} "
        "LEFT JOIN entities e ON m.kind = 2 AND e.article_id = a.id AND e.idx = m.idx "
        "LEFT JOIN events v ON m.kind = 3 AND v.article_id = a.id AND v.idx = m.idx "
        f"WHERE {where}), "
        "g AS (SELECT f.*, ROW_NUMBER() OVER (PARTITION BY grp ORDER BY score, COALESCE(published, '') DESC, id) AS rn, "
        "COUNT(*) OVER (PARTITION BY grp) AS n_articles FROM f) "
    )


COUNT_SQL = "SELECT kind, COUNT(DISTINCT grp) AS n FROM f GROUP BY kind"
PAGE_SQL = (
    "SELECT g.kind, g.idx, g.score, g.id, g.title, g.published, g.language, g.source, g.canonical, g.label, "
    "g.n_articles, q.text AS quote_text, q.speaker, v.type, v.mode, v.trigger, v.evidence, v.date AS event_date "
    "FROM g LEFT JOIN quotes q ON g.kind = 1 AND q.article_id = g.id AND q.idx = g.idx "
    "LEFT JOIN events v ON g.kind = 3 AND v.article_id = g.id AND v.idx = g.idx "
    "WHERE g.rn = 1 ORDER BY g.score, g.kind, g.id, g.idx LIMIT ? OFFSET ?"
)


def empty_result(limit: int, offset: int) -> dict[str, Any]:
    return {"total": 0, "by_kind": dict.fromkeys(KINDS, 0), "items": [], "limit": limit, "offset": offset}


def shape_result(
    counts: list[dict[str, Any]], rows: list[dict[str, Any]], texts: dict[str, str], clauses: list[Clause],
    expired: Any, limit: int, offset: int,
) -> dict[str, Any]:
    """The answer of `search_all` from the count and page rows; `texts`: the article texts of article hits;
    `expired()`: past the time budget (the remaining snippets are plain)."""
    by_kind = dict.fromkeys(KINDS, 0)
    for c in counts:
        by_kind[KINDS[int(c["kind"])]] = int(c["n"])
    hl = Highlighter(clauses)
    items = []
    for r in rows:
        kind = KINDS[int(r["kind"])]
        late = expired()
        hit: dict[str, Any] = {
            "kind": kind,
            "id": r["id"],
            "title": r["title"],
            "published": r["published"],
            "language": r["language"],
            "source": r["source"],
            "score": float(r["score"]),
            "idx": None if kind == "article" else int(r["idx"]),
        }
        lang = r["language"]
        if kind == "article":
            text = texts.get(r["id"], "")
            hit["snippet"] = plain_snippet(text) if late else hl.snippet(text, r["title"], lang)
        elif kind == "quote":
            hit["speaker"] = r["speaker"]
            hit["snippet"] = plain_snippet(r["quote_text"]) if late else hl.snippet(r["quote_text"], r["speaker"], lang)
        elif kind == "entity":
            hit["canonical"] = r["canonical"]
            hit["label"] = r["label"]
            hit["n_articles"] = int(r["n_articles"])
            hit["snippet"] = hl.snippet(r["canonical"], None, lang)
        else:
            head = " ".join(x for x in (r["type"], r["mode"], r["trigger"]) if x)
            hit.update(type=r["type"], mode=r["mode"], trigger=r["trigger"], date=r["event_date"])
            hit["snippet"] = plain_snippet(r["evidence"]) if late else hl.snippet(r["evidence"], head, lang)
        items.append(hit)
    return {"total": sum(by_kind.values()), "by_kind": by_kind, "items": items, "limit": limit, "offset": offset}


class Highlighter:
    """Marks in a text the words the query's terms match, as the index matches them (by stem)."""

    def __init__(self, clauses: list[Clause]):
        self.terms = [t for c in clauses if not c.negated for t in c.terms]

    def spans(self, text: str, language: str | None, limit: int | None = None) -> list[tuple[int, int]]:
        """The matches in the text's first _SCAN_CHARS characters (at most `limit` of them)."""
        lang = stem_language(language)
        tokens = [(m.start(), m.end(), m.group(0)) for m in WORD.finditer(text, 0, min(len(text), _SCAN_CHARS))]
        folded = [fold(w) or "" for _, _, w in tokens]
        stems = [stem(w, lang) for w in folded]
        found: list[tuple[int, int]] = []
        alternatives = [(t, t.alternatives()) for t in self.terms]
        for i in range(len(tokens)):
            for t, alts in alternatives:
                n = len(t.words)
                if i + n > len(tokens):
                    continue
                if any(self._at(stems, folded, i, seq, t.prefix) for seq in alts):
                    found.append((tokens[i][0], tokens[i + n - 1][1]))
                    break
            if limit is not None and len(found) >= limit:
                break
        return found

    def first(self, text: str, language: str | None) -> tuple[int, int] | None:
        """The first match: looked for in a growing start of the text (most matches are near its start)."""
        size = 2000
        while True:
            found = self.spans(text[:size], language, limit=1)
            if found or size >= min(len(text), _SCAN_CHARS):
                return found[0] if found else None
            size *= 4

    @staticmethod
    def _at(stems: list[str], folded: list[str], i: int, seq: tuple[str, ...], prefix: bool) -> bool:
        last = len(seq) - 1
        for j, s in enumerate(seq):
            if prefix and j == last:
                if not (stems[i + j].startswith(s) or folded[i + j].startswith(s)):
                    return False
            elif stems[i + j] != s:
                return False
        return True

    def mark(self, text: str, spans: list[tuple[int, int]]) -> str:
        out, at = [], 0
        for start, end in spans:
            if start < at:
                continue
            out.append(text[at:start] + OPEN + text[start:end] + CLOSE)
            at = end
        return "".join(out) + text[at:]

    def snippet(self, text: str | None, head: str | None, language: str | None) -> str:
        """About a dozen words around the first match in `text`, matches in [brackets]; the marked `head` when
        only the head matches; else the start of the text."""
        text = text or ""
        first = self.first(text, language)
        if first is None:
            if head and (head_spans := self.spans(head[:300], language)):
                return " ".join(self.mark(head[:300], head_spans).split())
            return plain_snippet(text)
        start, end = _window(text, first[0], first[1])
        shown = " ".join(self.mark(text[start:end], self.spans(text[start:end], language)).split())
        return (ELLIPSIS if start > 0 else "") + shown + (ELLIPSIS if end < len(text) else "")
