"""Repair the statistical NER's spans and drop its typical false positives on French news.

Each rule is general (no name from any evaluation article) and was kept only if it raised NER F1 on
WiNER-fr (bench/ner_winer.py) on every slice it was measured on. For every predicted entity, in order:

1. split at line breaks and at spaced separators: "Lens\n\nPaul", "Albanie - Suisse", "Rio : Park";
2. trim punctuation and leading function words: "la France", "de France", "l'OTAN" -> "France", "OTAN";
   a capitalised article goes too when what follows is a known name ("La France", "Les Français");
3. trim a leading lower-case common noun that is not part of the name ("mer Méditerranée", "aéroport de
   Bruxelles", "massif du Jura" -> the name); street and institution heads stay ("place de la Concorde",
   "ministère de l'Intérieur"); a lower-case-headed MISC ("championnat de France") keeps only a known place;
4. an event name keeps only its place: "Jeux olympiques de Rio 2016" -> "Rio" (LOC), not "Tour de France";
5. titles: "M. Tokaïev", "président Macron", "Premier ministre Nawaz Sharif" -> the person; "Président du
   Tchad" -> the country; "président de la République" alone is no entity;
6. demonyms: "Français", "Américaine", "Britanniques" are nationalities (MISC, not LOC); "l'Américaine
   Virginia Thrasher" is the person "Virginia Thrasher";
7. an institution head makes an organisation: "Cour d'appel", "diocèse de Hearst" (not LOC);
8. dropped when it cannot be a name: no capital letter ("kazakhe"), only function words or a title
   ("Les", "M."), a one-token adverb ("Demain"), a participle clause ("Exprimant sa gratitude"), a
   capitalised generic word alone ("État", "Nord", "Région") or with a letter ("Groupe A").
Then, across the document: an entity cut before its end joins what follows ("Comité de l'aviation civile
du" + "Kazakhstan"), and a person's name cut by the NER is completed ("De" + "Gendt", "Elisa Di" +
"Francisca", "Marc Ladreit" + "de Lacharrière").
"""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Span, Token
from spacy.util import filter_spans

from vigie.entities import gazetteer  # noqa: F401  (registers vigie_gazetteer, listed after this component)
from vigie.entities.gazetteer import is_known_place, lookup
from vigie.language.demonyms import is_demonym, is_french_demonym
from vigie.language.names import HONORIFICS
from vigie.language.words import cased_word_class
from vigie.lexicons import word_class
from vigie.nlp.extensions import GuardedComponent

# The word lists of this module (a linguist's to edit) are in resources/entity_words_fr.tsv.
_WORDS = "entity_words_fr.tsv"

# Parts of speech that a one-token name never has. PROPN/NOUN/ADJ/X are kept: the tagger often calls
# a foreign surname NOUN or ADJ, and "Merkel" even VERB, so VERB is only trusted for lower-case words.
NON_NAME_POS = frozenset({"DET", "ADV", "PRON", "ADP", "CCONJ", "SCONJ", "PUNCT", "NUM", "AUX", "SYM", "PART"})

# Capitalised words that open French sentences and are never names on their own, on top of spaCy's
# French stop words (the tagger sometimes calls them PROPN at the start of a line).
SENTENCE_OPENERS = word_class(_WORDS, "sentence_opener")

# Lower-case words that open a predicted span but are not part of the name.
FUNCTION_WORDS = word_class(_WORDS, "function_word")
ELIDED = frozenset({"l'", "l’", "d'", "d’", "qu'", "qu’", "L'", "L’", "D'", "D’"})
CAPITAL_ARTICLES = frozenset({"Le", "La", "Les", "L'", "L’", "The"})

# Lower-case heads that belong to the name they open: streets and squares, and institutions
# ("place de la Concorde", "rue de Rivoli", "ministère de l'Intérieur", "université de Lille").
KEEP_HEADS = word_class(_WORDS, "keep_head")

