"""Boilerplate rules and the stop-word list of the cleaner (French + English)."""
from __future__ import annotations

import importlib.util
import re
from dataclasses import dataclass
from pathlib import Path

from vigie.lexicons import read_text, word_class

# ----------------------------------------------------------------------------------------------------
# Resources: stop words (read straight from spaCy's data files: importing spacy.lang.fr costs ~2 s
# because its package __init__ builds the tokenizer exceptions) and the rule file.
# ----------------------------------------------------------------------------------------------------


def _load_spacy_stop_words(lang: str) -> set[str]:
    try:
        spec = importlib.util.find_spec("spacy")  # does not import spacy
        if spec is None or not spec.submodule_search_locations:
            raise ImportError("spacy not found")
        path = Path(next(iter(spec.submodule_search_locations))) / "lang" / lang / "stop_words.py"
        mod_spec = importlib.util.spec_from_file_location(f"_vigie_stop_{lang}", path)
        module = importlib.util.module_from_spec(mod_spec)  # type: ignore[arg-type]
        mod_spec.loader.exec_module(module)  # type: ignore[union-attr]
        return set(module.STOP_WORDS)
    except Exception:  # pragma: no cover - fallback: the regular (slower) import
        if lang == "fr":
            from spacy.lang.fr.stop_words import STOP_WORDS
        else:
            from spacy.lang.en.stop_words import STOP_WORDS
        return set(STOP_WORDS)


# Tokens are runs of letters, so elided articles ("l’", "qu’") become "l", "qu": add those.
_ELISIONS = set(word_class("clean_words_fr.tsv", "elision"))
STOP_WORDS: frozenset[str] = frozenset(
    w for w in (_load_spacy_stop_words("fr") | _load_spacy_stop_words("en") | _ELISIONS)
    if w.isalpha()
)


@dataclass(slots=True)
class _Rule:
    reason: str
    max_chars: int
    pattern: str


def _load_rules() -> list[_Rule]:
    text = read_text("boilerplate_rules.txt")
    rules: list[_Rule] = []
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        parts = line.split(None, 2)
        if len(parts) != 3:
            raise ValueError(f"boilerplate_rules.txt:{n}: expected 'REASON MAX_CHARS REGEX'")
        reason, max_chars, pattern = parts
        re.compile(pattern.strip())  # fail early, with the rule's own error
        rules.append(_Rule(reason, int(max_chars), pattern.strip()))
    return rules


RULES: list[_Rule] = _load_rules()
_COMPILED: list[tuple[str, int, re.Pattern[str]]] = [
    ("rule:" + r.reason, r.max_chars, re.compile(r.pattern)) for r in RULES
]
_MAX_RULE_CHARS = max(r.max_chars for r in RULES)


def rule_reason(line: str) -> str | None:
    """The rule that flags this line as boilerplate ("rule:<name>"), or None."""
    s = line.strip()
    n = len(s)
    if not n or n > _MAX_RULE_CHARS:
        return None
    low = s.lower()
    for reason, max_chars, regex in _COMPILED:
        if n <= max_chars and regex.search(low) is not None:
            return reason
    return None

