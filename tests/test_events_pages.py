"""What an analyst expects from the events pages (issue 17): sorting, totals and sums, one country code system,
a CSV of exactly what is shown, the timeline's buckets and its hidden outliers, the map's data. Store queries run
on SQLite and PostgreSQL (`store_backends`); the pages over both through `served_store`."""
from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from store_backends import BACKENDS, open_backend
from vigie.app import create_app
from vigie.records import Article, Event
from vigie.store.base import EventFilter
from vigie.store.queries import EVENT_SORTS, alpha2_of, country_codes
from vigie.web import charts
from web_fixtures import Page, served_store


def _event(kind: str, day: str, **kw: Any) -> Event:
    return Event(kind, kw.pop("mode", None), 0, 4, "word", date=day, **kw)


def _articles() -> list[Article]:
    """Events spread over days, countries (actors alpha-3, places alpha-2) and counts; one far in the past."""
    rows = [
        ("e1", "2022-03-01", [_event("PROTEST", "2022-03-01", source="crowd", location="Moscou",
                                     location_country="RU", size=500)]),
        ("e2", "2022-03-02", [_event("ASSAULT", "2022-03-02", source="army", source_country="RUS",
                                     target="town", target_country="UKR", killed=12, injured=30)]),
        ("e3", "2022-03-05", [_event("COERCE", "2022-03-05", source="police", source_country="FRA",
                                     location="Paris", location_country="FR", arrested=40)]),
        ("e4", "2022-03-09", [_event("ASSAULT", "2022-03-09", source="rebels", killed=3),
                              _event("AGREE", "2022-03-09", source="Kazakhstan", source_country="KAZ")]),
    ]
    out = [Article(id=f"{i}0000000000", raw="word " * 3, text="word " * 3, title=f"Article {i}", published=p,
                   language="fr", events=evs) for i, p, evs in rows]
    # many events in March 2022, a single one two years before: an outlier for the timeline
    out += [Article(id=f"m{n:02d}0000000000", raw="word", text="word", title=f"More {n}", published="2022-03-10",
                    language="fr", events=[_event("CONSULT", f"2022-03-{10 + n % 15:02d}")]) for n in range(60)]
    out.append(Article(id="old000000000", raw="word", text="word", title="Old", published="2020-01-15",
                       language="fr", events=[_event("PROTEST", "2020-01-15")]))
    return out


@pytest.fixture(params=BACKENDS)
def filled(request: pytest.FixtureRequest, tmp_path: Path) -> Any:
    store = open_backend(request.param, tmp_path)
    for a in _articles():
        store.upsert_article(a)
    yield store
    store.close()


# ---------------------------------------------------------------- store: sort, sums, countries


def test_sort_every_whitelisted_column_on_both_backends(filled: Any) -> None:
    total = filled.count_events()
    for key in EVENT_SORTS:
        for order in ("asc", "desc"):
            rows = filled.list_events(limit=total, sort=key, order=order)
            assert len(rows) == total, (key, order)
    killed = [r["killed"] for r in filled.list_events(limit=5, sort="killed", order="desc")]
    assert killed[:2] == [12, 3] and killed[2] is None  # missing values last, whichever the direction
    assert filled.list_events(limit=1, sort="killed", order="asc")[0]["killed"] == 3
    newest = filled.list_events(limit=3, sort="date", order="desc")
    assert [r["date"] for r in newest] == sorted((r["date"] for r in newest), reverse=True)
    assert filled.list_events(limit=1, sort="date", order="asc")[0]["date"] == "2020-01-15"
    types = [r["type"] for r in filled.list_events(limit=total, sort="type")]
    assert types == sorted(types)


def test_sort_outside_the_whitelist_is_refused(filled: Any) -> None:
    for sort, order in (("e.type; DROP TABLE events", "asc"), ("date", "sideways"), ("evidence", "asc")):
        with pytest.raises(ValueError):
            filled.list_events(sort=sort, order=order)


