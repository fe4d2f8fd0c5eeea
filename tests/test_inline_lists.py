"""Lexicons are data (issue 11, acceptance 4): no word list of more than 10 entries sits inline in `src/vigie`.

A word list a linguist would edit belongs in `resources/` (read through `vigie.lexicons`). This test walks
every module's syntax tree and reports, as "file:line (size) name", each
- literal set, list or tuple of more than 10 string constants (strings being at least 80 % of its items),
- dict literal with more than 10 string keys,
- `"a b c ...".split()` (or `.split(sep)`) of more than 10 words,
unless `ALLOWED` names it: lists that are code, not language (record fields, file formats, tag sets of the
model, ontology codes), each with the reason it stays.
"""
from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "vigie"
MAX_ENTRIES = 10

#: (module path under src/vigie, assigned name or a piece of the literal's source) -> why it stays in code.
ALLOWED: dict[tuple[str, str], str] = {
    ("lexicons.py", "FILES"): "the resource loader's own table of files and their column counts",
    ("events/plover.py", "TYPES"): "PLOVER ontology type codes, the one place that declares them",
    ("events/merge.py", "MODE_ORDER"): "PLOVER mode codes ranked for merging: ontology codes, not words",
    ("events/coder_en.py", "rec"): "event record fields (the record schema)",
    ("events/coder_fr.py", "rec"): "event record fields (the record schema)",
    ("events/triggers_fr.py", "PREDICATE_DEPS"): "Universal Dependencies relation labels of the model",
    ("entities/filter.py", "NON_NAME_POS"): "Universal POS tags of the model",
    ("dates/en.py", "placeholders"): "regular-expression building blocks of the date grammar",
    ("dates/fr.py", "placeholders"): "regular-expression building blocks of the date grammar",
    ("dates/en.py", '"until", "till"'): "start_phrases: how the grammar's RULES can begin; changes with RULES",
    ("dates/fr.py", "heads"): "start_phrases: how the grammar's RULES can begin; changes with RULES",
    ("entities/gazetteer.py", "_NOT_COUNTRIES"): "CLDR territory codes left out of the country table: codes",
    ("export/gkg.py", "COLUMNS"): "GKG file format columns",
    ("export/gkg.py", "COUNT_TYPES"): "vigie quantity roles -> GKG count type codes (file format)",
    ("export/gkg.py", "values"): "one GKG row, keyed by column",
    ("export/polecat.py", "COLUMNS"): "POLECAT file format columns",
    ("export/polecat.py", "values"): "one POLECAT row, keyed by column",
    ("export/parquet.py", "ARTICLE_COLUMNS"): "Parquet article table columns and types",
    ("store/common.py", "ARTICLE_COLUMNS"): "store article table columns",
    ("store/common.py", "payload"): "one stored article row, keyed by column",
    ("web/charts.py", "TYPE_COLORS"): "one chart colour per PLOVER type (presentation)",
    ("quotes/common.py", '"speaker_start": self.speaker_start'): "quote record fields (Candidate.as_dict)",
    ("quotes/en.py", "CLOSING_PUNCT"): "punctuation tokens, not words (',' cannot be written in a word class)",
    ("steps/crossdoc.py", "row"): "the stored row of a cross-document event: the crossdoc_events columns",
    ("store/crossdoc.py", "EVENT_COLUMNS"): "crossdoc_events table columns (the schema)",
    ("store/crossdoc.py", '"story_id": story_id'): "get_story's record fields",
    ("entities/english.py", "ENGLISH_LABELS"): "the English model's OntoNotes tag set -> vigie's labels",
    ("store/queries.py", "EVENT_SORTS"): "sortable event columns -> their SQL expressions (code)",
}


@dataclass(frozen=True)
class Offender:
    module: str  # path under src/vigie
    line: int
    size: int
    name: str  # the assigned name, or "" when the literal is not assigned to a name
    source: str  # the literal's source (first 200 characters)

    def allowed_by(self) -> tuple[str, str] | None:
        for key in ALLOWED:
            if key[0] == self.module and (key[1] == self.name or key[1] in self.source):
                return key
        return None

    def __str__(self) -> str:
        label = self.name or self.source.splitlines()[0].strip()[:60]
        return f"src/vigie/{self.module}:{self.line} ({self.size} entries) {label}"


