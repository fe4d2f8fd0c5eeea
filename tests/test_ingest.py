"""Readers: files, folders, JSONL, HTML, gzip, stdin, and every kind of bad input."""
from __future__ import annotations

import gzip
import io
import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

import pytest

from vigie.ingest import MAX_INPUT_BYTES, content_id, count_inputs, normalize_date, read_inputs
from vigie.ingest import files as ingest_files
from vigie.ingest.decode import binary_kind, decode_bytes
from vigie.ingest.limits import too_large_reason
from vigie.records import Article, ArticleError

FRENCH = (
    "Le conseil municipal de Besançon a voté mercredi une hausse de 3 % des tarifs des cantines scolaires.\n"
    "« C'est une décision difficile mais nécessaire », a déclaré la maire, Anne Vignot, à l'issue du vote.\n"
    "L'opposition dénonce une mesure « injuste » pour les familles modestes et réclame un tarif social.\n"
)
FRENCH_2 = (
    "À Marseille, les marins-pompiers ont maîtrisé jeudi soir un incendie dans le massif des Calanques.\n"
    "Près de 40 hectares de garrigue ont brûlé ; aucun blessé n'est à déplorer, selon la préfecture.\n"
)
# Every accent below has a different byte in cp1250, the encoding charset-normalizer tends to guess.
CP1252_TEXT = (
    "Noël approche : où trouver des sapins à Besançon ? Voilà ce qu'il faut savoir…\n"
    "Les pépiniéristes du Doubs espèrent une saison «\u00a0record\u00a0» après deux années très difficiles.\n"
    "Œuvre collective, le marché de Noël ouvrira le 26 novembre sur la place de la Révolution.\n"
)

HTML_PAGE = """<!DOCTYPE html>
<html lang="fr">
<head>
<meta charset="utf-8">
<title>Grève à la SNCF : le trafic très perturbé jeudi | Le Quotidien</title>
<meta property="og:title" content="Grève à la SNCF : le trafic très perturbé jeudi">
<meta property="og:site_name" content="Le Quotidien">
<meta property="article:published_time" content="2022-01-12T10:00:00+01:00">
<meta name="author" content="Marie Dupont">
<link rel="canonical" href="https://www.lequotidien.example/economie/greve-sncf">
</head>
<body>
<nav><ul><li><a href="/">Accueil</a></li><li><a href="/politique">Politique</a></li>
<li><a href="/sport">Sport</a></li></ul></nav>
<article>
<h1>Grève à la SNCF : le trafic très perturbé jeudi</h1>
<p>Les syndicats de cheminots appellent à une grève nationale jeudi 13 janvier. La direction de la SNCF
prévoit un TGV sur trois et un TER sur deux en moyenne sur l'ensemble du territoire.</p>
<p>« Nous n'avons pas eu de réponse sur les salaires », a déclaré mercredi le secrétaire général de la
CGT-Cheminots à Paris. Le ministre des Transports appelle au dialogue et promet une réunion.</p>
<p>En Île-de-France, le RER B et le RER D seront les plus touchés, selon Île-de-France Mobilités, qui
conseille aux voyageurs de reporter leurs déplacements.</p>
</article>
<footer><p>© 2024 Le Quotidien — Mentions légales — Abonnez-vous à notre newsletter</p></footer>
</body>
</html>
"""

PNG_BYTES = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"


def read_all(*inputs: str | Path, **kwargs: object) -> list[Article | ArticleError]:
    return list(read_inputs([str(p) for p in inputs], **kwargs))  # type: ignore[arg-type]


def only(results: list[Article | ArticleError]) -> Article | ArticleError:
    assert len(results) == 1, results
    return results[0]


def article(results: list[Article | ArticleError]) -> Article:
    item = only(results)
    assert isinstance(item, Article), item
    return item


def error(results: list[Article | ArticleError]) -> ArticleError:
    item = only(results)
    assert isinstance(item, ArticleError), item
    assert item.stage == "read"
    return item