def test_sums_cover_the_whole_filtered_set(filled: Any) -> None:
    sums = filled.event_sums()
    assert sums["killed"] == 15 and sums["n_killed"] == 2
    assert sums["injured"] == 30 and sums["arrested"] == 40 and sums["size"] == 500
    assault = filled.event_sums(EventFilter(type="ASSAULT"))
    assert assault["killed"] == 15 and assault["arrested"] == 0 and assault["n_arrested"] == 0
    assert filled.event_sums(EventFilter(type="SANCTION"))["killed"] == 0


def test_one_country_code_system(filled: Any) -> None:
    ru = {r["article_id"] for r in filled.list_events(EventFilter(country="RU"))}
    assert ru == {"e10000000000", "e20000000000"}  # a RUS actor and a location in RU
    assert {r["article_id"] for r in filled.list_events(EventFilter(country="RUS"))} == ru
    assert filled.count_events(EventFilter(country="KZ")) == 1  # a KAZ actor
    assert filled.count_events(EventFilter(country="FR")) == 1
    assert alpha2_of("RUS") == "RU" and alpha2_of("ru") == "RU" and alpha2_of("IGO") == "IGO"
    assert country_codes("UA") == ("UKR", "UA") and country_codes("IGO") == ("IGO", None)
    codes = {c["country"]: c["n"] for c in filled.event_countries()}
    assert codes == {"RU": 2, "UA": 1, "FR": 2, "KZ": 1}  # every code as alpha-2 (FR: actor and place)


# ---------------------------------------------------------------- timeline: buckets, outliers


def test_bucket_follows_the_span() -> None:
    d = date(2022, 1, 1)
    assert charts.auto_bucket(d, date(2022, 2, 15)) == "day"
    assert charts.auto_bucket(d, date(2022, 9, 1)) == "week"
    assert charts.auto_bucket(d, date(2025, 1, 1)) == "month"
    rows = [{"day": "2022-01-05", "type": "PROTEST", "n": 2}, {"day": "2022-01-20", "type": "AID", "n": 1}]
    week = charts.stacked_bars(rows, by="week")
    assert week is not None and week.by == "week" and {b.first for b in week.bars} == {"2022-01-03", "2022-01-17"}
    assert all(date.fromisoformat(b.first).weekday() == 0 for b in week.bars)  # weeks start on Monday
    month = charts.stacked_bars(rows, by="month")
    assert month is not None and month.by_month and len({b.first for b in month.bars}) == 1


def test_outliers_are_hidden_from_the_default_range() -> None:
    rows = [{"day": f"2022-03-{d:02d}", "n": 10} for d in range(1, 29)] + [{"day": "2019-06-01", "n": 1}]
    start, hidden = charts.dense_start(rows)
    assert start == date(2022, 3, 1) and hidden == 1
    assert charts.dense_start(rows[:-1]) == (None, 0)  # nothing far: nothing hidden
    close = rows[:-1] + [{"day": "2022-02-25", "n": 1}]
    assert charts.dense_start(close) == (None, 0)  # an older event close to the rest stays


# ---------------------------------------------------------------- the pages over both backends