# Heads of institution names: "Cour d'appel", "diocèse de Hearst", "Comité Nobel" are organisations even
# when the NER calls them a place or MISC.
ORG_HEADS = word_class(_WORDS, "org_head")

# Lower-case titles in front of a person's name ("président Macron", "saint Paul").
TITLE_WORDS = HONORIFICS | word_class(_WORDS, "title")
# Abbreviated titles, capitalised ("M. Tokaïev", "Mme Dupont", "Dr House").
TITLE_ABBREVIATIONS = cased_word_class(_WORDS, "title_abbreviation")

# Capitalised generic words that are not names when they stand alone (they often open a sentence or a
# heading, or are a cropped piece of a longer name: "État" from "État islamique").
GENERIC_WORDS = word_class(_WORDS, "generic")

# Nouns that open an event name holding the place where it happens ("Jeux olympiques de Rio",
# "championnat de France", "attentats de Bruxelles"). Treaties are left whole ("Statut de Rome").
EVENT_HEADS = word_class(_WORDS, "event_head")
PLACE_LINKS = frozenset({"de", "du", "des", "d'", "d’", "à", "au", "aux", "en"})

# Dashes and slashes that separate two names when spaced ("Albanie - Suisse", "Paris / Londres").
SEPARATORS = frozenset({"-", "–", "—", "/", "|", ":", "vs", "vs."})
# A cropped entity may end on these; it is then joined to the name that follows.
TRAILING_LINKS = frozenset({"de", "du", "des", "d'", "d’", "la", "l'", "l’", "of", "the"})
# Capitalised surname particles ("De Gendt", "Van Aert", "Di Maria", "Le Pen").
PARTICLES = cased_word_class(_WORDS, "particle")


def _stop_words() -> frozenset[str]:
    from spacy.lang.fr.stop_words import STOP_WORDS

    return frozenset(STOP_WORDS) | SENTENCE_OPENERS


_STOP_WORDS = _stop_words()


def _is_cap(tok: Token) -> bool:
    return tok.text[:1].isupper() or tok.text[:1].isdigit()


def sentence_initial(tok: Token) -> bool:
    """First word of a sentence, line or quote: its capital says nothing about being a name."""
    if tok.i == 0:
        return True
    prev = tok.doc[tok.i - 1]
    return prev.is_space or "\n" in prev.whitespace_ or prev.text in {".", "!", "?", "«", '"', "…", "—", "–"}


def split_span(span: Span) -> list[Span]:
    """Pieces of a span between line breaks and spaced separators ("Albanie - Suisse")."""
    doc = span.doc
    cuts = []
    for tok in span:
        if tok.is_space or "\n" in tok.text or tok.text in SEPARATORS and tok.i > span.start and tok.whitespace_ and (
            doc[tok.i - 1].whitespace_ or tok.text == ":"
        ):
            cuts.append(tok.i)
    if not cuts and "\n" not in span.text:
        return [span]
    pieces, start = [], span.start
    for cut in cuts:
        if cut > start:
            pieces.append(Span(doc, start, cut, label=span.label_))
        start = cut + 1
    if start < span.end:
        pieces.append(Span(doc, start, span.end, label=span.label_))
    # a line break inside a token's text cannot be cut between tokens: such a piece is dropped
    return [p for p in pieces if "\n" not in p.text]


