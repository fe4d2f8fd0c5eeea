"""Events: spaCy component `vigie_events` (PLOVER coding with actors, place, date and counts).

Two stages, like dates, because the component does not know the publication date:
- `annotate_events(doc)` codes every event *mention* (French: lexicon triggers on the parse, arguments from
  dependencies, actors, contexts, the attached date expression, place and counts — `vigie.events.coder_fr`;
  English on a blank pipeline: word-form triggers and nearby noun phrases — `vigie.events.coder_en`) and
  stores them in `doc._.events` as plain dicts (one per mention, with `date_start`/`date_end` pointing at
  the date expression of `doc._.dates` attached to it);
- `events_from_doc(doc, text, published, dates)` takes the article's resolved dates, adds the date-based contexts (historical,
  future), merges the mentions of one real event (`vigie.events.merge`) and returns `Event` records.
It runs after `vigie_places`, `vigie_quotes`, `vigie_dates` and `vigie_quantities`, whose results it reads.
"""
from __future__ import annotations

from datetime import date, timedelta

from spacy.language import Language
from spacy.tokens import Doc

from vigie.nlp.extensions import GuardedComponent
from vigie.nlp.model_text import model_text, original_forms
from vigie.records import Event, TimeExpr

EXTRACTOR = "vigie-events"
# Events below this confidence are not reported. Set by reading the dev gold's mentions (shared/eval/dev), not
# by a sweep: trigger weights plus argument bonuses put real single-mention events at 0.65 and above, while
# ambiguous words with no argument ("rassemblement", "tirs" alone, a bare "menace") and background plurals
# ("la recrudescence des attentats") fall near or below it.
MIN_CONFIDENCE = 0.6
# An event dated this long before publication is background ("historical" context).
HISTORICAL_DAYS = 365


def annotate_events(doc: Doc, second_opinion: bool = False) -> None:
    """Code the event mentions of `doc` and store them as plain dicts in `doc._.events`. With `second_opinion`,
    the learned sentence classifier decides the uncertain mentions (`vigie.events.second_opinion`)."""
    if doc.lang_ == "fr" and doc.has_annotation("DEP"):
        from vigie.events.coder_fr import code_french

        records = code_french(doc, weak=second_opinion)
    else:
        from vigie.events.coder_en import code_english

        records = code_english(doc)
    if second_opinion:
        from vigie.events.second_opinion import reconsider

        records = reconsider(doc, records)
    doc._.events = records


@Language.factory(
    "vigie_events",
    default_config={"second_opinion": False},
    requires=["token.is_sent_start", "doc._.places", "doc._.quotes", "doc._.dates", "doc._.quantities"],
    assigns=["doc._.events"],
)
def make_events(nlp: Language, name: str, second_opinion: bool) -> GuardedComponent:
    return GuardedComponent(name, lambda doc: annotate_events(doc, second_opinion))


def _parse_day(value: str | None) -> date | None:
    """The first day a normalised value covers ("2016-03" -> 2016-03-01; "2022-W01" -> its Monday)."""
    if not value:
        return None
    v = value.split("/")[0]
    try:
        if "-W" in v:
            y, w = v.split("-W")
            return date.fromisocalendar(int(y), int(w[:2]), 1)
        parts = [int(p) for p in v.split("-")]
        return date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
    except (ValueError, IndexError):
        return None


def _last_day(value: str) -> date | None:
    v = value.split("/")[-1]
    first = _parse_day(v)
    if first is None:
        return None
    if "-W" in v:
        return first + timedelta(days=6)
    n = len(v.split("-"))
    if n == 1:
        return date(first.year, 12, 31)
    if n == 2:
        nxt = date(first.year + (first.month == 12), first.month % 12 + 1, 1)
        return nxt - timedelta(days=1)
    return first


def resolve_dates(published: str | None, records: list[dict], dates: list[TimeExpr]) -> None:
    """Give each record the value of its date expression (among the article's resolved `dates`), else the
    publication date (`date_inferred`)."""
    values: dict[tuple[int | None, int | None], str | None] = {(d.start, d.end): d.value for d in dates}
    pub = _parse_day(published)
    for r in records:
        value = values.get((r.get("date_start"), r.get("date_end"))) if r.get("date_start") is not None else None
        if value and pub and r.get("past"):
            value = _not_after(value, pub)  # a past event is not dated after the article
        r["date"], r["date_inferred"] = (value, False) if value else (published, True)
        ctx = set(r.get("context") or [])
        if value and pub:
            last, first = _last_day(value), _parse_day(value)
            if last is not None and (pub - last).days >= HISTORICAL_DAYS:
                ctx.add("historical")
            elif first is not None and first > pub:
                ctx.add("future")
        r["context"] = sorted(ctx)


