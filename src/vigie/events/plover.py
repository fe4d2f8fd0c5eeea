"""PLOVER in one place: the 16 event types, their modes, the quad classes (cooperative / hostile) and the
conflict-cooperation scores. Every other module (lexicon loader, coders, API parameters, charts, exports)
imports them from here.

Sources: the PLOVER manual (openeventdata/PLOVER, PLOVER_MANUAL.pdf, commit 5e0c24f; CC BY-SA 4.0), its
Table 2.2 (scores of every type and mode, `resources/plover_scores.tsv`, which also gives the manual's modes)
and Table 7.2 (quad categories); CAMEO2PLOVER-2021 for two modes the manual's tables leave out; and a few
modes of vigie's own (`VIGIE_MODES`), each said why below.
"""
from __future__ import annotations

from functools import lru_cache

from vigie.lexicons import read_text

#: The 16 PLOVER event types, in the manual's order (cooperation to conflict).
TYPES: tuple[str, ...] = (
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
    "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
)  # fmt: skip

#: Quad categories, with their numeric codes (PLOVER manual, Table 7.2; the manual's section 3.13 lists
#: SANCTION as material conflict, its quad table as verbal conflict: the table, which gives the codes, is
#: followed here).
VERBAL_COOPERATION, MATERIAL_COOPERATION, VERBAL_CONFLICT, MATERIAL_CONFLICT = 1, 2, 3, 4
QUAD_NAMES = {1: "verbal cooperation", 2: "material cooperation", 3: "verbal conflict", 4: "material conflict"}
QUAD_CODES: dict[str, int] = {
    **dict.fromkeys(("AGREE", "CONSULT", "SUPPORT", "CONCEDE"), VERBAL_COOPERATION),
    **dict.fromkeys(("COOPERATE", "AID", "RETREAT"), MATERIAL_COOPERATION),
    **dict.fromkeys(("REQUEST", "ACCUSE", "REJECT", "SANCTION", "THREATEN"), VERBAL_CONFLICT),
    **dict.fromkeys(("PROTEST", "MOBILIZE", "COERCE", "ASSAULT"), MATERIAL_CONFLICT),
}

#: The cooperative / hostile split: quads 1-2 against quads 3-4.
COOPERATIVE: frozenset[str] = frozenset(t for t, q in QUAD_CODES.items() if q <= MATERIAL_COOPERATION)
HOSTILE: frozenset[str] = frozenset(t for t, q in QUAD_CODES.items() if q >= VERBAL_CONFLICT)

# An announced event keeps its type with the context "future" (the annotation guide, shared/eval/GUIDE.md: "future"
# for announced ones; every announced visit or aid in winer-gold-fr/tune is coded so), rather than the PLOVER
# manual's AGREE for future cooperation (3.1). A promise itself ("a promis de", "s'est engagé à") is AGREE.

#: Modes vigie codes beyond the manual's tables (type -> modes):
#: - ASSAULT assassinate, COERCE ban: modes of CAMEO2PLOVER-2021 (CAMEO 185/186, 1722);
#: - AID asylum, economic, humanitarian, military: CAMEO2PLOVER-2021 codes them as AID contexts (075, 071, 073, 072) and
#:   the annotation guide lists them as AID modes; vigie
#:   keeps them as the mode, the only slot that says what kind of aid it was;
#: - ASSAULT execute (executions), COERCE confiscate (CAMEO 1711, which CAMEO2PLOVER-2021 codes COERCE seize),
#:   RETREAT return (the annotation guide's mode for repatriations and returned property),
#:   SANCTION sever (CAMEO 161, "break diplomatic relations", there SANCTION withdraw): vigie's finer names,
#:   kept because the analysis records carry them.
VIGIE_MODES: dict[str, tuple[str, ...]] = {
    "AID": ("asylum", "economic", "humanitarian", "military"),
    "ASSAULT": ("assassinate", "execute"),
    "COERCE": ("ban", "confiscate"),
    "RETREAT": ("return",),
    "SANCTION": ("sever",),
}


@lru_cache(maxsize=1)
def scores() -> dict[tuple[str, str], float]:
    """(TYPE, mode) -> PLOVER score (-10 most conflictual .. +10 most cooperative; manual, Table 2.2); mode ""
    is the type's own score."""
    text = read_text("plover_scores.tsv")
    out: dict[tuple[str, str], float] = {}
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith(("#", "type\t")):
            continue
        cells = line.split("\t")
        if len(cells) != 3 or cells[0] not in QUAD_CODES:
            raise ValueError(f"plover_scores.tsv line {n}: expected TYPE<tab>mode<tab>score, got {line!r}")
        out[(cells[0], cells[1])] = float(cells[2])
    return out


def score(etype: str, mode: str | None) -> float | None:
    """The PLOVER score of a type and mode; the type's own score when the mode has none; None for no type."""
    table = scores()
    return table.get((etype, (mode or "").lower()), table.get((etype, "")))


@lru_cache(maxsize=1)
def modes() -> dict[str, frozenset[str]]:
    """Type -> every mode vigie accepts for it: the manual's (Table 2.2) and `VIGIE_MODES`."""
    out: dict[str, set[str]] = {t: set() for t in TYPES}
    for etype, mode in scores():
        if mode:
            out[etype].add(mode)
    for etype, extra in VIGIE_MODES.items():
        out[etype].update(extra)
    return {t: frozenset(m) for t, m in out.items()}


def all_modes() -> frozenset[str]:
    """Every mode of every type."""
    return frozenset().union(*modes().values())


def is_type(etype: str) -> bool:
    return etype in QUAD_CODES


def is_mode(etype: str, mode: str | None) -> bool:
    """True when `mode` is a mode of `etype` (None, no mode, always is)."""
    return mode is None or mode in modes().get(etype, frozenset())
