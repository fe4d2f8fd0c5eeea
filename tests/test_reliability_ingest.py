"""Reliability of reading, cleaning and exporting (issue 10): hostile JSONL lines, a source that fails in an
unexpected way, content ids taken after repair, one spreadsheet-formula guard for every CSV/TSV writer,
the repeated-line learner on folders of unrelated files, and sitemaps / other XML refused while feeds and WARC
archives are told by their content (read in tests/test_feed_files.py and tests/test_warc.py)."""
from __future__ import annotations

import csv
import gzip
import io
import json
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

from test_store_reads import rennes
from vigie.export import export
from vigie.export.common import guard_formula
from vigie.ingest import content_id, count_inputs, read_inputs
from vigie.ingest import files as ingest_files
from vigie.ingest import jsonl as ingest_jsonl
from vigie.records import Article, ArticleError, EntityMention
from vigie.steps.clean import clean_step
from vigie.store import SQLiteStore

ARTICLE = (
    "Le conseil municipal de Besançon a voté mercredi une hausse de 3 % des tarifs des cantines scolaires.\n"
    "« C'est une décision difficile mais nécessaire », a déclaré la maire, Anne Vignot, à l'issue du vote.\n"
    "L'opposition dénonce une mesure « injuste » pour les familles modestes et réclame un tarif social.\n"
)
OTHER = (
    "À Marseille, les marins-pompiers ont maîtrisé jeudi soir un incendie dans le massif des Calanques.\n"
    "Près de 40 hectares de garrigue ont brûlé ; aucun blessé n'est à déplorer, selon la préfecture.\n"
)


def read_all(*inputs: str | Path, **kwargs: object) -> list[Article | ArticleError]:
    return list(read_inputs([str(p) for p in inputs], **kwargs))  # type: ignore[arg-type]


def good_line(k: int) -> str:
    return json.dumps({"text": f"Article {k} : {OTHER}", "url": f"https://journal.example/{k}"}, ensure_ascii=False)


def kinds(results: list[Article | ArticleError]) -> list[str]:
    return ["A" if isinstance(r, Article) else "E" for r in results]


def set_stdin(monkeypatch: pytest.MonkeyPatch, stream: object) -> None:
    monkeypatch.setattr(sys, "stdin", SimpleNamespace(buffer=stream))


# --- 1. per-record isolation in the readers ----------------------------------------------------------

# Lines that used to end the run with a traceback (losing the good line before them too).
HOSTILE_LINES = {
    "5,000-digit integer": '{"text": "Un article.", "n": ' + "7" * 5000 + "}",
    "negative 5,000-digit integer": '{"text": "Un article.", "n": -' + "7" * 5000 + "}",
    "100,000 nested brackets": "[" * 100_000,
    "nested objects": '{"a":' * 50_000 + "1" + "}" * 50_000,
    # decodes, but deeper than anything downstream (pickling for a worker, the store's JSON) can take
    "extra field 600 levels deep": '{"text": "Un article.", "extra": ' + "[" * 600 + "]" * 600 + "}",
}


def _hostile_jsonl() -> tuple[bytes, list[str]]:
    """Good lines around each hostile line (and a plainly malformed one): the bytes, the expected kinds."""
    lines, expected = [good_line(0)], ["A"]
    for k, bad in enumerate([*HOSTILE_LINES.values(), "pas du json"], start=1):
        lines += [bad, good_line(k)]
        expected += ["E", "A"]
    return ("\n".join(lines) + "\n").encode("utf-8"), expected


@pytest.mark.parametrize("how", ["file", "gzip", "stdin"])
def test_hostile_jsonl_lines_are_line_errors_and_every_good_line_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, how: str
) -> None:
    data, expected = _hostile_jsonl()
    if how == "stdin":
        set_stdin(monkeypatch, io.BytesIO(data))
        results, origin = read_all("-"), "<stdin>"
    else:
        path = tmp_path / ("in.jsonl.gz" if how == "gzip" else "in.jsonl")
        path.write_bytes(gzip.compress(data) if how == "gzip" else data)
        results, origin = read_all(path), str(path)
        assert count_inputs([str(path)]) == len(expected)  # the progress bar's total still matches
    assert kinds(results) == expected
    assert [r.origin for r in results] == [f"{origin}:{n}" for n in range(1, len(expected) + 1)]
    assert [r.title or r.raw.split(" :")[0] for r in results if isinstance(r, Article)] == [
        f"Article {k}" for k in range(len(HOSTILE_LINES) + 2)
    ]
    reasons = [r.reason for r in results if isinstance(r, ArticleError)]
    assert all(r.stage == "read" for r in results if isinstance(r, ArticleError))
    assert reasons == [
        "malformed JSON: a number has more than 4300 digits",
        "malformed JSON: a number has more than 4300 digits",
        "malformed JSON: nested too deeply",
        "malformed JSON: nested too deeply",
        "JSON nested more than 100 levels deep",
        "malformed JSON: Expecting value (column 1)",
    ]