def write(path: Path, data: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8")
    else:
        path.write_bytes(data)
    return path


def jsonl(*records: object) -> str:
    return "".join((r if isinstance(r, str) else json.dumps(r, ensure_ascii=False)) + "\n" for r in records)


# --- ids -------------------------------------------------------------------------------


def test_content_id_is_16_hex_and_content_derived() -> None:
    cid = content_id(FRENCH)
    assert re.fullmatch(r"[0-9a-f]{16}", cid)
    assert content_id(FRENCH) == cid
    assert content_id(FRENCH_2) != cid


def test_content_id_ignores_line_ends_unicode_form_and_outer_whitespace() -> None:
    nfd = "Le pre\u0301fet de l'Ise\u0300re"  # decomposed accents
    nfc = "Le pr\u00e9fet de l'Is\u00e8re"
    assert content_id(nfd) == content_id(nfc)
    assert content_id("a\r\nb") == content_id("a\nb")
    assert content_id("  \n" + FRENCH + "\n\n") == content_id(FRENCH)
    assert content_id("a\n b") != content_id("a\nb")  # inner whitespace is content


# --- plain text, folders, idempotence --------------------------------------------------


def test_text_file_is_one_article_with_raw_as_decoded(tmp_path: Path) -> None:
    path = write(tmp_path / "besancon.txt", FRENCH)
    art = article(read_all(path))
    assert art.raw == FRENCH
    assert art.title is None  # no title line assumed
    assert art.id == content_id(FRENCH)
    assert art.id_given is False
    assert art.origin == str(path)
    assert art.meta["format"] == "text"
    assert art.meta["encoding"] == "utf-8"
    assert art.meta["encoding_repaired"] is False
    assert art.published is None


def test_same_content_same_id_whatever_the_file_name(tmp_path: Path) -> None:
    a = article(read_all(write(tmp_path / "a.txt", FRENCH)))
    b = article(read_all(write(tmp_path / "copie finale (2).md", FRENCH.replace("\n", "\r\n"))))
    assert a.id == b.id


def test_folder_is_walked_sorted_recursively_skipping_hidden(tmp_path: Path) -> None:
    write(tmp_path / "b.txt", FRENCH_2)
    write(tmp_path / "a.txt", FRENCH)
    write(tmp_path / "sub" / "c.txt", "Troisième article : la neige est tombée sur Lyon.")
    write(tmp_path / ".git" / "config", "[core]\n\tbare = false\n")
    write(tmp_path / ".brouillon.txt", "Brouillon à ne pas lire.")
    results = read_all(tmp_path)
    assert all(isinstance(r, Article) for r in results)
    assert [Path(r.origin).relative_to(tmp_path).as_posix() for r in results] == ["a.txt", "b.txt", "sub/c.txt"]


def test_folder_walk_skips_dataset_docs_and_does_not_loop(tmp_path: Path) -> None:
    write(tmp_path / "corpus" / "README.md", "# Corpus\nDescription du jeu de données.")
    write(tmp_path / "corpus" / "LICENSE", "CC BY 2.5")
    write(tmp_path / "corpus" / "a.txt", FRENCH)
    (tmp_path / "corpus" / "boucle").symlink_to(tmp_path / "corpus")  # would loop if followed
    (tmp_path / "corpus" / "casse.txt").symlink_to(tmp_path / "nulle-part")
    results = read_all(tmp_path / "corpus")
    seen = [(type(r).__name__, Path(r.origin).name) for r in results]
    assert seen == [("Article", "a.txt"), ("ArticleError", "casse.txt")]
    assert "broken symbolic link" in results[1].reason
    # Named explicitly, a README is read like any file.
    assert article(read_all(tmp_path / "corpus" / "README.md")).raw.startswith("# Corpus")


def test_count_inputs_matches_what_read_inputs_yields(tmp_path: Path) -> None:
    write(tmp_path / "a.txt", FRENCH)
    write(tmp_path / "b.png", PNG_BYTES)
    write(tmp_path / "c.jsonl", jsonl({"text": FRENCH}, "cassé", "", {"text": FRENCH_2}))
    write(tmp_path / "d.jsonl.gz", gzip.compress(jsonl({"text": FRENCH}).encode()))
    inputs = [str(tmp_path), str(tmp_path / "absent.txt")]
    assert count_inputs(inputs) == len(read_all(*inputs)) == 7
    assert count_inputs(["-"]) is None


def test_reading_the_same_folder_twice_gives_the_same_ids(tmp_path: Path) -> None:
    write(tmp_path / "a.txt", FRENCH)
    write(tmp_path / "page.html", HTML_PAGE)
    write(tmp_path / "batch.jsonl", jsonl({"text": FRENCH_2}, {"id": "x1", "text": "Un autre article."}))
    first = [r.id for r in read_all(tmp_path) if isinstance(r, Article)]
    second = [r.id for r in read_all(tmp_path) if isinstance(r, Article)]
    assert len(first) == 4
    assert first == second
    assert len(set(first)) == 4


def test_read_inputs_is_lazy_and_accepts_a_single_path(tmp_path: Path) -> None:
    path = write(tmp_path / "a.txt", FRENCH)
    stream = read_inputs(str(path))  # a lone string is one path, not a list of characters
    assert isinstance(stream, Iterator)
    assert isinstance(next(stream), Article)
    assert next(stream, None) is None


def test_default_published_applies_only_to_undated_articles(tmp_path: Path) -> None:
    write(tmp_path / "a.txt", FRENCH)
    write(tmp_path / "b.jsonl", jsonl({"text": FRENCH_2, "published": "2021-06-01"}))
    results = read_all(tmp_path, published="2022/01/15")
    assert [r.published for r in results] == ["2022-01-15", "2021-06-01"]
    assert results[0].meta["published_from"] == "default"


def test_bad_published_argument_or_limit_fails_fast(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="published"):
        read_inputs([str(tmp_path)], published="demain")
    with pytest.raises(ValueError, match="max_bytes"):
        read_inputs([str(tmp_path)], max_bytes=0)


# --- dates -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2022-01-12", "2022-01-12"),
        ("2022-01-12T10:00:00Z", "2022-01-12"),
        ("2022-01-12T23:30:00-05:00", "2022-01-12"),  # the publisher's day, not UTC's
        ("2022/01/12", "2022-01-12"),
        ("Wed, 12 Jan 2022 10:00:00 +0100", "2022-01-12"),
        ("12/01/2022", "2022-01-12"),  # day first, French convention
        ("mercredi 12 janvier 2022", "2022-01-12"),
        ("1er février 2021", "2021-02-01"),
        ("2022-02-30", None),
        ("0000-00-00", None),
        ("hier soir", None),
        ("", None),
        (None, None),
    ],
)
def test_normalize_date(value: str | None, expected: str | None) -> None:
    assert normalize_date(value) == expected


