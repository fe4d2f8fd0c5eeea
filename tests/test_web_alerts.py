"""Saving a search from the web page (issue 17): a write that needs the server's token, shown on /alerts and kept
with its filters for `vigie alerts run`."""
from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from vigie.app import create_app
from vigie.store import SQLiteStore
from web_fixtures import fill_store

FORM = {"q": "manifestation OR police", "language": "fr", "kind": "article,event", "name": "unrest"}


def _client(tmp_path: Path, token: str) -> TestClient:
    db = tmp_path / "v.db"
    fill_store(db)
    return TestClient(create_app(str(db), token=token))


def test_save_a_search_with_the_write_token(tmp_path: Path):
    with _client(tmp_path, "s3cret") as client:
        page = client.get("/search", params={"q": "manifestation", "language": "fr"})
        assert 'action="/search/save"' in page.text and 'name="token"' in page.text
        r = client.post("/search/save", data={**FORM, "token": "s3cret"}, follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"] == "/alerts?saved=unrest"
        listed = client.get("/alerts?saved=unrest")
        assert "Saved “unrest”" in listed.text and "manifestation OR police" in listed.text
        assert client.get("/alerts.json").json()["items"][0]["name"] == "unrest"
    with SQLiteStore(tmp_path / "v.db") as store:
        saved = store.get_saved_search("unrest")
    assert saved["query"] == "manifestation OR police"
    assert saved["filters"] == {"language": "fr", "kinds": ["article", "event"]}


def test_a_wrong_token_and_a_read_only_server_save_nothing(tmp_path: Path):
    with _client(tmp_path, "s3cret") as client:
        r = client.post("/search/save", data={**FORM, "token": "nope"})
        assert r.status_code == 401
        r = client.post("/search/save", data={"q": "", "name": "x", "token": "s3cret"})
        assert r.status_code == 422
        assert client.get("/alerts.json").json()["items"] == []
    other = tmp_path / "ro"
    other.mkdir()
    with _client(other, "") as client:
        assert "This server is read-only" in client.get("/search", params={"q": "police"}).text
        r = client.post("/search/save", data={**FORM, "token": "anything"})
        assert r.status_code == 403 and "read-only" in r.text