def trim_span(span: Span) -> Span | None:
    """Leading/trailing punctuation, elided and lower-case function words, a capitalised article before
    a known name, and a lower-case head noun that is not part of the name. None when nothing is left."""
    doc = span.doc
    start, end, label = span.start, span.end, span.label_
    while start < end and (doc[start].is_punct or doc[start].is_space or doc[start].text in ELIDED):
        start += 1
    while start < end and doc[start].is_lower and doc[start].text in FUNCTION_WORDS:
        start += 1
    has_open_paren = any(t.text == "(" for t in doc[start:end])
    while end > start and (doc[end - 1].is_punct or doc[end - 1].is_space) and not (
        doc[end - 1].text == ")" and has_open_paren
    ):
        end -= 1
    if end <= start:
        return None
    first = doc[start]
    if first.is_lower and first.is_alpha and label != "PER" and first.lower_ not in KEEP_HEADS:
        # "mer Méditerranée", "aéroport international de Dubaï", "championnat de France"
        k = start
        while k < end and not _is_cap(doc[k]):
            k += 1
        if k < end and k > start:
            rest = doc[k:end]
            if label == "MISC":
                if is_known_place(rest.text):
                    return Span(doc, k, end, label="LOC")
            elif not doc[k - 1].is_punct:
                start = k
    if doc[start].text in CAPITAL_ARTICLES and end - start > 1:
        rest = doc[start + 1 : end]
        if lookup(rest.text) is not None or (is_demonym(rest.text) and label != "PER"):
            start += 1  # "La France", "Le Pentagone", "Les Français"
    if start == span.start and end == span.end:
        return span
    return Span(doc, start, end, label=label)


def _is_title(tok: Token) -> bool:
    return tok.text in TITLE_ABBREVIATIONS or tok.lower_ in TITLE_WORDS


def strip_titles(span: Span) -> Span | None:
    """'M. Tokaïev', 'président Macron', 'Premier ministre Nawaz Sharif' -> the name (a person).

    'Président du Tchad' is the place; 'président de la République' or 'Premier ministre' alone is no
    entity (None). A span that does not open with a title is returned as it is."""
    doc = span.doc
    start, end = span.start, span.end
    while start < end - 1 and _is_title(doc[start]):
        start += 1
    if start == span.start:
        return span
    if _is_title(doc[start]) or not _is_cap(doc[start]):
        k = start
        while k < end and (doc[k].is_lower and doc[k].text in FUNCTION_WORDS or doc[k].text in ELIDED):
            k += 1
        if k > start and k < end and is_known_place(doc[k:end].text):
            return Span(doc, k, end, label="LOC")  # "Président des États-Unis d'Amérique"
        return None
    return Span(doc, start, end, label="PER")


def relabel_demonyms(span: Span) -> Span:
    """A lone nationality is MISC; a French nationality noun before a name is that person's."""
    words = [t for t in span if not t.is_punct]
    if not words:
        return span
    text = span.text
    if len(words) == 1 or is_demonym(text):
        if is_demonym(text) and not is_known_place(text) and span.label_ != "MISC":
            return Span(span.doc, span.start, span.end, label="MISC")
        return span
    first = span[0]
    if first.text in CAPITAL_ARTICLES and len(span) > 2:
        first = span[1]  # "La Thaïlandaise Sopita Tanasan"
    rest = span.doc[first.i + 1 : span.end]
    if (
        is_french_demonym(first.text)
        and first.text[:1].isupper()
        and not is_known_place(first.text)
        and all(t.text[:1].isupper() for t in rest if t.is_alpha)
        and rest[0].text[:1].isupper()
        and lookup(rest.text) is None
    ):
        return Span(span.doc, first.i + 1, span.end, label="PER")  # "Américaine Virginia Thrasher"
    return span


def event_place(span: Span) -> Span | None:
    """The place in an event name: "Jeux olympiques de Rio 2016" -> "Rio", "Championnat de France" -> "France".

    Only for MISC spans opened by an event noun; "Tour de France" (a race, not a place) is left alone."""
    if span.label_ != "MISC" or span[0].lower_ not in EVENT_HEADS:
        return None
    doc = span.doc
    for tok in span[1:]:
        if tok.lower_ in PLACE_LINKS and tok.i + 1 < span.end:
            k = tok.i + 1
            while k < span.end and doc[k].lower_ in {"la", "l'", "l’", "les"}:
                k += 1
            end = k
            while end < span.end and _is_cap(doc[end]) and not doc[end].like_num:
                end += 1
            for stop in range(end, k, -1):
                if is_known_place(doc[k:stop].text):
                    return Span(doc, k, stop, label="LOC")
    return None


