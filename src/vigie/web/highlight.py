"""The article text as HTML with every annotation highlighted (entities, quotes, speakers, dates, quantities,
places, event triggers).

Annotations overlap freely (a quote holds entities, a place is also an entity, two extractors may cross), but
HTML elements must nest. Spans covering exactly the same characters are merged into one element (classes and
hover texts joined); the rest are nested, longest outside, and a span that crosses the end of an enclosing one is
split in two pieces around it. Only the first piece carries the span's id. Every piece of article text goes
through `markupsafe.escape`: the result is safe to insert as is, whatever the article contains.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote as _quote

from markupsafe import Markup, escape

#: Which annotation goes outside when two cover the same characters (lower = outer), and which link wins
#: when spans are merged: a speaker link leads to the person, a place link to the place page.
LAYER_ORDER = {"quote": 0, "speaker": 1, "event": 2, "place": 3, "entity": 4, "date": 5, "quantity": 6}


def article_href(article_id: str) -> str:
    """The article page's address: the id percent-encoded whole ("/", "?", "#", spaces... may be in an id)."""
    return "/articles/" + _quote(article_id, safe="")


def entity_href(canonical: str) -> str:
    return "/entities/" + _quote(canonical, safe="")


def place_href(name: str) -> str:
    return "/places/" + _quote(name, safe="")


def story_href(story_id: str) -> str:
    """A story's page (a story's id is its first article's: any character may be in it)."""
    return "/stories/" + _quote(story_id, safe="")


def event_href(event_id: str) -> str:
    """The page of an event across articles ("ev-…")."""
    return "/events/" + _quote(event_id, safe="")


def count_ranges(counts: dict[str, Any] | None) -> list[str]:
    """A cross-document event's counts as the sources gave them: "killed 20–25 (3 reports)", "arrested 200
    (1 report)"; never a sum."""
    out = []
    for name in ("killed", "injured", "arrested", "size"):
        c = (counts or {}).get(name)
        if not c:
            continue
        low, high, reports = c.get("low"), c.get("high"), int(c.get("reports") or 0)
        value = _num(low) if low == high or high is None else f"{_num(low)}–{_num(high)}"
        out.append(f"{name} {value} ({reports} report{'s' if reports != 1 else ''})")
    return out


def marked_evidence(mention: dict[str, Any]) -> Markup:
    """A mention's evidence sentence with its trigger in <mark>, all text escaped. The trigger is found at its
    offset in the sentence (`start` - `evidence_start`: both offsets are into the same text, the original's for
    a copy), else at its first occurrence; the trigger alone when there is no sentence."""
    evidence, trigger = mention.get("evidence") or "", mention.get("trigger") or ""
    if not evidence:
        return Markup(f'<mark class="trigger">{escape(trigger)}</mark>') if trigger else Markup("")
    pos = -1
    if trigger:
        start, ev_start = mention.get("start"), mention.get("evidence_start")
        if isinstance(start, int) and isinstance(ev_start, int):
            rel = start - ev_start
            if rel >= 0 and evidence[rel : rel + len(trigger)] == trigger:
                pos = rel
        if pos < 0:
            pos = evidence.find(trigger)
    if pos < 0:
        return Markup(escape(evidence))
    end = pos + len(trigger)
    return Markup(f'{escape(evidence[:pos])}<mark class="trigger">{escape(trigger)}</mark>{escape(evidence[end:])}')


@dataclass(slots=True)
class Span:
    start: int
    end: int
    layer: str  # a key of LAYER_ORDER
    classes: list[str]
    title: str
    href: str | None = None
    anchor: str | None = None  # id of the element (first piece only)
    extra: list[Span] = field(default_factory=list)  # spans merged into this one (same characters)

    @property
    def order(self) -> int:
        return LAYER_ORDER[self.layer]


def _num(x: float | None) -> str:
    return "?" if x is None else f"{x:g}"


def _amount(q: dict[str, Any]) -> str:
    if q.get("value") is not None:
        value = _num(q["value"])
    elif q.get("low") is not None or q.get("high") is not None:
        value = f"{_num(q.get('low'))}–{_num(q.get('high'))}"
    else:
        value = "?"
    return ("≈" if q.get("approx") else "") + value


def event_summary(ev: dict[str, Any]) -> str:
    """One line for an event: PROTEST/demonstrate: source → target, at place, on date."""
    head = ev["type"] + (f"/{ev['mode']}" if ev.get("mode") else "")
    who = " → ".join(x for x in (ev.get("source"), ev.get("target")) if x)
    parts = [f"{head}: {who}" if who else head]
    if ev.get("location"):
        parts.append(f"at {ev['location']}")
    if ev.get("date"):
        parts.append(f"on {ev['date']}" + (" (publication date)" if ev.get("date_inferred") else ""))
    counts = ", ".join(f"{k} {_num(ev[k])}" for k in ("killed", "injured", "arrested", "size") if ev.get(k) is not None)
    if counts:
        parts.append(counts)
    if ev.get("context"):
        parts.append("[" + ", ".join(ev["context"]) + "]")
    return ", ".join(parts)


def _reported(ev: dict[str, Any]) -> str:
    """How widely an event record's cross-document event was reported ("" before linking)."""
    if not ev.get("event_id") or ev.get("n_articles") is None:
        return ""
    n, k = int(ev["n_articles"]), int(ev.get("n_sources") or 0)
    return f" — reported by {n} article{'s' if n != 1 else ''}, {k} source{'s' if k != 1 else ''}"


