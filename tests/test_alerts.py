"""Saved searches and alerts (issue 17): new matches notified once per channel (a signed webhook, an e-mail through
an SMTP server), spikes against their own baseline, `vigie alerts` commands; stores built without the NLP."""
from __future__ import annotations

import hashlib
import hmac
import json
import socketserver
import threading
from datetime import date, datetime, timedelta, timezone
from email import message_from_bytes
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
import typer
from typer.testing import CliRunner

from store_backends import store_fixture  # noqa: F401 - the `store` fixture
from vigie.alerts.command import alerts_app
from vigie.alerts.config import AlertConfig
from vigie.alerts.engine import check, check_after_poll
from vigie.alerts.notify import sign
from vigie.alerts.spikes import find_spikes, is_spike
from vigie.records import Article, EntityMention, Event
from vigie.store import SQLiteStore

SECRET = "s3cret"
NOW = datetime(2024, 3, 20, 12, 0, tzinfo=timezone.utc)


def article(id: str, text: str, published: str = "2024-03-20", entity: str | None = None,
            event: str | None = None) -> Article:
    art = Article(id=id, raw=text, text=text, title=f"Title {id}", language="fr", published=published,
                  source="lemonde.fr", url=f"https://example.org/{id}")
    if entity:
        art.entities = [EntityMention(text=entity, label="PER", start=0, end=len(entity), canonical=entity)]
    if event:
        art.events = [Event(type=event, mode=None, start=0, end=3, trigger=text.split()[0], evidence=text,
                            evidence_start=0, evidence_end=len(text))]
    return art


# ---------------------------------------------------------------- a webhook receiver and an SMTP sink