# --- HTML ------------------------------------------------------------------------------


def test_html_page_main_text_and_metadata(tmp_path: Path) -> None:
    art = article(read_all(write(tmp_path / "greve.html", HTML_PAGE)))
    assert "grève nationale jeudi 13 janvier" in art.raw
    assert "RER B" in art.raw
    for boilerplate in ("Accueil", "Politique", "Mentions légales", "newsletter"):
        assert boilerplate not in art.raw
    assert art.title == "Grève à la SNCF : le trafic très perturbé jeudi"
    assert art.published == "2022-01-12"
    assert art.author == "Marie Dupont"
    assert art.source == "Le Quotidien"
    assert art.url == "https://www.lequotidien.example/economie/greve-sncf"
    assert art.meta["format"] == "html"
    assert art.id == content_id(art.raw)


def test_html_is_sniffed_in_unknown_extensions(tmp_path: Path) -> None:
    art = article(read_all(write(tmp_path / "page-sans-extension", HTML_PAGE)))
    assert art.meta["format"] == "html"
    assert "<p>" not in art.raw and "Accueil" not in art.raw


def test_html_without_main_text_is_an_error(tmp_path: Path) -> None:
    err = error(read_all(write(tmp_path / "vide.html", "<html><head><title>x</title></head><body></body></html>")))
    assert "no main text" in err.reason


# --- JSONL -----------------------------------------------------------------------------


