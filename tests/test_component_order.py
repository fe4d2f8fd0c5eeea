"""spaCy checks the order of vigie's components: each declares what it requires and assigns."""
from __future__ import annotations

import pytest
from spacy.language import Language


def _vigie_pipes(nlp: Language) -> list[str]:
    return [name for name in nlp.pipe_names if name.startswith("vigie_")]


@pytest.mark.parametrize("pipeline", ["nlp", "en"])
def test_analyze_pipes_finds_no_problem(pipeline: str, request: pytest.FixtureRequest) -> None:
    nlp = request.getfixturevalue(pipeline)
    problems = {name: missing for name, missing in nlp.analyze_pipes()["problems"].items() if missing}
    assert problems == {}


@pytest.mark.parametrize("pipeline", ["nlp", "en"])
def test_every_vigie_component_declares_what_it_assigns(pipeline: str, request: pytest.FixtureRequest) -> None:
    nlp = request.getfixturevalue(pipeline)
    assert _vigie_pipes(nlp)
    for name in _vigie_pipes(nlp):
        meta = nlp.get_pipe_meta(name)
        assert meta.assigns, f"{name} declares no assigns"
        if name != "vigie_line_breaks":  # runs first, on the tokens alone
            assert meta.requires, f"{name} declares no requires"
