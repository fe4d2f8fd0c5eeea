"""Every user error of the CLI is one clear line and a non-zero exit, never a traceback (issue 17): a bad date, a file
that is no database, an unreachable PostgreSQL, a missing input, a busy port, a bad worker count; a run where some
inputs failed exits 2 after its summary; a failed `analyze` leaves no empty output file."""
from __future__ import annotations

import socket
from pathlib import Path

import pytest
from typer.testing import CliRunner

from vigie.cli import app

runner = CliRunner()


def _one_error_line(output: str, expected: str) -> None:
    lines = [line for line in output.splitlines() if line.strip()]
    errors = [line for line in lines if line.startswith("error:")]
    assert len(errors) == 1 and expected in errors[0], output
    assert "Traceback" not in output


@pytest.fixture
def article(tmp_path: Path) -> Path:
    path = tmp_path / "a.txt"
    path.write_text("Le président a visité Almaty mercredi.", encoding="utf-8")
    return path


@pytest.mark.parametrize("args, expected", [
    (["--published", "2022-13-45"], "bad --published '2022-13-45'"),
    (["--workers", "0"], "bad --workers 0"),
])
def test_bad_options(tmp_path: Path, article: Path, args: list[str], expected: str):
    for command in ("ingest", "analyze"):
        extra = ["--db", str(tmp_path / "v.db")] if command == "ingest" else []
        result = runner.invoke(app, [command, str(article), *extra, *args])
        assert result.exit_code == 2
        _one_error_line(result.output, expected)
    assert not (tmp_path / "v.db").exists()


def test_a_file_that_is_no_database(tmp_path: Path, article: Path):
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is no SQLite database at all" * 100)
    for args in (["stats", "--db", str(junk)], ["ingest", str(article), "--db", str(junk)]):
        result = runner.invoke(app, args)
        assert result.exit_code == 2
        _one_error_line(result.output, "is not a vigie database")


def test_an_unreachable_postgresql_hides_the_password(article: Path):
    result = runner.invoke(app, ["ingest", str(article), "--db", "postgresql://vigie:secret@127.0.0.1:1/news"])
    assert result.exit_code == 2
    _one_error_line(result.output, "cannot reach the database postgresql://vigie:***@127.0.0.1:1/news")
    assert "secret" not in result.output


def test_a_missing_input_and_no_empty_output(tmp_path: Path):
    out = tmp_path / "out.jsonl"
    result = runner.invoke(app, ["analyze", str(tmp_path / "missing.txt"), "-o", str(out)])
    assert result.exit_code == 2
    _one_error_line(result.output, f"no such file or folder: {tmp_path / 'missing.txt'}")
    assert not out.exists()
    result = runner.invoke(app, ["ingest", str(tmp_path / "missing.txt"), "--db", str(tmp_path / "v.db")])
    assert result.exit_code == 2 and not (tmp_path / "v.db").exists()


def test_a_busy_port(tmp_path: Path, article: Path):
    db = tmp_path / "v.db"
    assert runner.invoke(app, ["ingest", str(article), "--db", str(db), "--no-stories", "--no-link-events"]
                         ).exit_code == 0
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = runner.invoke(app, ["serve", "--db", str(db), "--port", str(port)])
    assert result.exit_code == 2
    _one_error_line(result.output, f"cannot listen on 127.0.0.1:{port}")


def test_some_inputs_failed_exits_2_after_the_summary(tmp_path: Path, article: Path):
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    result = runner.invoke(app, ["analyze", str(article), str(empty), "-o", str(out)])
    assert result.exit_code == 2, result.output
    assert "1 input(s) failed" in result.output and "empty" in result.output
    assert out.read_text(encoding="utf-8").count("\n") == 1  # the good article is written


def test_help_shows_metavars_not_type_tags():
    result = runner.invoke(app, ["ingest", "--help"], env={"COLUMNS": "120"})
    assert result.exit_code == 0
    assert "<str>" not in result.output and "<bool>" not in result.output and "<int" not in result.output
    assert "DATE" in result.output and "postgresql://" in result.output