def test_jsonl_good_and_bad_lines(tmp_path: Path) -> None:
    path = write(
        tmp_path / "batch.jsonl",
        jsonl(
            {"id": 42, "text": FRENCH, "published": "2022-01-12T08:00:00Z", "url": "https://ex.fr/a",
             "title": "Cantines", "source": "Est Républicain", "rubrique": "local"},
            '{"text": "sans fin',  # malformed
            "",  # blank line: skipped, not an error
            '["une", "liste"]',
            {"id": "no-body", "title": "Sans texte"},
            {"text": FRENCH_2, "date": "2022/01/13"},  # `date` alias
            {"html": HTML_PAGE},
            {"text": "Date illisible.", "published": "bientôt"},
        ),
    )
    results = read_all(path, published="2020-01-01")
    assert [r.origin for r in results] == [f"{path}:{n}" for n in (1, 2, 4, 5, 6, 7, 8)]
    kinds = [type(r).__name__ for r in results]
    assert kinds == ["Article", "ArticleError", "ArticleError", "ArticleError", "Article", "Article", "Article"]

    given = results[0]
    assert isinstance(given, Article)
    assert (given.id, given.id_given) == ("42", True)
    assert (given.published, given.url, given.title) == ("2022-01-12", "https://ex.fr/a", "Cantines")
    assert given.source == "Est Républicain"
    assert given.meta["format"] == "jsonl"
    assert given.meta["extra"] == {"rubrique": "local"}

    assert results[1].reason.startswith("malformed JSON")
    assert results[2].reason == "not a JSON object (got array)"
    assert results[3].reason == "no 'text' or 'html' field"

    dated = results[4]
    assert dated.published == "2022-01-13" and dated.id == content_id(FRENCH_2) and dated.id_given is False

    from_html = results[5]
    assert "grève nationale" in from_html.raw and "Accueil" not in from_html.raw
    assert from_html.title == "Grève à la SNCF : le trafic très perturbé jeudi"
    assert from_html.published == "2022-01-12"
    assert from_html.meta["content"] == "html"

    undated = results[6]
    assert undated.published is None  # unreadable: not replaced by the default
    assert undated.meta["published_raw"] == "bientôt"


def test_jsonl_gz_and_ndjson(tmp_path: Path) -> None:
    data = jsonl({"text": FRENCH}, {"text": FRENCH_2}).encode()
    write(tmp_path / "a.jsonl.gz", gzip.compress(data))
    write(tmp_path / "b.ndjson", data)
    results = read_all(tmp_path)
    assert [r.id for r in results] == [content_id(FRENCH), content_id(FRENCH_2)] * 2
    assert results[0].meta["compressed"] == "gzip"
    assert "compressed" not in results[2].meta


def test_jsonl_is_exempt_from_file_limit_but_lines_are_not(tmp_path: Path) -> None:
    small = [{"text": f"Article numéro {i} : la séance est levée."} for i in range(20)]
    path = write(tmp_path / "big.jsonl", jsonl(small[0], {"text": "x" * 500}, *small[1:]))
    results = read_all(path, max_bytes=200)
    assert path.stat().st_size > 200
    errors = [r for r in results if isinstance(r, ArticleError)]
    assert len(results) == 21 and len(errors) == 1
    assert errors[0].origin == f"{path}:2"
    assert re.fullmatch(r"too large: line \d+ B > 200 B limit", errors[0].reason)


def test_empty_jsonl_is_an_error(tmp_path: Path) -> None:
    assert error(read_all(write(tmp_path / "vide.jsonl", "\n\n"))).reason == "empty file"


# --- bad inputs ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "data", "kind"),
    [
        ("image.txt", PNG_BYTES, "PNG"),
        ("doc.html", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "PDF"),
        ("archive", b"PK\x03\x04\x14\x00\x00\x00", "ZIP"),
        ("dump.txt", b"texte\x00\x00\x00suite", "NUL bytes"),
        ("bruit.txt", bytes(range(1, 32)) * 20 + b"un peu de texte", "control characters"),
    ],
)
def test_binary_files_are_errors(tmp_path: Path, name: str, data: bytes, kind: str) -> None:
    err = error(read_all(write(tmp_path / name, data)))
    assert err.reason.startswith("binary file (") and err.reason.endswith("), not text")
    assert kind in err.reason