def place_summary(p: dict[str, Any]) -> str:
    where = ", ".join(x for x in (p.get("name"), p.get("country")) if x) or "unresolved"
    kind = f" ({p['kind']})" if p.get("kind") else ""
    coords = f" {p['lat']:.2f}, {p['lon']:.2f}" if p.get("lat") is not None and p.get("lon") is not None else ""
    return f"{where}{kind}{coords}"


def spans_of(article: dict[str, Any]) -> list[Span]:
    """Every annotation of a stored article (as `Store.get_article` returns it) as a Span."""
    spans: list[Span] = []
    for e in article.get("entities", []):
        spans.append(Span(e["start"], e["end"], "entity", ["hl-ent", f"hl-{e['label']}"],
                          f"{e['label']} · {e['canonical']}", entity_href(e["canonical"])))
    for i, q in enumerate(article.get("quotes", [])):
        who = q.get("speaker") or "unknown speaker"
        cue = f", cue: {q['cue']}" if q.get("cue") else ""
        kind = "direct" if q.get("direct") else "indirect"
        spans.append(Span(q["start"], q["end"], "quote", ["hl-quote", f"hl-quote-{kind}"],
                          f"{kind} quote — {who}{cue}", anchor=f"quote-{i}"))
        if q.get("speaker_start") is not None and q.get("speaker_end") is not None:
            speaker = q.get("speaker")
            spans.append(Span(q["speaker_start"], q["speaker_end"], "speaker", ["hl-speaker"],
                              f"speaker: {speaker or 'unresolved'}", entity_href(speaker) if speaker else None))
    for d in article.get("dates", []):
        spans.append(Span(d["start"], d["end"], "date", ["hl-date"],
                          f"date: {d.get('value') or 'unresolved'} ({d.get('granularity')})"))
    for q in article.get("quantities", []):
        unit = f" {q['unit']}" if q.get("unit") else ""
        role = f" · {q['role']}" if q.get("role") else ""
        spans.append(Span(q["start"], q["end"], "quantity", ["hl-qty"], f"quantity: {_amount(q)}{unit}{role}"))
    for p in article.get("places", []):
        spans.append(Span(p["start"], p["end"], "place", ["hl-place"] + (["hl-place-main"] if p.get("main") else []),
                          f"place: {place_summary(p)}", place_href(p["name"]) if p.get("name") else None))
    for i, ev in enumerate(article.get("events", [])):
        mentions = [m for m in ev.get("mentions") or [] if len(m) == 2] or [[ev["start"], ev["end"]]]
        for j, (s, e) in enumerate(sorted(mentions)):
            spans.append(Span(s, e, "event", ["hl-event", f"hl-ev-{ev['type']}"], f"event {event_summary(ev)}"
                              + _reported(ev), anchor=f"event-{i}" if j == 0 else None))
    return spans


def _merge_identical(spans: list[Span]) -> list[Span]:
    by_range: dict[tuple[int, int], list[Span]] = defaultdict(list)
    for s in spans:
        by_range[(s.start, s.end)].append(s)
    merged = []
    for group in by_range.values():
        group.sort(key=lambda s: s.order)
        head, rest = group[0], group[1:]
        head.extra = rest
        if head.href is None:
            head.href = next((s.href for s in rest if s.href), None)
        if head.anchor is None:
            head.anchor = next((s.anchor for s in rest if s.anchor), None)
        merged.append(head)
    return merged


def _open_tag(span: Span, first: bool, inside_link: bool) -> tuple[str, bool]:
    parts = [span, *span.extra]
    classes = ["hl"] + [c for s in parts for c in s.classes]
    title = "\n".join(dict.fromkeys(s.title for s in parts))  # same text twice (two mentions) shown once
    is_link = span.href is not None and not inside_link  # <a> inside <a> is not HTML
    attrs = f' class="{escape(" ".join(dict.fromkeys(classes)))}" title="{escape(title)}"'
    if first and span.anchor:
        attrs += f' id="{escape(span.anchor)}"'
    if not first:
        attrs += ' data-continued="1"'
    if is_link:
        return f'<a href="{escape(span.href)}"{attrs}>', True
    return f"<span{attrs}>", False


def highlight(text: str, spans: list[Span]) -> Markup:
    """`text` as HTML with `spans` as (possibly split) nested elements; see the module docstring."""
    spans = [s for s in spans if 0 <= s.start < s.end <= len(text)]
    spans = _merge_identical(spans)
    starting: dict[int, list[Span]] = defaultdict(list)
    for s in spans:
        starting[s.start].append(s)
    for group in starting.values():
        group.sort(key=lambda s: (-s.end, s.order))  # longest outside
    bounds = sorted({0, len(text)} | {s.start for s in spans} | {s.end for s in spans})
    out: list[str] = []
    stack: list[tuple[Span, bool]] = []  # open elements: span, rendered as a link
    opened: set[int] = set()  # ids of spans whose first piece was written

    def push(span: Span) -> None:
        inside_link = any(link for _, link in stack)
        tag, link = _open_tag(span, id(span) not in opened, inside_link)
        opened.add(id(span))
        out.append(tag)
        stack.append((span, link))

    for pos, nxt in zip(bounds, [*bounds[1:], None], strict=True):
        if any(s.end == pos for s, _ in stack):
            # close down to the deepest span that ends here; spans above it that go on are reopened
            reopen = []
            while any(s.end == pos for s, _ in stack):
                s, link = stack.pop()
                out.append("</a>" if link else "</span>")
                if s.end != pos:
                    reopen.append(s)
            for s in reversed(reopen):
                push(s)
        for s in starting.get(pos, []):
            push(s)
        if nxt is not None:
            out.append(str(escape(text[pos:nxt])))
    return Markup("".join(out))


def highlight_article(article: dict[str, Any]) -> Markup:
    return highlight(article.get("text") or "", spans_of(article))