def _not_after(value: str, pub: date) -> str | None:
    """A past event's date that the resolver put after publication: a day less than a week ahead is the weekday
    of the week before ("mardi" read forward); anything else is dropped (the fallback dates the event)."""
    first = _parse_day(value)
    if first is None or first <= pub:
        return value
    if "/" not in value and "-W" not in value and len(value.split("-")) == 3 and (first - pub).days < 7:
        return (first - timedelta(days=7)).isoformat()
    return None


# The story's day: a dated event at most this many days before publication. An undated past event after it in
# the article is part of the same story ("Le vendredi 2 mars, deux attaques ... Les forces de sécurité ont riposté,
# abattant les 8 assaillants") and takes its day rather than the publication date.
STORY_DAYS = 7


def _story_dates(records: list[dict], published: str | None) -> None:
    pub = _parse_day(published)
    if pub is None:
        return
    ordered = sorted(records, key=lambda r: r["mentions"][0][0] if r.get("mentions") else r["start"])
    days: list[str | None] = []
    for r in ordered:
        value = str(r.get("date") or "")
        day = _parse_day(value) if value and not r.get("date_inferred") else None
        recent = day is not None and "/" not in value and len(value) == 10 and 0 <= (pub - day).days <= STORY_DAYS
        days.append(value if recent else None)
    for i, r in enumerate(ordered):
        if not (r.get("date_inferred") and r.get("past") and "future" not in (r.get("context") or [])):
            continue
        # the story's day told before the event, else (a headline, a lead) the first one told after it
        before = next((d for d in reversed(days[:i]) if d), None)
        story = before or next((d for d in days[i + 1 :] if d), None)
        if story:
            r["date"], r["date_inferred"] = story, False


def _dateline_anchor(records: list[dict], doc: Doc, published: str | None) -> None:
    """Events still dated by the publication day take the article's dateline ("3 mars 2018 . –") when it
    differs from `published`: the day the article was written."""
    if not any(r.get("date_inferred") for r in records):
        return
    from vigie.dates.component import dateline_date

    try:
        line = dateline_date(doc)
    except Exception:  # noqa: BLE001 - a dateline is a bonus; the publication date stays
        return
    if not line or line == published or (published and line > published):
        return
    for r in records:
        if r.get("date_inferred"):
            r["date"], r["date_inferred"] = line, False


def events_from_doc(
    doc: Doc, text: str, published: str | None, dates: list[TimeExpr] | None = None
) -> list[Event]:
    """Model records from `doc._.events`; offsets into `text`. `dates` are the article's resolved dates
    (`vigie.dates.component.dates_from_doc`); they are resolved here against `published` when not given."""
    from vigie.events.merge import merge_mentions

    records = [dict(r) for r in (doc._.events or []) if isinstance(r, dict)]
    if not records:
        return []
    if dates is None and any(r.get("date_start") is not None for r in records):
        from vigie.dates.component import dates_from_doc

        dates = dates_from_doc(doc, text, published)
    resolve_dates(published, records, dates or [])
    # what the model saw (cheaper than doc.text, which spaCy rebuilds from the tokens)
    original_form = original_forms(model_text(text), text)
    merged = merge_mentions(records)
    _dateline_anchor(merged, doc, published)
    _story_dates(merged, published)
    out = []
    for r in merged:
        if r["confidence"] < MIN_CONFIDENCE:
            continue
        out.append(
            Event(
                type=r["type"],
                mode=r.get("mode"),
                start=r["start"],
                end=r["end"],
                trigger=text[r["start"] : r["end"]],
                source=original_form(r.get("source")),
                source_country=r.get("source_country"),
                source_sector=r.get("source_sector"),
                target=original_form(r.get("target")),
                target_country=r.get("target_country"),
                target_sector=r.get("target_sector"),
                location=original_form(r.get("location")),
                location_country=r.get("location_country"),
                date=r.get("date"),
                date_inferred=bool(r.get("date_inferred")),
                killed=r.get("killed"),
                injured=r.get("injured"),
                arrested=r.get("arrested"),
                size=r.get("size"),
                context=list(r.get("context") or []),
                evidence=text[r["evidence_start"] : r["evidence_end"]].strip(),
                evidence_start=r["evidence_start"],
                evidence_end=r["evidence_end"],
                mentions=r.get("mentions") or [[r["start"], r["end"]]],
                extractor=EXTRACTOR,
                confidence=r["confidence"],
            )
        )
    return out