def test_text_is_not_taken_for_binary() -> None:
    assert binary_kind(FRENCH.encode()) is None
    assert binary_kind(CP1252_TEXT.encode("cp1252")) is None
    assert binary_kind("\ufeffBonjour".encode("utf-16")) is None  # NUL bytes, but a UTF-16 BOM


@pytest.mark.parametrize("data", [b"", b"   \n\t\r\n  ", b"\xef\xbb\xbf\n"])
def test_empty_files_are_errors(tmp_path: Path, data: bytes) -> None:
    assert error(read_all(write(tmp_path / "vide.txt", data))).reason == "empty file"


def test_cp1252_file_is_repaired(tmp_path: Path) -> None:
    art = article(read_all(write(tmp_path / "noel.txt", CP1252_TEXT.encode("cp1252"))))
    assert art.raw == CP1252_TEXT
    assert art.meta["encoding"] == "cp1252"
    assert art.meta["encoding_repaired"] is True
    assert art.id == content_id(CP1252_TEXT)  # same article in UTF-8 would get the same id


def test_short_cp1252_text_is_not_read_as_cp1250() -> None:
    # charset-normalizer alone answers cp1250 here, which would turn "è"/"ê"/"ç" into other letters.
    text = "Noël approche : où trouver des sapins à Besançon ? Voilà… Œuvre, cœur, être, île, ça, garçon."
    decoded = decode_bytes(text.encode("cp1252"))
    assert (decoded.text, decoded.encoding) == (text, "cp1252")


def test_html_declared_charset_is_used(tmp_path: Path) -> None:
    page = HTML_PAGE.replace('<meta charset="utf-8">', '<meta charset="iso-8859-15">').replace("—", "-")
    page = page.replace("un TER sur deux", "un TER sur deux, pour 10 € de plus")
    art = article(read_all(write(tmp_path / "vieux-site.html", page.encode("iso8859-15"))))
    assert "10 € de plus" in art.raw and "grève nationale" in art.raw  # € is 0xA4 here, not cp1252's 0x80
    assert art.meta["encoding"] == "iso8859-15" and art.meta["encoding_repaired"] is True


def test_utf8_with_stray_cp1252_bytes_keeps_utf8(tmp_path: Path) -> None:
    data = FRENCH.encode("utf-8") + "Légende : café".encode("cp1252")
    decoded = decode_bytes(data)
    assert decoded.text == FRENCH + "Légende : café"
    assert decoded.repaired is True


def test_utf8_bom_is_stripped_and_utf16_is_read(tmp_path: Path) -> None:
    bom = article(read_all(write(tmp_path / "bom.txt", b"\xef\xbb\xbf" + FRENCH.encode())))
    assert bom.raw == FRENCH and bom.meta["encoding_repaired"] is False
    wide = article(read_all(write(tmp_path / "wide.txt", FRENCH.encode("utf-16"))))
    assert wide.raw == FRENCH and wide.id == bom.id and wide.meta["encoding_repaired"] is True


def test_too_large_file_is_an_error_and_reading_goes_on(tmp_path: Path) -> None:
    write(tmp_path / "a-gros.txt", "x" * 1500)
    write(tmp_path / "b-petit.txt", "Petit article.")
    results = read_all(tmp_path, max_bytes=1000)
    assert isinstance(results[0], ArticleError)
    assert results[0].reason == "too large: 1.5 KB > 1.0 KB limit"
    assert isinstance(results[1], Article) and results[1].raw == "Petit article."


def test_too_large_reason_wording() -> None:
    assert too_large_reason(20_000_000, MAX_INPUT_BYTES) == "too large: 20.0 MB > 5.0 MB limit"


def test_missing_and_unreadable_paths_are_errors(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    missing = tmp_path / "absent.txt"
    good = write(tmp_path / "ok.txt", FRENCH)
    locked = write(tmp_path / "locked.txt", FRENCH_2)

    real_open = open

    def fake_open(path: str, *args: object, **kwargs: object) -> object:
        if str(path) == str(locked):
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)  # type: ignore[call-overload]

    # Patched in the module rather than chmod-ed: the tests may run as root, who reads everything.
    monkeypatch.setattr(ingest_files, "open", fake_open, raising=False)
    results = read_all(missing, locked, good)
    assert [type(r).__name__ for r in results] == ["ArticleError", "ArticleError", "Article"]
    assert results[0].origin == str(missing) and "no such file" in results[0].reason
    assert results[1].origin == str(locked) and results[1].reason == "unreadable: permission denied"