def is_false_entity(span: Span, stop_words: frozenset[str]) -> bool:
    """True when a predicted entity cannot be a name."""
    words = [t for t in span if not t.is_punct]
    if not words:
        return True
    if not any(t.text[:1].isupper() or t.text[:1].isdigit() for t in words):
        return True  # "kazakhe", "exprimant sa gratitude": names are capitalised
    if all(t.lower_ in stop_words or t.text in TITLE_ABBREVIATIONS for t in words):
        return True  # "Les", "Le La", "M."
    if len(words) == 1:
        tok = words[0]
        low = tok.text.lower()
        if tok.pos_ in NON_NAME_POS or low in stop_words:
            return True
        if len(tok.text) < 2 or tok.like_num:
            return True
        if low in GENERIC_WORDS and lookup(tok.text) is None:
            return True  # "État", "Nord", "Région" alone
    elif len(words) == 2 and words[0].lower_ in GENERIC_WORDS and (len(words[1]) == 1 or words[1].like_num):
        return True  # "Groupe A", "Article 49"
    elif words[0].pos_ == "VERB" and words[0].text[:1].isupper() and not any(t.pos_ == "PROPN" for t in words):
        return True  # participle clause at sentence start tagged MISC
    return False


def clean_span(ent: Span, stop_words: frozenset[str]) -> list[Span]:
    """The cleaned pieces of one predicted entity (possibly none)."""
    out = []
    for piece in split_span(ent):
        span = trim_span(piece)
        if span is None:
            continue
        place = event_place(span)
        if place is not None:
            out.append(place)
            continue
        if span.label_ in ("PER", "MISC") and _is_title(span[0]):
            span = strip_titles(span)
            if span is None:
                continue
        span = relabel_demonyms(span)
        if len(span) > 1 and span.label_ in ("LOC", "MISC") and span[0].lower_ in ORG_HEADS:
            span = Span(span.doc, span.start, span.end, label="ORG")
        if not is_false_entity(span, stop_words):
            out.append(span)
    return out


def join_cropped(doc: Doc, ents: list[Span]) -> list[Span]:
    """'Comité de l'aviation civile du' + 'Kazakhstan' -> one ORG; 'De' + 'Gendt' -> 'De Gendt'."""
    ents = sorted(ents, key=lambda e: e.start)
    out: list[Span] = []
    i = 0
    while i < len(ents):
        ent = ents[i]
        if ent[-1].lower_ in TRAILING_LINKS and len(ent) > 1:
            nxt = ents[i + 1] if i + 1 < len(ents) else None
            if nxt is not None and nxt.start == ent.end:
                out.append(Span(doc, ent.start, nxt.end, label=ent.label_))
                i += 2
                continue
            end = ent.end
            while end < len(doc) and doc[end].is_alpha and doc[end].text[:1].isupper():
                end += 1
            if end > ent.end:
                out.append(Span(doc, ent.start, end, label=ent.label_))
            else:
                k = ent.end
                while k > ent.start + 1 and doc[k - 1].lower_ in TRAILING_LINKS:
                    k -= 1
                out.append(Span(doc, ent.start, k, label=ent.label_))
            i += 1
            continue
        if ent.label_ == "PER":
            nxt = ents[i + 1] if i + 1 < len(ents) else None
            ent = _extend_person(ent, out[-1].end if out else 0, nxt.start if nxt is not None else len(doc))
            end = _noble_particle_end(ent)
            if end > ent.end:
                ent = Span(doc, ent.start, end, label="PER")  # "Marc Ladreit" + "de Lacharrière"
                if nxt is not None and nxt.start < end:
                    i += 1  # the surname the NER took for a place
        out.append(ent)
        i += 1
    return filter_spans(out)