def _strings(nodes: list[ast.expr | None]) -> int:
    return sum(1 for n in nodes if isinstance(n, ast.Constant) and isinstance(n.value, str))


def _size(node: ast.AST) -> int:
    """Entries of a word-list literal, or 0 when the node is not one (or has 10 entries or fewer)."""
    n = 0
    if isinstance(node, (ast.Set, ast.List, ast.Tuple)):
        strings = _strings(list(node.elts))
        if strings >= len(node.elts) * 0.8:
            n = strings
    elif isinstance(node, ast.Dict):
        n = _strings(list(node.keys))
    elif (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "split"
        and isinstance(node.func.value, ast.Constant)
        and isinstance(node.func.value.value, str)
    ):
        sep = node.args[0].value if node.args and isinstance(node.args[0], ast.Constant) else None
        n = len(node.func.value.value.split(sep))
    return n if n > MAX_ENTRIES else 0


def _assigned_names(tree: ast.AST) -> dict[int, str]:
    """id(literal) -> the name it is assigned to, for literals that are (part of) an assignment's value."""
    out: dict[int, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign):
            targets, value = node.targets, node.value
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            targets, value = [node.target], node.value
        else:
            continue
        names = [t.id if isinstance(t, ast.Name) else t.attr for t in targets if isinstance(t, (ast.Name, ast.Attribute))]
        if not names:
            continue
        for sub in ast.walk(value):
            out.setdefault(id(sub), names[0])
    return out


def offenders() -> list[Offender]:
    found = []
    for path in sorted(SRC.rglob("*.py")):
        module = path.relative_to(SRC).as_posix()
        if module.startswith("resources/"):
            continue
        text = path.read_text(encoding="utf-8")
        tree = ast.parse(text, filename=str(path))
        names = _assigned_names(tree)
        for node in ast.walk(tree):
            size = _size(node)
            if size:
                source = (ast.get_source_segment(text, node) or "")[:200]
                found.append(Offender(module, node.lineno, size, names.get(id(node), ""), source))
    return sorted(found, key=lambda o: (o.module, o.line))


def test_no_inline_word_lists():
    bad = [o for o in offenders() if o.allowed_by() is None]
    if bad:
        pytest.fail(
        f"{len(bad)} word lists of more than {MAX_ENTRIES} entries inline in src/vigie: move them to a "
        "resources/<what>_words_<lang>.tsv class read with vigie.lexicons.word_class / word_pairs, or add them "
        "to ALLOWED with the reason they are code, not language:\n" + "\n".join(f"  {o}" for o in bad),
            pytrace=False,
        )


def test_every_exception_still_matches():
    used = {o.allowed_by() for o in offenders()}
    stale = sorted(set(ALLOWED) - used)
    assert not stale, f"ALLOWED entries that match nothing any more (remove them): {stale}"


@pytest.mark.parametrize(
    "code, size",
    [
        ("X = {" + ", ".join(f"'w{i}'" for i in range(11)) + "}", 11),
        ("X = {" + ", ".join(f"'w{i}'" for i in range(10)) + "}", 0),
        ("X = (" + ", ".join(f"'w{i}'" for i in range(12)) + ")", 12),
        ("X = {" + ", ".join(f"'w{i}': 1" for i in range(11)) + "}", 11),
        ("X = '" + " ".join(f"w{i}" for i in range(11)) + "'.split()", 11),
        ("X = '" + ",".join(f"w{i}" for i in range(11)) + "'.split(',')", 11),
        ("X = [" + ", ".join(str(i) for i in range(20)) + "]", 0),
    ],
)
def test_the_scan_sees_word_lists(code, size):
    tree = ast.parse(code)
    assert max(_size(node) for node in ast.walk(tree)) == size