def test_a_folder_of_bad_inputs_never_stops_the_run(tmp_path: Path) -> None:
    write(tmp_path / "1.txt", FRENCH)
    write(tmp_path / "2.png", PNG_BYTES)
    write(tmp_path / "3.txt", "")
    write(tmp_path / "4.html", "<html><body></body></html>")
    write(tmp_path / "5.txt.gz", b"\x1f\x8b\x08\x00pas vraiment du gzip")
    write(tmp_path / "6.txt", FRENCH_2)
    results = read_all(tmp_path)
    assert [type(r).__name__ for r in results] == ["Article"] + ["ArticleError"] * 4 + ["Article"]
    assert "corrupt gzip" in results[4].reason
    assert all(r.reason for r in results if isinstance(r, ArticleError))


# --- gzip ------------------------------------------------------------------------------


def test_gz_is_decompressed_transparently(tmp_path: Path) -> None:
    plain = article(read_all(write(tmp_path / "a.txt", FRENCH)))
    packed = article(read_all(write(tmp_path / "b.txt.gz", gzip.compress(FRENCH.encode()))))
    assert packed.raw == FRENCH and packed.id == plain.id
    assert packed.meta["compressed"] == "gzip"
    page = article(read_all(write(tmp_path / "page.html.gz", gzip.compress(HTML_PAGE.encode()))))
    assert page.meta["format"] == "html" and page.published == "2022-01-12"


def test_gzip_bomb_stops_at_the_limit(tmp_path: Path) -> None:
    bomb = write(tmp_path / "bombe.txt.gz", gzip.compress(b"a" * 2_000_000))
    assert bomb.stat().st_size < 10_000
    assert error(read_all(bomb, max_bytes=100_000)).reason == "too large: decompressed > 100.0 KB limit"


# --- stdin -----------------------------------------------------------------------------


def _stdin(monkeypatch: pytest.MonkeyPatch, data: bytes) -> None:
    monkeypatch.setattr(sys, "stdin", SimpleNamespace(buffer=io.BytesIO(data)))


def test_stdin_plain_text(monkeypatch: pytest.MonkeyPatch) -> None:
    _stdin(monkeypatch, FRENCH.encode())
    art = article(read_all("-"))
    assert (art.raw, art.origin, art.meta["format"]) == (FRENCH, "<stdin>", "text")


def test_stdin_jsonl(monkeypatch: pytest.MonkeyPatch) -> None:
    _stdin(monkeypatch, b"\n  " + jsonl({"id": "a", "text": FRENCH}, "pas du json", {"text": FRENCH_2}).encode())
    results = read_all("-")
    assert [r.origin for r in results] == ["<stdin>:2", "<stdin>:3", "<stdin>:4"]
    assert [type(r).__name__ for r in results] == ["Article", "ArticleError", "Article"]
    assert results[0].id == "a" and results[2].id == content_id(FRENCH_2)


def test_stdin_html_and_gzip(monkeypatch: pytest.MonkeyPatch) -> None:
    _stdin(monkeypatch, gzip.compress(HTML_PAGE.encode()))
    art = article(read_all("-"))
    assert art.meta["format"] == "html" and art.title == "Grève à la SNCF : le trafic très perturbé jeudi"


def test_oversized_stdin_is_not_read_past_the_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    buffer = io.BytesIO(b"Un texte sans fin. " * 100_000)  # 1.9 MB
    monkeypatch.setattr(sys, "stdin", SimpleNamespace(buffer=buffer))
    assert error(read_all("-", max_bytes=10_000)).reason == "too large: > 10.0 KB limit"
    assert buffer.tell() < 50_000  # the limit plus read-ahead, not the whole stream


def test_stdin_empty(monkeypatch: pytest.MonkeyPatch) -> None:
    _stdin(monkeypatch, b"")
    assert error(read_all("-")).reason == "empty file"