def _noble_particle_end(ent: Span) -> int:
    """End of "Prénom Nom de Nom": a two-word name followed by "de" and one capitalised word that is not a
    known place nor followed by another capitalised word ("Jacques Trémolet de Villers")."""
    doc = ent.doc
    j = ent.end
    if len(ent) < 2 or j + 1 >= len(doc) or doc[j].text not in {"de", "d'", "d’"}:
        return ent.end
    word = doc[j + 1]
    after = doc[j + 2] if j + 2 < len(doc) else None
    if not _name_word(word, _STOP_WORDS) or (after is not None and after.is_alpha and after.text[:1].isupper()):
        return ent.end
    return j + 2


def _name_word(tok: Token, stop_words: frozenset[str]) -> bool:
    """A capitalised word that can continue a person's name: not a title, function word, place or nationality."""
    return (
        tok.is_alpha
        and tok.text[:1].isupper()
        and tok.lower_ not in stop_words
        and tok.lower_ not in TITLE_WORDS
        and tok.lower_ not in GENERIC_WORDS
        and not is_demonym(tok.text)
        and lookup(tok.text) is None
    )


def _extend_person(ent: Span, lo: int, hi: int) -> Span:
    """A person's name the NER cut: "Elisa Di" + "Francisca", "Oktawia" + "Nowacka", "De" + "Gendt".

    `lo`/`hi` bound the extension (the neighbouring entities)."""
    doc = ent.doc
    stop_words = _STOP_WORDS
    start, end = ent.start, ent.end
    # to the right: a particle the name ends on, or capitalised name words glued to it
    while end < hi and doc[end - 1].whitespace_ == " ":
        nxt = doc[end]
        if doc[end - 1].text in PARTICLES and end - 1 > start and _is_cap(nxt) and nxt.is_alpha or _name_word(nxt, stop_words) and nxt.pos_ in ("PROPN", "NOUN", "X", "ADJ"):
            end += 1
        else:
            break
    # to the left: a surname particle ("De Gendt") or a first name ("Heather" + "Wurtele")
    while start > lo:
        prev = doc[start - 1]
        if sentence_initial(doc[start]) or "\n" in prev.whitespace_ or not prev.whitespace_:
            break
        if prev.text in PARTICLES and not sentence_initial(prev) or _name_word(prev, stop_words) and not sentence_initial(prev) and prev.pos_ in ("PROPN", "X"):
            start -= 1
        else:
            break
    if (start, end) == (ent.start, ent.end):
        return ent
    return Span(doc, start, end, label="PER")


def _glued_hyphen(doc: Doc, i: int) -> bool:
    """Token i is a hyphen written with no space on either side ("Nouvelle-Orléans")."""
    return 0 < i < len(doc) - 1 and doc[i].text == "-" and not doc[i - 1].whitespace_ and not doc[i].whitespace_


def join_hyphenated(doc: Doc, ents: list[Span]) -> list[Span]:
    """'La Nouvelle' + '-Orléans' -> 'La Nouvelle-Orléans': the tokenizer splits some hyphenated names and the
    NER then stops at the hyphen. A capitalised word glued by a hyphen joins the entity (and the entity it
    starts, if any)."""
    out = []
    for ent in ents:
        start, end = ent.start, ent.end
        while _glued_hyphen(doc, end) and doc[end + 1].text[:1].isupper() and doc[end + 1].is_alpha:
            end += 2
        while _glued_hyphen(doc, start - 1) and doc[start - 2].text[:1].isupper() and doc[start - 2].is_alpha:
            start -= 2
        out.append(ent if (start, end) == (ent.start, ent.end) else Span(doc, start, end, label=ent.label_))
    return filter_spans(out)


def filter_entities(doc: Doc) -> None:
    """Repair or drop each predicted entity, then join organisations cut before their place name."""
    kept: list[Span] = []
    for ent in doc.ents:
        kept.extend(clean_span(ent, _STOP_WORDS))
    doc.ents = join_hyphenated(doc, join_cropped(doc, filter_spans(kept)))


@Language.factory("vigie_entity_filter", requires=["doc.ents", "token.pos"], assigns=["doc.ents"])
def make_entity_filter(nlp: Language, name: str) -> GuardedComponent:
    return GuardedComponent(name, filter_entities)
