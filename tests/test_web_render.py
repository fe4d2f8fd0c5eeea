"""Pieces of the web UI that need no server: span highlighting, the world outline, chart geometry."""
from __future__ import annotations

import html
import itertools
import random
import re

from vigie.web import charts, world
from vigie.web.highlight import Span, highlight, spans_of
from web_fixtures import Page


def S(start: int, end: int, layer: str = "entity", href: str | None = None, title: str = "t",
      anchor: str | None = None) -> Span:
    return Span(start, end, layer, [f"x-{layer}"], title, href, anchor)


def plain(markup: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", markup))


def test_nested_spans_nest() -> None:
    text = "« Marat Aliev est là »"
    out = highlight(text, [S(0, len(text), "quote"), S(2, 13, "entity", "/entities/M")])
    assert out == ('<span class="hl x-quote" title="t">« '
                   '<a href="/entities/M" class="hl x-entity" title="t">Marat Aliev</a> est là »</span>')


def test_crossing_spans_are_split() -> None:
    text = "abcdefghijklmno"
    out = str(highlight(text, [S(0, 10, "quote", anchor="q0"), S(5, 15, "date", anchor="d0")]))
    assert out.count('id="d0"') == 1 and out.count('data-continued="1"') == 1
    assert plain(out) == text
    p = Page(out)
    assert not p.errors and not p.stack
    # the date's two pieces cover 5-10 (inside the quote) and 10-15 (after it)
    inside = '<span class="hl x-date" title="t" id="d0">fghij</span>'
    assert re.search(inside + "</span><span [^>]*data-continued=.1.>klmno</span>", out)


def test_identical_spans_merge() -> None:
    out = str(highlight("Almaty", [S(0, 6, "entity", "/entities/Almaty", "LOC · Almaty"),
                                   S(0, 6, "place", "/places/Almaty", "place: Almaty, KZ")]))
    assert out.count("<a ") == 1 and 'href="/places/Almaty"' in out  # the place link wins
    assert 'class="hl x-place x-entity"' in out and 'title="place: Almaty, KZ\nLOC · Almaty"' in out


def test_no_link_inside_a_link() -> None:
    text = "le président Tokaïev"
    out = str(highlight(text, [S(3, 20, "speaker", "/entities/T"), S(13, 20, "entity", "/entities/T2")]))
    assert out.count("<a ") == 1 and 'href="/entities/T2"' not in out
    assert Page(out).find("span", "x-entity")


def test_text_is_escaped_in_content_and_attributes() -> None:
    text = '<script>alert("x")</script> & co'
    out = str(highlight(text, [S(0, 8, title='"><img src=x onerror=alert(1)>')]))
    assert "<script" not in out and "<img" not in out
    assert plain(out) == text
    assert 'title="&#34;&gt;&lt;img src=x onerror=alert(1)&gt;"' in out


def test_bad_spans_are_ignored() -> None:
    assert highlight("abc", [S(2, 2), S(-1, 2), S(1, 9), S(2, 1)]) == "abc"


def test_random_overlaps_stay_well_formed() -> None:
    rng = random.Random(7)
    text = "Le 5 janvier, des milliers de manifestants ont défilé à Almaty contre la hausse des prix du gaz. " * 3
    layers = ["quote", "speaker", "event", "place", "entity", "date", "quantity"]
    for _ in range(200):
        spans = []
        for _ in range(rng.randint(1, 12)):
            a = rng.randrange(len(text))
            b = rng.randint(a + 1, min(len(text), a + 60))
            layer = rng.choice(layers)
            spans.append(S(a, b, layer, "/x" if layer in ("entity", "speaker", "place") else None))
        out = str(highlight(text, spans))
        assert plain(out) == text
        p = Page(out)
        assert not p.errors and not p.stack
        assert "<a" not in "".join(re.findall(r"<a [^>]*>(.*?)</a>", out))  # never a link inside a link


def test_spans_of_a_stored_article() -> None:
    article = {
        "text": "Marat Aliev a dit « non » mercredi.",
        "entities": [{"start": 0, "end": 11, "label": "PER", "canonical": "Marat Aliev"}],
        "quotes": [{"start": 19, "end": 22, "speaker": "Marat Aliev", "cue": "dire", "direct": True,
                    "speaker_start": 0, "speaker_end": 11}],
        "dates": [{"start": 26, "end": 34, "value": "2022-01-05", "granularity": "day"}],
        "quantities": [], "places": [],
        "events": [{"type": "REJECT", "mode": None, "start": 12, "end": 17, "mentions": [], "source": "Marat Aliev"}],
    }
    layers = sorted(s.layer for s in spans_of(article))
    assert layers == ["date", "entity", "event", "quote", "speaker"]
    out = str(highlight(article["text"], spans_of(article)))
    assert out.startswith('<a href="/entities/Marat%20Aliev" class="hl hl-speaker hl-ent hl-PER"')
    assert 'id="event-0"' in out and 'title="event REJECT: Marat Aliev"' in out


# ---------------------------------------------------------------- world outline and charts


def test_world_outline() -> None:
    countries = world.countries()
    assert len(countries) > 170
    names = {c.name for c in countries}
    assert {"France", "Kazakhstan", "Russia", "Fiji", "Brazil"} <= names and "Antarctica" not in names
    for c in countries:
        for ring in c.path.split("M")[1:]:
            xs = [float(p.split(",")[0]) for p in ring.rstrip("Z").split("L")]
            # no line across the whole map: rings crossing the antimeridian are drawn twice, unwrapped
            assert max(abs(a - b) for a, b in itertools.pairwise(xs)) < 180, c.name
    assert world.project(76.92, 43.25) == (76.92, -43.25)


def test_stacked_bars_by_day_and_by_month() -> None:
    rows = [{"day": "2022-01-05", "type": "PROTEST", "n": 2}, {"day": "2022-01-05", "type": "ASSAULT", "n": 1},
            {"day": "2022-01-08", "type": "PROTEST", "n": 1}]
    chart = charts.stacked_bars(rows)
    assert chart is not None and not chart.by_month and chart.y_max == 3
    assert [b.type for b in chart.bars] == ["PROTEST", "ASSAULT", "PROTEST"]  # PLOVER order within a day
    first, second = chart.bars[0], chart.bars[1]
    assert second.y + second.h == first.y  # stacked
    assert chart.bars[2].x > first.x and [label for _, label in chart.labels][0] == "2022-01-05"
    long = charts.stacked_bars([{"day": "2020-01-01", "type": "AID", "n": 1},
                                {"day": "2022-06-30", "type": "AID", "n": 4}])
    assert long is not None and long.by_month and len(long.bars) == 2
    assert (long.bars[1].first, long.bars[1].last) == ("2022-06-01", "2022-06-30")
    assert charts.stacked_bars([]) is None


def test_map_points() -> None:
    pts = [{"name": "A", "country": "KZ", "lat": 43.0, "lon": 76.0, "n": 9, "types": {"PROTEST": 5, "ASSAULT": 4}},
           {"name": "B", "country": "FR", "lat": 48.0, "lon": 2.0, "n": 1, "types": {"AID": 1}},
           {"name": "C", "country": None, "lat": None, "lon": None, "n": 3, "types": {}}]
    circles, missing = charts.map_points(pts)
    assert [c.name for c in circles] == ["A", "B"] and [m["name"] for m in missing] == ["C"]
    assert circles[0].r == charts.MAP_R_MAX and circles[1].r < circles[0].r
    assert circles[0].color == charts.TYPE_COLORS["PROTEST"] and (circles[1].cx, circles[1].cy) == (2.0, -48.0)
