"""Dates: spaCy component `vigie_dates` (French with fr_core_news_md, English on a blank pipeline).

Two stages, because the component does not know the publication date:
- `annotate_dates(doc)` finds the expressions (rules in `dates_fr` / `dates_en`), adds what only the Doc
  knows (tense of the governing verb, the direct quote holding the expression, the date of that quote's
  reporting clause) and stores unresolved descriptions in `doc._.dates` (plain dicts, see `dates_resolve`);
- `dates_from_doc(doc, text, published)` resolves them against the publication date (or, when there is
  none, the article's dateline) into `TimeExpr` records.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from datetime import date

from spacy.language import Language
from spacy.tokens import Doc

from vigie.dates import en as dates_en
from vigie.dates import fr as dates_fr
from vigie.dates.context import Holding, clause_tense, preposition_tense, quote_finder, quote_spans
from vigie.dates.patterns import Grammar, scan
from vigie.dates.resolve import DAY, resolve
from vigie.nlp.extensions import GuardedComponent, french_parse
from vigie.records import TimeExpr

EXTRACTOR = "vigie-dates"

# A dateline is a full date on one of the first lines of the article ("24 mars 2016 . –",
# "PARIS, 1er janvier 2016, 14h30 – ..."), after the title at most.
DATELINE_MAX_LINES = 3
DATELINE_MAX_CHARS = 400
_DATELINE_BEFORE = re.compile(
    r"[^\S\n]*(?:(?:publié|mis[^\S\n]+à[^\S\n]+jour|published|updated)[^\S\n]+(?:le[^\S\n]+|on[^\S\n]+)?"
    r"|(?-i:[A-ZÀ-Ý])[\w'’. -]{0,40}?(?:[^\S\n]*\([A-Z]{2,5}\))?[^\S\n]*[,:–—-][^\S\n]*)?",  # "PARIS (AFP) -"
    re.I,
)
_DATELINE_AFTER = re.compile(
    r"[^\S\n]*(?:(?:,|à|at)?[^\S\n]*\d{1,2}[^\S\n]*[h:][^\S\n]*\d{0,2})?"  # ", 14h30"
    r"[^\S\n]*(?:\([A-Z]{2,5}\))?[^\S\n]*[.,]?[^\S\n]*(?:[–—-]|\n|$)",  # "(AFP)", " . –"
    re.I,
)

# A direct quote's reporting clause carries its own date ("a déclaré lundi : « demain... »") when a day-level
# expression outside any quote lies within this many characters of the reporting verb, on the same line.
CUE_WINDOW = 60
DAY_KINDS = frozenset({"date", "relday", "weekday"})
# Expressions whose value moves with the anchor (a quote's time of speaking changes them).
RELATIVE_KINDS = frozenset({"relday", "weekday", "period", "weekend", "ago", "anaphor"})


def _grammar(lang: str) -> Grammar | None:
    if lang == "fr":
        return dates_fr.grammar()
    if lang == "en":
        return dates_en.grammar()
    return None


def _is_dateline(text: str, it: dict) -> bool:
    if it["kind"] != "date" or it.get("y") is None or it["start"] > DATELINE_MAX_CHARS:
        return False
    lines_before = [line for line in text[: it["start"]].split("\n")[:-1] if line.strip()]
    if len(lines_before) >= DATELINE_MAX_LINES:
        return False
    line_start = text.rfind("\n", 0, it["start"]) + 1
    if not _DATELINE_BEFORE.fullmatch(text, line_start, it["start"]):
        return False
    return bool(_DATELINE_AFTER.match(text, it["end"]))


def _uses_tense(it: dict) -> bool:
    """Whether the value depends on past/future: weekdays, and days or months without a year."""
    if it["kind"] in ("date", "month"):
        return it.get("y") is None
    return it["kind"] in ("weekday", "range", "weekend")


def _parse_says_count(doc: Doc, it: dict) -> bool:
    """French parse: a bare 4-digit number that modifies a plural noun right after it counts things."""
    span = doc.char_span(it["start"], it["end"], alignment_mode="expand")
    if span is None or len(span) != 1:
        return False
    t = span[0]
    return (
        t.dep_ == "nummod"
        and 0 < t.head.i - t.i <= 2
        and t.head.pos_ == "NOUN"
        and "Plur" in t.head.morph.get("Number")  # type: ignore[call-arg]
    )


def annotate_dates(doc: Doc) -> None:
    """Find dates in `doc` and store them as plain dicts in `doc._.dates` (unresolved, see dates_resolve)."""
    grammar = _grammar(doc.lang_)
    if grammar is None:
        doc._.dates = []
        return
    text = doc.text
    parsed = french_parse(doc)
    morph = parsed and doc.has_annotation("MORPH")
    sentenced = parsed or doc.has_annotation("SENT_START")
    items = []
    for it in scan(grammar, text):
        if it.get("bare") and parsed and _parse_says_count(doc, it):
            continue
        items.append(it)
    quotes = quote_spans(doc)
    quote_of = quote_finder(quotes)
    for it in items:
        if _uses_tense(it):
            span = doc.char_span(it["start"], it["end"], alignment_mode="expand")
            tense = clause_tense(doc, span, morph, sentenced) if span is not None and len(span) else None
            it["tense"] = preposition_tense(text, it["start"], tense)
        it["quote"] = quote_of(it["start"])
    if items and _is_dateline(text, items[0]):
        items[0]["dateline"] = True
    if morph:
        _carry_years(doc, items)
    _link_anaphors(doc, items, sentenced)
    _link_speech_dates(text, items, quotes)
    _link_appositions(text, items)
    doc._.dates = items


def _carry_years(doc: Doc, items: list[dict]) -> None:
    """A day or month without a year takes the year of the expression just before it when no verb stands
    between them: "deux ruptures en 97 (en janvier ..., en octobre ...)". Across a verb the article may move
    on ("Arrivé en 2015, il a été arrêté le 3 mars"), and the publication year applies (the guide's rule).
    """
    last: dict | None = None
    for it in items:
        has_year = it["kind"] in ("year", "month", "date") and it.get("y") is not None and not it.get("dateline")
        if it["kind"] in ("date", "month") and it.get("y") is None and not it.get("dir") and last is not None:
            between = doc.char_span(last["end"], it["start"], alignment_mode="expand")
            verbless = between is not None and not any(t.pos_ in ("VERB", "AUX") for t in between)
            if verbless and between is not None and "\n" not in between.text:
                it["year_hint"] = last["y"]
        if has_year:
            last = it
        elif it["kind"] not in ("date", "month"):
            last = None


def _sentence_start(doc: Doc, it: dict) -> int | None:
    span = doc.char_span(it["start"], it["end"], alignment_mode="expand")
    return span.sent.start_char if span is not None and len(span) else None


def _link_anaphors(doc: Doc, items: list[dict], sentenced: bool) -> None:
    """"la veille" / "le lendemain" count from the nearest day-level date of their own sentence when there is
    one ("X, décédée la veille, est morte ce mercredi"); otherwise from the latest day before them."""
    sents = None
    for i, it in enumerate(items):
        if it["kind"] != "anaphor" or not sentenced:
            continue
        if sents is None:
            sents = [_sentence_start(doc, x) for x in items]
        if sents[i] is None:
            continue
        same = [
            j for j, x in enumerate(items)
            if j != i and sents[j] == sents[i] and x["kind"] in DAY_KINDS and not x.get("dateline")
        ]
        if same:
            j = min(same, key=lambda j: abs(items[j]["start"] - it["start"]))
            it["ref"], it["ref_role"] = j, "anaphor"


def _link_appositions(text: str, items: list[dict]) -> None:
    """A relative day followed by the explicit date it stands for takes that date: "la veille, 8 février",
    "hier, 20 octobre" (the explicit date is the writer's own resolution)."""
    for i in range(len(items) - 1):
        it, nxt = items[i], items[i + 1]
        if (
            it["kind"] in ("anaphor", "relday", "weekday")
            and nxt["kind"] == "date"
            and nxt["start"] - it["end"] <= 3
            and not text[it["end"] : nxt["start"]].strip(" ,")
        ):
            it["ref"], it["ref_role"] = i + 1, "appos"


def _link_speech_dates(text: str, items: list[dict], quotes: list[dict]) -> None:
    """Point relative expressions inside a direct quote at the date of its reporting clause, if it has one."""
    inside_of: dict[int, list[dict]] = {}  # quote index -> the expressions inside it, in order
    for it in items:
        if it.get("quote") is not None and it["kind"] in RELATIVE_KINDS | {"date", "month"}:
            inside_of.setdefault(it["quote"], []).append(it)
    near: list[tuple[int, int]] | None = None  # (start, index) of the day-level expressions outside quotes
    longest = 0
    for qi, q in enumerate(quotes):
        inside = inside_of.get(qi)
        cue_start, cue_end = q.get("cue_start"), q.get("cue_end")
        if not inside or cue_start is None or cue_end is None:
            continue
        if near is None:
            in_any = Holding([(x["start"], x["end"]) for x in quotes])
            near = sorted((it["start"], j) for j, it in enumerate(items)
                          if it["kind"] in DAY_KINDS and it.get("quote") is None and in_any.first(it["start"]) is None)
            longest = max((items[j]["end"] - s for s, j in near), default=0)
        # only expressions starting within CUE_WINDOW characters of the cue (or ending so before it) can be
        # nearer than CUE_WINDOW; they are looked at in text order, as in a scan of every expression
        lo = bisect_left(near, (cue_start - CUE_WINDOW - longest, -1))
        hi = bisect_right(near, (cue_end + CUE_WINDOW, len(items)))
        best, best_gap = None, CUE_WINDOW + 1
        for j in sorted(j for _, j in near[lo:hi]):
            it = items[j]
            gap = it["start"] - cue_end if it["start"] >= cue_end else cue_start - it["end"]
            if 0 <= gap < best_gap and "\n" not in text[min(it["start"], cue_start) : max(it["end"], cue_end)]:
                best, best_gap = j, gap
        if best is not None:
            for it in inside:
                it["ref"], it["ref_role"] = best, "speech"


@Language.factory("vigie_dates", requires=["token.is_sent_start", "doc._.quotes"], assigns=["doc._.dates"])
def make_dates(nlp: Language, name: str) -> GuardedComponent:
    return GuardedComponent(name, annotate_dates)


def _parse_iso(s: str | None) -> date | None:
    if not s:
        return None
    try:
        return date.fromisoformat(str(s)[:10])
    except ValueError:
        return None


def dateline_date(doc: Doc) -> str | None:
    """ISO date of a dateline at the start of the article ("24 mars 2016 . –", "1er janvier 2016, 14h30 . –"),
    for articles that come without a publication date."""
    items = doc._.dates
    if items is None:  # the component did not run on this Doc
        grammar = _grammar(doc.lang_)
        head = doc.text[: DATELINE_MAX_CHARS + 100]
        items = scan(grammar, head) if grammar else []
        items = [items[0]] if items and _is_dateline(head, items[0]) else []
        for it in items:
            it["dateline"] = True
    for it in items:
        if it.get("dateline"):
            value, _ = resolve(it, None)
            return value
    return None


# A weekday alone names the same day as an explicit date of the article with that weekday when the date is
# within this many days of the anchor ("dès le lundi 2 avril ... les trains qui partent lundi").
WEEKDAY_COREF_DAYS = 7


def _weekday_coref(it: dict, explicit: dict[int, date], anchor: date | None) -> date | None:
    """The explicit date an unqualified weekday refers to, if one fits its tense."""
    if it["kind"] != "weekday" or it.get("dir") or anchor is None:
        return None
    cand = explicit.get(it["wd"])
    if cand is None:
        return None
    tense = it.get("tense")
    if (tense == "past" and cand > anchor) or (tense == "future" and cand <= anchor):
        return None
    return cand


def resolve_items(items: list[dict], anchor: date | None) -> list[tuple[str | None, str]]:
    """(value, granularity) for each description, in order.

    Items with a `ref` depend on another item, resolved first: "appos" takes its value ("la veille, 8
    février"), "speech" counts from it (a relative date in a quote, from its reporting clause's date),
    "anaphor" counts from it ("la veille" in the sentence of "ce mercredi"). Other "la veille"/"le lendemain"
    count from the latest day-level date resolved before them in the text.
    """
    out: list[tuple[str | None, str]] = [(None, DAY)] * len(items)
    previous: date | None = None
    explicit: dict[int, date] = {}
    deferred = []
    for i, it in enumerate(items):
        if it.get("ref") is not None:
            deferred.append(i)
            continue
        coref = _weekday_coref(it, explicit, anchor)
        out[i] = (coref.isoformat(), DAY) if coref else resolve(it, anchor, previous)
        day = _parse_iso(out[i][0]) if out[i][1] == DAY else None
        if day is None:
            continue
        previous = day
        if it["kind"] == "date" and anchor and abs((day - anchor).days) <= WEEKDAY_COREF_DAYS:
            explicit[day.isoweekday()] = day
    for i in deferred:
        it = items[i]
        ref_value, ref_gran = out[it["ref"]]
        ref_day = _parse_iso(ref_value) if ref_gran == DAY else None
        role = it.get("ref_role")
        if role == "appos" and ref_day:
            out[i] = (ref_day.isoformat(), DAY)
        elif role == "speech":
            coref = _weekday_coref(it, explicit, ref_day or anchor)
            out[i] = (coref.isoformat(), DAY) if coref else resolve(it, ref_day or anchor, ref_day)
        else:
            out[i] = resolve(it, anchor, ref_day)
    return out


def dates_from_doc(doc: Doc, text: str, published: str | None) -> list[TimeExpr]:
    """Model records from `doc._.dates`; offsets into `text` (the cleaned article, same length as doc.text).

    Relative expressions resolve against `published` (ISO "YYYY-MM-DD"); without it, against the article's
    dateline; without either, their value is None.
    """
    items = doc._.dates or []
    anchor = _parse_iso(published) or _parse_iso(dateline_date(doc))
    out = []
    for it, (value, gran) in zip(items, resolve_items(items, anchor), strict=True):
        out.append(
            TimeExpr(
                text=text[it["start"] : it["end"]],
                start=it["start"],
                end=it["end"],
                value=value,
                granularity=gran,
                extractor=EXTRACTOR,
                confidence=it.get("confidence", 0.8),
            )
        )
    return out