@pytest.fixture(scope="module", params=BACKENDS)
def client(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> TestClient:
    with served_store(request.param, tmp_path_factory.mktemp("events17")) as url, \
            TestClient(create_app(url, token="")) as c:
        yield c


def test_events_page_newest_first_with_total_and_sums(client: TestClient) -> None:
    data = client.get("/events.json").json()
    days = [r["date"] for r in data["items"]]
    assert days == sorted(days, reverse=True) and data["sort"] == "date" and data["order"] == "desc"
    assert data["total"] == len(data["items"]) == 4
    assert data["sums"]["arrested"] == 200 and data["sums"]["n_arrested"] == 1
    page = Page(client.get("/events?country=KZ").text)
    assert not page.errors
    assert [o for o in page.find("option") if o.get("value") == "KZ" and "selected" in o]
    assert page.find("li", **{"data-count": "arrested"})


def test_bad_sort_is_422(client: TestClient) -> None:
    for url in ("/events?sort=evidence", "/events.json?sort=date%3BDROP", "/events.csv?order=up",
                "/timeline?by=year"):
        assert client.get(url).status_code == 422, url
    assert client.get("/events.json?sort=&order=").json()["sort"] == "date"  # blank: the default


def test_country_filter_maps_alpha3(client: TestClient) -> None:
    by2 = client.get("/events.json?country=KZ").json()
    by3 = client.get("/events.json?country=kaz").json()
    assert by2["items"] == by3["items"] and by2["total"] == 3
    assert client.get("/events.json?country=FR").json()["total"] == 1


def test_csv_is_exactly_the_filtered_sorted_rows(client: TestClient) -> None:
    page = Page(client.get("/events?country=KZ&sort=type&order=desc").text)
    href = [a for a in page.find("a") if a.get("id") == "events-csv"][0]["href"]
    assert href == "/events.csv?country=KZ&sort=type&order=desc"
    rows = list(csv.DictReader(io.StringIO(client.get(href).text)))
    shown = client.get("/events.json?country=KZ&sort=type&order=desc").json()["items"]
    assert [(r["article_id"], r["type"]) for r in rows] == [(e["article_id"], e["type"]) for e in shown]
    # sort headers keep the filters
    heads = [a["href"] for a in page.find("a", "sort")]
    assert "/events?country=KZ&sort=type&order=asc" in heads


def test_timeline_twin_reports_bucket_and_range(client: TestClient) -> None:
    data = client.get("/timeline.json").json()
    assert data["by"] == "day" and data["by_auto"] and data["hidden"] == 0
    assert data["date_from"] == "2022-01-05" and data["date_to"] == "2022-01-10"
    assert client.get("/timeline.json?by=month").json()["by"] == "month"
    narrowed = client.get("/timeline.json?date_from=2022-01-06&date_to=2022-01-07").json()
    assert {b["day"] for b in narrowed["buckets"]} <= {"2022-01-06", "2022-01-07"}
    page = Page(client.get("/timeline").text)
    links = {a.get("id"): a["href"] for a in page.find("a") if a.get("id")}
    assert links["zoom-in"].startswith("/timeline?date_from=") and links["zoom-out"].startswith("/timeline?")


def test_map_page_loads_its_script_and_data(client: TestClient) -> None:
    r = client.get("/map")
    assert '<script src="/static/map.js"></script>' in r.text and "<noscript>" in r.text
    assert "script-src 'self';" in r.headers["content-security-policy"]
    points = client.get("/map.json").json()["points"]
    assert {p["ref"] for p in points} == {"Almaty", "Paris"}
    world = client.get("/map/world.geojson")
    assert world.status_code == 200 and world.json()["type"] == "FeatureCollection"
    assert len(world.json()["features"]) > 150
    for path in ("/static/vendor/leaflet/leaflet.js", "/static/vendor/leaflet/LICENSE",
                 "/static/vendor/leaflet.markercluster/leaflet.markercluster.js",
                 "/static/vendor/leaflet.markercluster/MIT-LICENCE.txt", "/static/map.js"):
        assert client.get(path).status_code == 200, path


def test_timeline_page_hides_the_far_past(tmp_path: Path) -> None:
    from vigie.store import SQLiteStore

    store = SQLiteStore(tmp_path / "news.db")
    for a in _articles():
        store.upsert_article(a)
    store.close()
    with TestClient(create_app(str(tmp_path / "news.db"), token="")) as c:
        data = c.get("/timeline.json").json()
        assert data["hidden"] == 1 and data["hidden_before"] == "2022-03-01"
        assert data["date_from"] == "2022-03-01" and data["by"] == "day"  # the dense month: a bar per day
        assert all(b["day"] >= "2022-03-01" for b in data["buckets"])
        page = Page(c.get("/timeline").text)
        note = [a for a in page.find("a") if a.get("id") == "show-all"]
        assert note and note[0]["href"] == "/timeline?all=1"
        everything = c.get("/timeline.json?all=1").json()
        assert everything["hidden"] == 0 and everything["date_from"] == "2020-01-15"
        assert everything["by"] == "month"  # two years and more: a bar per month
        assert c.get("/timeline.json?date_from=2019-01-01").json()["hidden"] == 0  # a chosen range hides nothing