def test_an_unexpected_failure_on_one_jsonl_record_is_that_lines_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = ingest_jsonl.parse_record

    def flaky(record: dict, **kwargs: object) -> Article | ArticleError:
        if record.get("url", "").endswith("/1"):
            raise KeyError("a bug in a reader")
        return real(record, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(ingest_jsonl, "parse_record", flaky)
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join(good_line(k) for k in range(3)) + "\n", encoding="utf-8")
    results = read_all(path)
    assert kinds(results) == ["A", "E", "A"]
    assert results[1].origin == f"{path}:2"
    assert results[1].reason == "unreadable line (KeyError: 'a bug in a reader')"


def test_an_unexpected_failure_on_one_file_is_that_files_error_and_the_run_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_text = ingest_files.read_text

    def text_reader(text: str, **kwargs: object) -> Article | ArticleError:
        if "Marseille" in text:
            raise RuntimeError("boom")
        return real_text(text, **kwargs)  # type: ignore[arg-type]

    def html_reader(html: str, **kwargs: object) -> Article | ArticleError:
        raise MemoryError

    monkeypatch.setattr(ingest_files, "read_text", text_reader)
    monkeypatch.setattr(ingest_files, "read_html", html_reader)
    folder = tmp_path / "news"
    folder.mkdir()
    (folder / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (folder / "b.txt").write_text(OTHER, encoding="utf-8")
    (folder / "c.html").write_text("<!DOCTYPE html><html><body><p>page</p></body></html>", encoding="utf-8")
    (folder / "d.txt").write_text(ARTICLE + "Fin.\n", encoding="utf-8")
    last = tmp_path / "e.txt"
    last.write_text(ARTICLE + "Encore.\n", encoding="utf-8")
    results = read_all(folder, tmp_path / "nul\0byte.txt", last)
    assert kinds(results) == ["A", "E", "E", "A", "E", "A"]
    assert [r.origin for r in results] == [
        str(folder / n) for n in ("a.txt", "b.txt", "c.html", "d.txt")
    ] + [str(tmp_path / "nul\0byte.txt"), str(last)]
    assert results[1].reason == "could not be read (RuntimeError: boom)"
    assert results[2].reason == "could not be read (out of memory)"
    assert results[4].reason == "could not be read (ValueError: embedded null byte)"


def test_a_stream_failing_midway_keeps_the_lines_read_before(monkeypatch: pytest.MonkeyPatch) -> None:
    class Failing(io.RawIOBase):
        """A pipe that breaks after `good` bytes."""

        def __init__(self, data: bytes, good: int) -> None:
            self.data, self.good, self.pos = data, good, 0

        def read(self, size: int = -1) -> bytes:
            if self.pos >= self.good:
                raise RuntimeError("connection reset")
            chunk = self.data[self.pos : min(self.good, self.pos + (size if size >= 0 else len(self.data)))]
            self.pos += len(chunk)
            return chunk

    lines = [json.dumps({"text": f"Article {k} : " + OTHER * 10}, ensure_ascii=False).encode() for k in range(6)]
    data = b"\n".join(lines) + b"\n"
    set_stdin(monkeypatch, Failing(data, good=len(lines[0]) * 3 + 100))  # breaks inside the fourth line
    results = read_all("-")
    assert kinds(results) == ["A", "A", "A", "E"]
    assert results[3].origin == "<stdin>" and results[3].reason == "could not be read (RuntimeError: connection reset)"


# --- 2. content ids from the repaired text -----------------------------------------------------------


def test_the_same_text_gets_one_id_whatever_its_encoding_or_damage(tmp_path: Path) -> None:
    variants = {
        "utf8.txt": ARTICLE.encode("utf-8"),
        "utf16.txt": ARTICLE.encode("utf-16"),
        "crlf.txt": ARTICLE.replace("\n", "\r\n").encode("utf-8"),
        # harmless control characters and a terminal escape, which the cleaning step removes
        "control-ok.txt": ARTICLE.replace("mercredi", "mercredi\x07").replace("vote.", "vote.\x1b[0m\x7f").encode(),
        # UTF-8 read as cp1252 and saved again as UTF-8: "Besançon" became "BesanÃ§on"
        "mojibake.txt": ARTICLE.encode("utf-8").decode("cp1252").encode("utf-8"),
        "cp1252.txt": ARTICLE.encode("cp1252"),
    }
    for name, data in variants.items():
        (tmp_path / name).write_bytes(data)
    results = read_all(*(tmp_path / name for name in variants))
    assert all(isinstance(r, Article) for r in results), results
    assert {r.origin.rsplit("/", 1)[-1]: r.id for r in results} == dict.fromkeys(variants, content_id(ARTICLE))
    assert "BesanÃ§on" in results[4].raw  # the raw text stays as read; the id is taken after repair
    cleaned = list(clean_step(results))
    assert {a.text for a in cleaned} == {ARTICLE.strip()}


def test_jsonl_ids_given_stay_and_content_ids_match_the_files(tmp_path: Path) -> None:
    mojibake = ARTICLE.encode("utf-8").decode("cp1252")
    path = tmp_path / "in.jsonl"
    path.write_text(
        json.dumps({"id": "AFP-1/x", "text": mojibake}, ensure_ascii=False) + "\n"
        + json.dumps({"text": mojibake}, ensure_ascii=False) + "\n",
        encoding="utf-8",
    )
    given, derived = read_all(path)
    assert (given.id, given.id_given) == ("AFP-1/x", True)
    assert (derived.id, derived.id_given) == (content_id(ARTICLE), False)


def test_content_id_of_clean_text_is_unchanged() -> None:
    # ids of text with nothing to repair are what they were: sha256 of the stripped text
    import hashlib

    assert content_id(ARTICLE) == hashlib.sha256(ARTICLE.strip().encode("utf-8")).hexdigest()[:16]
    assert len(content_id("Un texte\ud800 avec une moitié de paire")) == 16  # a lone surrogate never raises


# --- 3. one formula guard for every CSV/TSV writer ---------------------------------------------------

EVIL = {
    "title": '=HYPERLINK("http://evil.example","clic")',
    "source": "@SUM(1+1)",
    "actor": "+cmd|' /C calc'!A0",
    "target": "-2+3+cmd",
    "person": "=1+2",
}


def test_guard_formula_guards_text_and_leaves_numbers() -> None:
    for text in ("=1+1", "+1", "-1", "@x", "\tx", "\rx"):
        assert guard_formula(text) == "'" + text
    for value in (-1, -2.5, 0, None, True, "Rennes", "1-2", "", "'=déjà"):
        assert guard_formula(value) == value


@pytest.fixture
def evil_store(tmp_path: Path) -> SQLiteStore:
    art = rennes()
    art.title, art.source = EVIL["title"], EVIL["source"]
    art.events[1].source, art.events[1].target = EVIL["actor"], EVIL["target"]
    art.events[1].size = -5.0  # a negative number: it must stay a number
    start = art.text.index("Élisabeth Borne")
    art.entities.append(EntityMention(text="Élisabeth Borne", label="PER", start=start, end=start + 15,
                                      canonical=EVIL["person"]))
    art.entities = [e for e in art.entities if e.canonical != "Élisabeth Borne"]
    store = SQLiteStore(tmp_path / "evil.db")
    store.upsert_article(art)
    yield store
    store.close()


def _starts_like_a_formula(cell: str) -> bool:
    return cell.startswith(("=", "+", "@", "\t", "\r")) or (cell.startswith("-") and not _number(cell))


def _number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


def test_csv_export_guards_text_cells(evil_store: SQLiteStore, tmp_path: Path) -> None:
    out = tmp_path / "events.csv"
    export(evil_store, "csv", out)
    rows = list(csv.DictReader(out.open(encoding="utf-8", newline="")))
    assert not [c for r in rows for c in r.values() if _starts_like_a_formula(c)]
    coerce = next(r for r in rows if r["type"] == "COERCE")
    assert (coerce["article_title"], coerce["source_name"]) == ("'" + EVIL["title"], "'" + EVIL["source"])
    assert (coerce["source"], coerce["target"]) == ("'" + EVIL["actor"], "'" + EVIL["target"])
    assert coerce["size"] == "-5.0"  # a number, not text


def test_polecat_and_gkg_exports_guard_text_cells(evil_store: SQLiteStore, tmp_path: Path) -> None:
    export(evil_store, "polecat", tmp_path / "p.tsv")
    rows = list(csv.DictReader((tmp_path / "p.tsv").open(encoding="utf-8", newline=""), delimiter="\t"))
    assert not [c for r in rows for c in r.values() if _starts_like_a_formula(c)]
    arrest = next(r for r in rows if r["Event Type"] == "COERCE")
    assert (arrest["Actor Name"], arrest["Recipient Name"]) == ("'" + EVIL["actor"], "'" + EVIL["target"])
    assert (arrest["Source"], arrest["Story People"]) == ("'" + EVIL["source"], "'" + EVIL["person"])
    assert (arrest["Longitude"], arrest["Event Intensity"]) == ("-1.68", "-7")  # numbers stay numbers

    export(evil_store, "gkg", tmp_path / "g.tsv")
    header, row = (line.split("\t") for line in (tmp_path / "g.tsv").read_text(encoding="utf-8").splitlines())
    cells = dict(zip(header, row, strict=True))
    assert not [c for c in row if _starts_like_a_formula(c)]
    assert cells["SourceCommonName"] == "'" + EVIL["source"]
    assert cells["Persons"].startswith("'" + EVIL["person"])


def test_the_web_csv_uses_the_same_guard() -> None:
    """/events.csv writes the one events table (vigie.export.events_table), whose text cells are guarded."""
    from vigie.export import events_table
    from vigie.web import pages

    assert pages.csv_cells is events_table.csv_cells and pages.listed_event_rows is events_table.listed_event_rows
    assert "guard_formula" in events_table.__dict__ and events_table.guard_formula is guard_formula


# --- 4. the repeated-line learner and folders of unrelated files -------------------------------------

# Four unrelated articles (different towns, subjects, words) that happen to quote the same sentence.
UNRELATED = [
    ("Le tribunal administratif de Lyon a suspendu lundi l'arrêté municipal interdisant les terrasses "
     "chauffées, estimant que la commune n'avait pas justifié l'urgence de la mesure.",
     "Les restaurateurs du quartier de la Croix-Rousse avaient saisi la justice dès la publication du texte, "
     "qui devait entrer en vigueur le premier décembre."),
    ("Plus de trois cents coureurs ont pris samedi le départ du trail des Crêtes, dans les Vosges, sous une "
     "pluie battante qui a rendu les descentes particulièrement glissantes.",
     "Le vainqueur, un Alsacien de vingt-six ans, a bouclé les quarante-deux kilomètres en un peu moins de "
     "quatre heures, devant deux coureurs suisses."),
    ("La récolte de châtaignes s'annonce médiocre en Ardèche après un été marqué par la sécheresse, selon "
     "la chambre d'agriculture, qui évoque une baisse de moitié des volumes.",
     "Les producteurs demandent l'ouverture d'un fonds de soutien et craignent que les transformateurs ne "
     "se tournent vers des fruits importés d'Italie ou d'Espagne."),
    ("Le musée des Beaux-Arts de Rouen rouvre ses portes mardi après dix-huit mois de travaux consacrés à "
     "la rénovation de sa toiture et de ses salles consacrées aux impressionnistes.",
     "Une exposition temporaire présentera d'ici le printemps une trentaine de toiles prêtées par des "
     "collections privées, dont plusieurs jamais montrées au public."),
]
SHARED = "Le préfet a rappelé que la sécurité des habitants restait la priorité absolue de l'État."


def _unrelated(origin_of, *, shared_at: str) -> list[Article]:
    arts = []
    for k, (first, second) in enumerate(UNRELATED):
        lines = [first, SHARED, second] if shared_at == "middle" else [first, second, SHARED]
        arts.append(Article(id=f"u{k}", raw="\n".join(lines), origin=origin_of(k)))
    return arts


@pytest.mark.parametrize("shared_at", ["middle", "end"])
@pytest.mark.parametrize("origin_of", [lambda k: f"/home/me/articles/{k}.txt", lambda k: f"<stdin>:{k + 1}",
                                       lambda k: f"/home/me/export.jsonl:{k + 1}"], ids=["folder", "stdin", "jsonl"])
def test_a_sentence_shared_by_unrelated_local_files_is_kept(origin_of, shared_at: str) -> None:
    out = list(clean_step(_unrelated(origin_of, shared_at=shared_at)))
    assert all(isinstance(a, Article) for a in out)
    for art, source in zip(out, _unrelated(origin_of, shared_at=shared_at), strict=True):
        assert art.removed_lines == [] and art.text == source.raw


def test_one_sites_pages_in_a_folder_still_lose_their_chrome() -> None:
    menu = ["Accueil", "Régions", "Faits divers", "Sports", "Météo"]
    footer = [
        # prose-like, site-specific (no rule knows it): learned because it sits in the page's footer block
        "Le Courrier de l'Est est édité par la société Presse Régionale Nouvelle, au capital de dix mille euros.",
        "Plan du site",
        "Nous écrire",
    ]
    pages = [Article(id=f"p{k}", raw="\n".join([*menu, *UNRELATED[k], *footer]), origin=f"/crawl/courrier/{k}.txt")
             for k in range(4)]
    out = list(clean_step(pages))
    for art, (first, second) in zip(out, UNRELATED, strict=True):
        assert art.text == f"{first}\n{second}"
        assert {r.text for r in art.removed_lines} == set(menu + footer)
        learned = {r.text for r in art.removed_lines if r.reason == "repeated-in-source"}
        assert footer[0] in learned and "Faits divers" in learned  # not rule-flagged: learned


# --- 5. sitemaps and other XML are refused, feeds and WARC archives told by their content, never stored as text ---

RSS = """<?xml version="1.0" encoding="UTF-8"?>
<?xml-stylesheet type="text/xsl" href="rss.xsl"?>
<!-- generated -->
<rss version="2.0"><channel><title>Le Quotidien</title>
<item><title>Grève</title><link>https://lequotidien.example/greve</link><description>Les cheminots...</description></item>
</channel></rss>
"""
ATOM = ('<?xml version="1.0"?>\n<feed xmlns="http://www.w3.org/2005/Atom"><title>Blog</title>'
        "<entry><title>Billet</title></entry></feed>\n")
RDF = ('<?xml version="1.0"?>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
       'xmlns="http://purl.org/rss/1.0/"><channel/></rdf:RDF>\n')
SITEMAP = ('<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
           "<url><loc>https://lequotidien.example/greve</loc></url></urlset>\n")
SITEMAP_INDEX = '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><sitemap/></sitemapindex>'
TEI = '<?xml version="1.0"?>\n<TEI xmlns="http://www.tei-c.org/ns/1.0"><text>Un texte.</text></TEI>\n'
WARC = (b"WARC/1.0\r\nWARC-Type: response\r\nContent-Type: application/http; msgtype=response\r\n"
        b"Content-Length: 40\r\n\r\nHTTP/1.1 200 OK\r\n\r\n\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\r\n\r\n")
XHTML = ('<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" '
         '"http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd">\n<html xmlns="http://www.w3.org/1999/xhtml">'
         "<head><title>Grève</title></head><body><article><p>" + ARTICLE + "</p></article></body></html>\n")

FEED_OR_PAGES = "give the article pages (HTML files) or a JSONL export of the articles"


def teasers(example: str) -> str:
    return (f"1 of 1 feed entries have no article text (under 400 characters, or cut with an ellipsis: a headline or "
            f"teaser), e.g. {example}; `vigie watch` fetches the pages")


# Feeds are read (vigie.ingest.feed); these carry headlines and teasers only: one error for the feed.
FEEDS = {
    "feed.xml": (RSS, teasers("https://lequotidien.example/greve")),
    "feed.rss": (RSS, teasers("https://lequotidien.example/greve")),
    "feed.txt": (RSS, teasers("https://lequotidien.example/greve")),  # sniffed, whatever the name
    "blog.atom": (ATOM, teasers("Billet")),
    "rss1": (RDF, "feed without entries"),
    "utf16-feed.xml": (RSS.encode("utf-16"), teasers("https://lequotidien.example/greve")),
}
REFUSED = {
    "sitemap.xml": (SITEMAP, f"XML sitemap: sitemaps are not read yet; {FEED_OR_PAGES}"),
    "sitemap.xml.gz": (gzip.compress(SITEMAP.encode()), f"XML sitemap: sitemaps are not read yet; {FEED_OR_PAGES}"),
    "sitemaps.html": (SITEMAP_INDEX, f"XML sitemap: sitemaps are not read yet; {FEED_OR_PAGES}"),
    "corpus.xml": (TEI, "XML document (root element <TEI>): XML files are not read; give plain text, HTML pages "
                        "or a JSONL export"),
}
# WARC archives are read (vigie.ingest.warc), whatever their name; this one's single record is cut short.
WARC_REASON = "truncated WARC archive after 0 records: the record at byte 0 ends early (20 of 21 payload bytes)"
WARCS = {"crawl.warc": WARC, "crawl.warc.gz": gzip.compress(WARC), "crawl-00001": WARC, "dump.gz": gzip.compress(WARC)}


def test_sitemaps_and_xml_are_refused_feeds_and_warc_read_and_pages_still_read(tmp_path: Path) -> None:
    folder = tmp_path / "crawl"
    folder.mkdir()
    for name, (data, _) in {**REFUSED, **FEEDS}.items():
        if isinstance(data, bytes):
            (folder / name).write_bytes(data)
        else:
            (folder / name).write_text(data, encoding="utf-8")
    for name, data in WARCS.items():
        (folder / name).write_bytes(data)
    (folder / "page.xml").write_text(XHTML, encoding="utf-8")  # XHTML is HTML, whatever its extension
    (folder / "page.html").write_text(XHTML.split("\n", 1)[1], encoding="utf-8")
    (folder / "article.txt").write_text(ARTICLE, encoding="utf-8")
    results = {Path(r.origin).name: r for r in read_all(folder)}
    expected = {name: reason for name, (_, reason) in {**REFUSED, **FEEDS}.items()} | dict.fromkeys(WARCS, WARC_REASON)
    assert {name: r.reason for name, r in results.items() if isinstance(r, ArticleError)} == expected
    assert {name for name, r in results.items() if isinstance(r, Article)} == {"page.xml", "page.html", "article.txt"}
    assert results["page.xml"].title == "Grève" and "Besançon" in results["page.xml"].raw


def test_warc_feeds_and_xml_are_not_held_to_the_article_size_limit(tmp_path: Path) -> None:
    big = tmp_path / "big.warc.gz"  # an archive and a feed are batches of articles: each is held to the limit
    big.write_bytes(gzip.compress(WARC) + b"\x00" * 20_000)
    feed = tmp_path / "big.xml"
    feed.write_text(RSS + "<!--" + "x" * 20_000 + "-->", encoding="utf-8")
    sitemap = tmp_path / "sitemap.xml"  # refused from its first bytes with a better reason than its size
    sitemap.write_text(SITEMAP + "<!--" + "x" * 20_000 + "-->", encoding="utf-8")
    got = read_all(big, feed, sitemap, max_bytes=10_000)
    assert [r.reason for r in got] == [
        "corrupt WARC archive after 0 records: unreadable data (OSError: Gzip decompression error: data error)",
        FEEDS["feed.xml"][1],
        REFUSED["sitemap.xml"][1],
    ]


@pytest.mark.parametrize("data,reason", [
    (RSS.encode(), FEEDS["feed.xml"][1]),
    (gzip.compress(SITEMAP.encode()), REFUSED["sitemap.xml"][1]),
    (WARC, WARC_REASON),
    (gzip.compress(WARC), WARC_REASON),
], ids=["rss", "sitemap-gz", "warc", "warc-gz"])
def test_feeds_warc_and_sitemaps_on_stdin_are_told_by_their_content(
    monkeypatch: pytest.MonkeyPatch, data: bytes, reason: str
) -> None:
    set_stdin(monkeypatch, io.BytesIO(data))
    (result,) = read_all("-")
    assert isinstance(result, ArticleError) and (result.origin, result.reason) == ("<stdin>", reason)


def test_a_feed_in_a_jsonl_html_field_is_that_lines_error(tmp_path: Path) -> None:
    path = tmp_path / "in.jsonl"
    path.write_text(
        json.dumps({"id": "f", "html": RSS}) + "\n" + good_line(1) + "\n"
        + json.dumps({"html": "<p>" + ARTICLE + "</p>"}, ensure_ascii=False) + "\n",
        encoding="utf-8",
    )
    feed, good, fragment = read_all(path)
    feed_reason = "RSS feed: not an article page; give the feed as a file of its own (.rss, .atom, .xml)"
    assert isinstance(feed, ArticleError) and (feed.reason, feed.article_id) == (feed_reason, "f")
    assert isinstance(good, Article) and isinstance(fragment, Article)  # an HTML fragment is still read