class Receiver:
    """An HTTP server on 127.0.0.1 in a thread, keeping every POST (headers, body)."""

    def __init__(self, status: int = 200):
        self.posts: list[tuple[dict[str, str], bytes]] = []
        self.status = status
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's name
                body = self.rfile.read(int(self.headers["Content-Length"]))
                outer.posts.append((dict(self.headers), body))
                self.send_response(outer.status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


class SMTPSink:
    """A minimal SMTP server (EHLO, MAIL, RCPT, DATA, QUIT) on 127.0.0.1 in a thread, keeping each message."""

    def __init__(self) -> None:
        self.messages: list[tuple[str, list[str], bytes]] = []
        outer = self

        class Handler(socketserver.StreamRequestHandler):
            def handle(self) -> None:
                self.say("220 sink ESMTP")
                sender, rcpts = "", []
                while line := self.rfile.readline():
                    cmd = line.decode().strip()
                    verb = cmd.split(" ", 1)[0].upper()
                    if verb in ("EHLO", "HELO"):
                        self.say("250 sink")
                    elif verb == "MAIL":
                        sender, rcpts = cmd[10:].strip("<> "), []
                        self.say("250 ok")
                    elif verb == "RCPT":
                        rcpts.append(cmd[8:].strip("<> "))
                        self.say("250 ok")
                    elif verb == "DATA":
                        self.say("354 go on")
                        data = b""
                        while (chunk := self.rfile.readline()) not in (b".\r\n", b""):
                            data += chunk[1:] if chunk.startswith(b"..") else chunk
                        outer.messages.append((sender, rcpts, data))
                        self.say("250 queued")
                    elif verb == "QUIT":
                        self.say("221 bye")
                        return
                    else:
                        self.say("250 ok")

            def say(self, text: str) -> None:
                self.wfile.write(text.encode() + b"\r\n")

        self.server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    r = Receiver()
    yield r
    r.close()


@pytest.fixture
def sink():
    s = SMTPSink()
    yield s
    s.close()


# ---------------------------------------------------------------- the store


def test_saved_searches_in_the_store(store):
    store.upsert_article(article("old000000001", "Grève à Paris"))
    row = store.save_search("grèves", "grève", filters={"kinds": ["article"]}, notify={"webhooks": ["http://x"]})
    assert row["last_seq"] == store.max_article_seq() > 0  # only what comes next is new
    assert row["filters"] == {"kinds": ["article"]} and row["notify"] == {"webhooks": ["http://x"]}
    again = store.save_search("grèves", "grève OR manifestation")
    assert again["id"] == row["id"] and again["query"] == "grève OR manifestation" and store.count_saved_searches() == 1
    assert store.record_alerts_sent(row["id"], "print", [("article", "a", "a"), ("article", "a", "a")]) == 1
    assert store.alerts_sent_keys(row["id"], "print") == {("article", "a")}
    with pytest.raises(ValueError):
        store.save_search(" ", "x")
    assert store.delete_saved_search("grèves") and not store.delete_saved_search("grèves")
    assert store.list_saved_searches() == [] and store.list_alerts_sent() == []


# ---------------------------------------------------------------- new matches


def test_webhook_gets_each_new_match_once_signed(store, receiver):
    store.upsert_article(article("old000000001", "Grève des cheminots"))
    store.save_search("grèves", "grève", notify={"webhooks": [receiver.url]})
    config = AlertConfig(base_url="https://vigie.example", webhook_secret=SECRET)
    assert check(store, NOW, config=config) == []  # the article stored before the search is not new
    store.upsert_article(article("new000000001", "Grève des enseignants", entity="Jean Dupont"))
    store.upsert_article(article("new000000002", "Le beau temps revient"))
    sent = check(store, NOW, config=config)
    assert [s.ok for s in sent] == [True] and sent[0].channel == f"webhook:{receiver.url}"
    assert len(receiver.posts) == 1
    headers, body = receiver.posts[0]
    expected = "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
    assert headers["X-Vigie-Signature"] == expected == sign(body, SECRET)
    payload = json.loads(body)
    assert payload["search"] == "grèves" and payload["kind"] == "matches"
    assert [a["id"] for a in payload["articles"]] == ["new000000001"]
    assert payload["articles"][0]["link"] == "https://vigie.example/articles/new000000001"
    assert payload["articles"][0]["url"] == "https://example.org/new000000001"
    assert payload["link"].startswith("https://vigie.example/search?q=")
    # a second run: nothing new, nothing sent; a third article is sent alone
    assert check(store, NOW, config=config) == []
    store.upsert_article(article("new000000003", "Nouvelle grève demain"))
    assert len(check(store, NOW, config=config)) == 1
    assert [a["id"] for a in json.loads(receiver.posts[1][1])["articles"]] == ["new000000003"]
    assert len(receiver.posts) == 2
    assert store.get_saved_search("grèves")["last_checked"] is not None


def test_a_failing_target_gets_the_alert_again_and_others_not_twice(tmp_path, receiver):
    down = Receiver(status=503)
    try:
        with SQLiteStore(tmp_path / "v.db") as store:
            store.save_search("grèves", "grève", notify={"webhooks": [receiver.url, down.url]})
            store.upsert_article(article("new000000001", "Grève générale"))
            config = AlertConfig(webhook_secret=SECRET, webhook_retries=1)
            first = check(store, NOW, config=config)
            assert sorted(s.ok for s in first) == [False, True] and len(down.posts) == 2  # retried once
            down.status = 200
            second = check(store, NOW, config=config)
            assert [(s.channel, s.ok) for s in second] == [(f"webhook:{down.url}", True)]
            assert len(receiver.posts) == 1 and len(down.posts) == 3
            assert check(store, NOW, config=config) == []
    finally:
        down.close()


def test_email_through_smtp_lists_the_articles_and_links(tmp_path, sink):
    with SQLiteStore(tmp_path / "v.db") as store:
        store.save_search("macron", "Macron", notify={"emails": ["desk@example.org"]})
        store.upsert_article(article("new000000001", "Emmanuel Macron parle", entity="Emmanuel Macron"))
        config = AlertConfig(base_url="https://vigie.example", smtp_host="127.0.0.1", smtp_port=sink.port,
                             smtp_from="alerts@example.org")
        sent = check(store, NOW, config=config)
        assert [(s.channel, s.ok) for s in sent] == [("email:desk@example.org", True)]
        assert len(sink.messages) == 1
        sender, rcpts, data = sink.messages[0]
        assert sender == "alerts@example.org" and rcpts == ["desk@example.org"]
        msg = message_from_bytes(data)
        assert "[vigie]" in msg["Subject"] and "Macron" in msg["Subject"]
        text = msg.get_payload(decode=True).decode()
        assert "Title new000000001" in text and "https://vigie.example/articles/new000000001" in text
        assert "https://example.org/new000000001" in text
        assert check(store, NOW, config=config) == [] and len(sink.messages) == 1


def test_filters_kinds_and_dry_run(store):
    store.save_search("events", "grève", filters={"kinds": ["event"]})
    store.upsert_article(article("new000000001", "Grève des cheminots"))  # no event: not a match
    store.upsert_article(article("new000000002", "Grève des pilotes", event="STRIKE"))
    dry = check(store, NOW, config=AlertConfig(), dry_run=True)
    assert [s.line().startswith("would send") for s in dry] == [True]
    assert [a["id"] for a in dry[0].alert.articles] == ["new000000002"] and dry[0].alert.counts == {"event": 1}
    assert store.get_saved_search("events")["last_seq"] == 0 or store.list_alerts_sent() == []
    sent = check(store, NOW, config=AlertConfig())
    assert [(s.channel, s.ok) for s in sent] == [("print", True)]
    assert check(store, NOW, config=AlertConfig()) == []


def test_watch_hook_logs_one_line(tmp_path):
    lines: list[tuple[str, bool]] = []
    with SQLiteStore(tmp_path / "v.db") as store:
        check_after_poll(store, lambda m, p: lines.append((m, p)))
        assert lines == []  # no saved search: nothing at all
        store.save_search("grèves", "grève")
        store.upsert_article(article("new000000001", "Grève générale"))
        check_after_poll(store, lambda m, p: lines.append((m, p)))
    assert len(lines) == 1 and lines[0][0].startswith("alerts: 1 sent, 0 failed") and not lines[0][1]


# ---------------------------------------------------------------- spikes


def test_spike_rule():
    assert is_spike(3, [0] * 14)  # never named, now 3 times
    assert not is_spike(2, [0] * 14)  # under the minimum count
    assert not is_spike(6, [4, 5, 6, 3, 5, 4, 6, 5, 4, 5, 6, 4, 5, 5])  # usual
    assert is_spike(15, [4, 5, 6, 3, 5, 4, 6, 5, 4, 5, 6, 4, 5, 5])


def test_spikes_against_their_own_baseline(tmp_path, receiver):
    day = NOW.date()
    with SQLiteStore(tmp_path / "v.db") as store:
        n = 0
        for back in range(1, 15):  # Dupont once a day, Durand never
            n += 1
            store.upsert_article(article(f"a{n:011d}", "Texte", published=(day - timedelta(days=back)).isoformat(),
                                         entity="Jean Dupont"))
        for _ in range(2):
            n += 1
            store.upsert_article(article(f"a{n:011d}", "Texte", published=day.isoformat(), entity="Jean Dupont"))
        for _ in range(4):
            n += 1
            store.upsert_article(article(f"a{n:011d}", "Texte", published=day.isoformat(), entity="Marie Durand",
                                         event="PROTEST"))
        spikes = find_spikes(store, {"top": True}, day)
        assert {(s.dimension, s.name, s.today) for s in spikes} == {("entity", "Marie Durand", 4),
                                                                  ("type", "PROTEST", 4)}
        assert find_spikes(store, {"entities": ["Jean Dupont"]}, day) == []
        assert find_spikes(store, {"entities": ["Jean Dupont"], "k": 0.5, "min_count": 2}, day)[0].today == 2
        assert find_spikes(store, {"entities": ["Marie Durand"]}, date(2024, 3, 21)) == []  # next day: nothing
        store.save_search("pics", "introuvable", spikes={"entities": ["Marie Durand"]},
                          notify={"webhooks": [receiver.url]})
        sent = check(store, NOW, config=AlertConfig(base_url="https://v.example"))
        assert [s.alert.kind for s in sent] == ["spike"]
        payload = json.loads(receiver.posts[0][1])
        assert payload["spike"]["name"] == "Marie Durand" and payload["spike"]["today"] == 4
        assert len(payload["articles"]) == 4 and payload["link"] == "https://v.example/entities/Marie%20Durand"
        assert check(store, NOW, config=AlertConfig()) == []  # once per day


# ---------------------------------------------------------------- the commands


def test_cli_save_list_run_delete(tmp_path, receiver):
    app = typer.Typer()
    app.add_typer(alerts_app, name="alerts")
    runner = CliRunner()
    db = str(tmp_path / "v.db")
    result = runner.invoke(app, ["alerts", "save", "grèves", "grève", "--kind", "article", "--webhook", receiver.url,
                                 "--spikes", "--db", db])
    assert result.exit_code == 0, result.output
    assert runner.invoke(app, ["alerts", "save", "x", "y", "--kind", "nope", "--db", db]).exit_code == 2
    listed = runner.invoke(app, ["alerts", "list", "--db", db])
    assert listed.exit_code == 0 and "grèves" in listed.output and receiver.url in listed.output
    with SQLiteStore(db) as store:
        store.upsert_article(article("new000000001", "Grève générale"))
    dry = runner.invoke(app, ["alerts", "run", "--dry-run", "--db", db])
    assert dry.exit_code == 0 and dry.output.count("would send") == 1 and receiver.posts == []
    run = runner.invoke(app, ["alerts", "run", "--db", db])
    assert run.exit_code == 0, run.output
    assert run.output.count("sent grèves") == 1 and len(receiver.posts) == 1
    assert "nothing new" in runner.invoke(app, ["alerts", "run", "--db", db]).output
    assert runner.invoke(app, ["alerts", "delete", "grèves", "--db", db]).exit_code == 0
    assert runner.invoke(app, ["alerts", "delete", "grèves", "--db", db]).exit_code == 1
