"""Plain records that move between steps. No spaCy object ever crosses a step or process boundary."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any


@dataclass(slots=True)
class RemovedLine:
    """A line of the raw text that cleaning dropped, and why."""

    line_no: int  # 0-based index in raw.splitlines()
    text: str
    reason: str  # e.g. "rule:follow-call", "repeated-in-source", "outside-article"


@dataclass(slots=True)
class EntityMention:
    """A named-entity mention; offsets are into Article.text (the cleaned text)."""

    text: str
    label: str  # PER | ORG | LOC | MISC
    start: int
    end: int
    canonical: str
    extractor: str = "spacy"
    confidence: float = 0.8


@dataclass(slots=True)
class Quote:
    """Reported speech. `text`/`start`/`end` cover the quoted content without its quote marks."""

    text: str
    start: int
    end: int
    speaker: str | None  # canonical name of the speaker, or None when unknown
    cue: str | None  # reporting verb's infinitive ("déclarer", "say"), or "selon" / "according to"
    direct: bool  # True for verbatim quotes, False for indirect speech
    speaker_text: str | None = None  # the words in the text that name the speaker ("il", "M. Tokaïev")
    speaker_start: int | None = None
    speaker_end: int | None = None
    extractor: str = "vigie-quotes"
    confidence: float = 0.7


@dataclass(slots=True)
class TimeExpr:
    """A time expression resolved to the calendar (value None when it cannot be resolved)."""

    text: str
    start: int
    end: int
    value: str | None  # "2022-01-12", "2022-01", "2022", "2022-W01", "2022-01-03/2022-01-09"
    granularity: str  # day | week | month | year | range | time
    extractor: str = "vigie-dates"
    confidence: float = 0.8


@dataclass(slots=True)
class Quantity:
    """A count of people or things, or an amount of money."""

    text: str
    start: int
    end: int
    value: float | None  # best single value; None when only bounds are known ("des dizaines")
    low: float | None = None
    high: float | None = None
    unit: str | None = None  # singular lemma of the counted noun ("mort", "personne", "euro")
    approx: bool = False
    role: str | None = None  # killed | injured | arrested | participants | troops | money | ...
    extractor: str = "vigie-quantities"
    confidence: float = 0.8


@dataclass(slots=True)
class Measure:
    """A measurement: a number with a unit of measurement ("80 kg", "12 km", "100 km/h"), never a count."""

    text: str
    start: int
    end: int
    value: float | None  # None when only bounds are known ("entre 3 et 5 km")
    low: float | None = None
    high: float | None = None
    unit: str | None = None  # normalised symbol: "kg", "m", "km", "km/h", "°C", "lb"
    extractor: str = "vigie-quantities"


@dataclass(slots=True)
class Place:
    """A toponym resolved to a gazetteer entry (name/country None when nothing fits)."""

    text: str
    start: int
    end: int
    name: str | None  # usual name of the place in the article's language ("Moscou" in French text)
    country: str | None  # ISO 3166-1 alpha-2
    kind: str | None  # country | admin | city | other
    lat: float | None = None
    lon: float | None = None
    geonames_id: int | None = None
    main: bool = False  # the article's main location
    extractor: str = "vigie-places"
    confidence: float = 0.8


@dataclass(slots=True)
class Event:
    """A PLOVER-coded event: who did what to whom, where, when. `start`/`end` span the trigger."""

    type: str  # one of the 16 PLOVER types (AGREE ... ASSAULT)
    mode: str | None
    start: int
    end: int
    trigger: str
    source: str | None = None  # canonical actor name or noun phrase
    source_country: str | None = None  # ISO 3166-1 alpha-3, or "IGO"
    source_sector: str | None = None  # GOV, MIL, COP, JUD, LEG, OPP, PTY, REB, CVL, JRN, BUS, REL, IGO
    target: str | None = None
    target_country: str | None = None
    target_sector: str | None = None
    location: str | None = None  # place name
    location_country: str | None = None  # ISO 3166-1 alpha-2
    date: str | None = None  # same normalisation as TimeExpr.value
    date_inferred: bool = False  # True when the date is the publication date, not a date in the text
    killed: float | None = None
    injured: float | None = None
    arrested: float | None = None
    size: float | None = None
    context: list[str] = field(default_factory=list)  # negated | hypothetical | future | historical
    evidence: str = ""  # the sentence
    evidence_start: int = 0
    evidence_end: int = 0
    mentions: list[list[int]] = field(default_factory=list)  # [start, end] of every trigger merged into this event
    extractor: str = "vigie-events"
    confidence: float = 0.6


@dataclass(slots=True)
class Fingerprint:
    """What deduplication keeps of an article's cleaned text (`vigie.dedup`)."""

    scheme: str  # what made it: normalisation, content lines, shingle size, permutations, seed (DedupConfig.scheme)
    body_hash: str  # sha256 of the normalised body (case, accents, whitespace, punctuation, quotes folded)
    signature: bytes  # MinHash of the content's word shingles: num_perm little-endian uint32
    shingles: int  # distinct shingles in the content


@dataclass(slots=True)
class Duplicate:
    """The article is a copy of a stored (or earlier) article: it is not analysed, its original is."""

    of: str  # id of the original (an article that is no duplicate itself)
    method: str  # "exact": same normalised body; "near": MinHash LSH candidate, verified on the shingles
    similarity: float  # share of the shorter text's shingles found in the other (1.0 for an exact duplicate)


@dataclass(slots=True)
class Article:
    """One news article as it moves through the steps.

    `raw` is exactly what the reader got (decoded text, or the main text trafilatura extracted from HTML);
    `text` is the cleaned body that every offset points into.
    """

    id: str
    raw: str
    origin: str = ""  # where it came from: file path, "path:line" for JSONL, "<stdin>"
    url: str | None = None
    title: str | None = None
    source: str | None = None  # site or publisher
    author: str | None = None
    published: str | None = None  # ISO date YYYY-MM-DD when known
    id_given: bool = False  # True when the input carried its own id
    text: str = ""
    language: str | None = None
    language_score: float | None = None
    removed_lines: list[RemovedLine] = field(default_factory=list)
    entities: list[EntityMention] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    dates: list[TimeExpr] = field(default_factory=list)
    quantities: list[Quantity] = field(default_factory=list)
    measures: list[Measure] = field(default_factory=list)
    places: list[Place] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    meta: dict[str, Any] = field(default_factory=dict)  # reader diagnostics: format, encoding, ...
    input_digest: str | None = None  # hash of what the reader gave (vigie.steps.resume): reruns skip stored ones
    fingerprint: Fingerprint | None = None  # set by the dedup step (vigie.steps.dedup) from the cleaned text
    duplicate: Duplicate | None = None  # set by the dedup step when the article copies another one


@dataclass(slots=True)
class ArticleError:
    """A per-article failure: the run records it and goes on."""

    origin: str
    stage: str  # read | clean | langid | nlp | store
    reason: str
    article_id: str | None = None


@dataclass(slots=True)
class Skipped:
    """An article a run did not analyse again: the store already holds it from the same input."""

    id: str
    origin: str
    reason: str = "already stored"


def published_day(published: str | None) -> int | None:
    """An article's publication day as a date ordinal (`published` is YYYY-MM-DD, longer values cut to the day);
    None when there is none or it does not read as a date. Deduplication and story windows count days with it."""
    if not published:
        return None
    try:
        return date.fromisoformat(published[:10]).toordinal()
    except ValueError:
        return None
