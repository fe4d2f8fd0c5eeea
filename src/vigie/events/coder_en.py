"""English event coding: trigger words, with the English model's tags and parse where it gave them.

Triggers are word forms of `resources/event_triggers_en.tsv` (regular inflections generated here, irregular
ones listed); a word that has both a verb and a noun entry is read as a noun after a determiner. Actors are the
nearest noun phrase on each side of the trigger inside its clause: a run of capitalised words, a demonym
("Hungarian officials") or an actor word of `actor_sectors.tsv`; "by X" after a passive is the source.
Contexts come from the words before the trigger ("will", "would", "not", "if"); promised cooperation is AGREE
(PLOVER manual 3.1).

With the English model's tags and parse (the default pipeline), a noun entry is never read on a verb, a verb
entry is read on a noun only when that noun names an event ("clashes", "the raid"; not "shell companies", "a
phone"), a trigger that only modifies another noun is no event ("attack helicopter"), and the entries' parse conditions apply: `noobj=` (the object, or the subject of a passive,
is none of these words: "documents released by WikiLeaks" is no release of people), `nosubj=` (the subject is none
of these: "stocks rallied"), `nomod=` (no modifier among these: "a campaign rally"). Violence words in a sentence
about a match or a race are sport, not assaults, when no word of real violence is there. Actors are proper nouns,
nouns and demonyms, never a preposition, a pronoun, a date or a sentence's first common noun ("Video shows...").
"""
from __future__ import annotations

from functools import lru_cache

from spacy.tokens import Doc, Span, Token

from vigie.events.actors import alpha3
from vigie.events.lexicon import TriggerEntry, sectors, triggers
from vigie.language.demonyms import demonym_country
from vigie.lexicons import word_class

#: The word lists of this module (`resources/event_words_en.tsv`, one class per list).
WORDS_EN = "event_words_en.tsv"
DETERMINERS = word_class(WORDS_EN, "determiner")
FUTURE_WORDS = frozenset({"will", "would", "shall", "'ll", "plans", "plan", "planned", "intends", "intend", "to"})
NEGATION_WORDS = frozenset({"not", "n't", "never", "no"})
HYPOTHETICAL_WORDS = frozenset({"if", "could", "might", "may", "unless"})
# Words that end a noun phrase search: clause boundaries and reporting verbs.
STOP_WORDS = word_class(WORDS_EN, "stop_word") | {","}
FUNCTION_WORDS = word_class(WORDS_EN, "function_word")
# Words skipped between a trigger and its object ("attacked on the ...").
OBJECT_SKIP = word_class(WORDS_EN, "object_skip")
# How many words before a trigger are read for its context, and how far an actor is looked for.
CONTEXT_WINDOW = 4
ACTOR_WINDOW = 8
# Same-type unambiguous trigger distance (sentences) for "ctx" entries.
CTX_SENTENCES = 2
# A sentence about a match or a race, and the words that make violence in it real (sport_context, match_violence).
SPORT_WORDS = word_class(WORDS_EN, "sport_context")
MATCH_VIOLENCE = word_class(WORDS_EN, "match_violence")
#: Types whose triggers name moves in a game as well as violence ("attack", "clash", "strike", "shoot").
SPORT_PRONE = frozenset({"ASSAULT", "COERCE", "THREATEN", "MOBILIZE"})
#: Parts of speech that can be (part of) an actor's name; demonyms ("Israeli", ADJ) are allowed apart.
ACTOR_POS = frozenset({"PROPN", "NOUN", "X"})
VERB_POS = frozenset({"VERB", "AUX"})
#: Verb triggers whose noun is no event ("shell companies", "a phone", "the press"): matched only as verbs.
NOT_EVENT_NOUNS = word_class(WORDS_EN, "not_event_noun")
PASSIVE_SUBJECTS = frozenset({"nsubjpass", "nsubj:pass"})


def _inflections(word: str) -> set[str]:
    """Regular English inflections of a base form: attack -> attacks, attacked, attacking."""
    out = {word}
    if word.endswith(("s", "x", "ch", "sh", "z")):
        out.add(word + "es")
    elif word.endswith("y") and len(word) > 2 and word[-2] not in "aeiou":
        out.add(word[:-1] + "ies")
    else:
        out.add(word + "s")
    if word.endswith("e"):
        out |= {word + "d", word[:-1] + "ing"}
    elif word.endswith("y") and len(word) > 2 and word[-2] not in "aeiou":
        out |= {word[:-1] + "ied", word + "ing"}
    else:
        out |= {word + "ed", word + "ing"}
        if len(word) >= 3 and word[-1] not in "aeiouwxy" and word[-2] in "aeiou" and word[-3] not in "aeiou":
            out |= {word + word[-1] + "ed", word + word[-1] + "ing"}  # stop -> stopped (also "visitted": harmless)
    return out


@lru_cache(maxsize=1)
def _table() -> dict[str, list[tuple[TriggerEntry, tuple[str, ...]]]]:
    table: dict[str, list[tuple[TriggerEntry, tuple[str, ...]]]] = {}
    for entries in triggers("en").values():
        for e in entries:
            words = e.lemma.split()
            forms = set(_inflections(words[0])) if e.pos == "V" else {words[0], words[0] + "s"}
            for cond, ws in e.requires:
                if cond == "forms":
                    forms |= set(ws)
            for f in forms:
                table.setdefault(f, []).append((e, tuple(words[1:])))
    return table


def _follows(doc: Doc, i: int, rest: tuple[str, ...]) -> int | None:
    """Index of the last word of `rest` when it follows token i (each within two words), else None."""
    j = i
    for w in rest:
        found = None
        for k in range(j + 1, min(j + 3, len(doc))):
            if doc[k].lower_ == w:
                found = k
                break
        if found is None:
            return None
        j = found
    return j


def _conditions(doc: Doc, i: int, end: int, entry: TriggerEntry) -> tuple[bool, bool]:
    ctx = False
    nxt = [t.lower_ for t in doc[end + 1 : end + 3]]
    ahead = [t.lower_ for t in doc[end + 1 : end + 6]]
    parsed = doc.has_annotation("DEP")
    tok = doc[i]
    for cond, words in entry.requires:
        if cond == "next" and not words & set(nxt):
            return False, False
        if cond == "nonext" and words & set(nxt):
            return False, False
        if cond == "obj" and not words & set(ahead):
            return False, False
        if cond == "ctx":
            ctx = True
        if not parsed:
            continue
        if cond == "noobj" and words & _forms(_objects(tok)):
            return False, False
        if cond == "nosubj" and words & _forms(_subjects(tok)):
            return False, False
        if cond == "nomod" and any(c.lower_ in words for c in tok.children if c.dep_ in ("compound", "amod", "nmod")):
            return False, False
    return True, ctx


def _objects(tok: Token) -> list[Token]:
    """What the trigger acts on: its direct objects, the subject of its passive, the noun a participle modifies
    ("documents released by"), the object of "of" after a noun ("the release of prisoners")."""
    out = [c for c in tok.children if c.dep_ in ("dobj", "obj") or c.dep_ in PASSIVE_SUBJECTS]
    if tok.dep_ in ("acl", "amod", "relcl") and tok.head is not tok:
        out.append(tok.head)
    for c in tok.children:
        if c.dep_ == "prep" and c.lower_ == "of":
            out += [g for g in c.children if g.dep_ == "pobj"]
    return out


def _forms(tokens: list[Token]) -> set[str]:
    return {t.lower_ for t in tokens} | {t.lemma_.lower() for t in tokens}


def _subjects(tok: Token) -> list[Token]:
    return [c for c in tok.children if c.dep_ in ("nsubj", "csubj")]


def _pos_fits(tok: Token, entry: TriggerEntry) -> bool:
    """With tags: a verb entry on a verb, a noun entry on a noun that is not only a modifier of another noun."""
    if not tok.doc.has_annotation("TAG") or not tok.pos_:
        return True
    if entry.pos == "V":
        if tok.pos_ in VERB_POS:
            return True
        # a verb trigger read as a noun: an event noun ("clashes", "the raid", "a march") unless its noun is no
        # event ("shell companies", "the back", "a phone"), and not as a mere modifier ("clash point")
        if any(e.pos == "N" for e, _ in _table().get(tok.lower_, ())):
            return False  # the word's noun entry decides its noun readings
        return tok.lower_ not in NOT_EVENT_NOUNS and tok.dep_ != "compound"
    if tok.pos_ in VERB_POS:
        return False
    return not (tok.dep_ == "compound" and len(entry.lemma.split()) == 1)


def _sport(sent: Span) -> bool:
    words = {t.lower_ for t in sent}
    return bool(words & SPORT_WORDS) and not words & MATCH_VIOLENCE


def _actor_words(tok: Token) -> bool:
    if tok.is_punct or tok.like_num:
        return False
    low = tok.lower_
    sector_word = low in sectors() or (low.endswith("s") and low[:-1] in sectors())
    if demonym_country(tok.text):
        return True
    if tok.doc.has_annotation("TAG") and tok.pos_:
        if tok.pos_ not in ACTOR_POS or tok.i in _date_tokens(tok.doc):
            return False
        if not sector_word and tok.pos_ == "NOUN" and tok.i == tok.sent.start:
            return False  # a capitalised common noun only because it opens the sentence ("Video shows")
    if sector_word:
        return True
    return tok.text[:1].isupper() and low not in FUNCTION_WORDS


def _date_tokens(doc: Doc) -> frozenset[int]:
    """Tokens inside the document's date expressions (vigie's dates run before the events)."""
    cached = doc.user_data.get("vigie_en_date_tokens")
    if cached is None:
        spans = [(d["start"], d["end"]) for d in (doc._.dates or []) if isinstance(d, dict) and "start" in d]
        cached = frozenset(t.i for t in doc if any(a <= t.idx < b for a, b in spans))
        doc.user_data["vigie_en_date_tokens"] = cached
    return cached


def _noun_phrase(doc: Doc, start: int, step: int, limit: int) -> Span | None:
    """The nearest run of actor words from `start` going left (step -1) or right (+1)."""
    i, seen = start, 0
    while 0 <= i < len(doc) and seen < ACTOR_WINDOW and (i >= limit if step < 0 else i < limit):
        t = doc[i]
        if t.lower_ in STOP_WORDS or t.is_punct and t.text not in "-.'":
            return None
        if _actor_words(t) and not (step < 0 and i == t.sent.start and t.lower_ in FUNCTION_WORDS):
            lo = hi = i
            while lo - 1 >= limit if step < 0 else lo - 1 >= t.sent.start:
                p = doc[lo - 1]
                if _actor_words(p) or (p.lower_ in ("and", "of", "-") and lo - 2 >= 0 and _actor_words(doc[lo - 2])):
                    lo -= 1
                else:
                    break
            while hi + 1 < t.sent.end and (_actor_words(doc[hi + 1]) or doc[hi + 1].lower_ in ("'s",)):
                hi += 1
            return doc[lo : hi + 1]
        i += step
        seen += 1
    return None


def _code_actor(span: Span | None) -> dict | None:
    if span is None:
        return None
    name = span.text.strip(" ,.'")
    if name.lower().startswith("the "):
        name = name[4:]
    country, sector, perp = None, None, False
    table = sectors()
    for t in span:
        low = t.lower_
        c = demonym_country(t.text) or _country_en(t.text)
        if c and country is None:
            country = alpha3(c)
            sector = sector or ("GOV" if _country_en(t.text) else None)
        found = table.get(low) or (table.get(low[:-1]) if low.endswith("s") else None)
        if found:
            sector, perp = found[0] or sector, found[1]
    if _country_en(name):
        sector = "GOV"
    return {"name": name, "start": span.start_char, "end": span.end_char, "country": country, "sector": sector,
            "perp": perp, "entity": span.text[:1].isupper() and sector is None}


@lru_cache(maxsize=1)
def _english_countries() -> dict[str, str]:
    try:
        from babel import Locale
    except ImportError:  # pragma: no cover
        return {}
    out = {}
    for code, name in Locale("en").territories.items():
        if len(code) == 2 and code.isalpha():
            out[name.lower()] = code
    out.update({"britain": "GB", "u.s.": "US", "us": "US", "usa": "US", "america": "US", "russia": "RU"})
    return out


def _country_en(word: str) -> str | None:
    return _english_countries().get(word.lower().strip(" .,"))


def _context(doc: Doc, i: int) -> set[str]:
    words = [t.lower_ for t in doc[max(i - CONTEXT_WINDOW, doc[i].sent.start) : i]]
    out = set()
    if set(words) & NEGATION_WORDS:
        out.add("negated")
    if set(words) & {"will", "would", "shall", "'ll"} or {"plans", "plan", "intends", "is", "are"} & set(words) and "to" in words:
        out.add("future")
    if set(words) & HYPOTHETICAL_WORDS:
        out.add("hypothetical")
    return out


def code_english(doc: Doc) -> list[dict]:
    table = _table()
    sents = list(doc.sents) if doc.has_annotation("SENT_START") else [doc[:]]
    sent_index = {}
    for k, s in enumerate(sents):
        for t in s:
            sent_index[t.i] = k
    found: list[tuple[int, int, TriggerEntry, bool]] = []
    i = 0
    while i < len(doc):
        tok = doc[i]
        cands = table.get(tok.lower_)
        if not cands:
            i += 1
            continue
        after_det = i > 0 and doc[i - 1].lower_ in DETERMINERS
        ordered = sorted(cands, key=lambda c: (c[0].pos == "V") == after_det)  # noun readings first after "the"
        hit = None
        for entry, rest in ordered:
            end = _follows(doc, i, rest) if rest else i
            if end is None or not _pos_fits(tok, entry):
                continue
            if entry.type in SPORT_PRONE and doc.has_annotation("SENT_START") and _sport(tok.sent):
                continue
            ok, ctx = _conditions(doc, i, end, entry)
            if ok:
                hit = (i, end, entry, ctx)
                break
        if hit:
            found.append(hit)
            i = hit[1] + 1
        else:
            i += 1
    strong: dict[str, list[int]] = {}
    for i, _, e, ctx in found:
        if not ctx:
            strong.setdefault(e.type, []).append(sent_index.get(i, 0))
    from vigie.events.attributes import ByStart

    places = ByStart([p for p in (doc._.places or []) if isinstance(p, dict) and "start" in p])
    dates = ByStart([d for d in (doc._.dates or []) if isinstance(d, dict) and "start" in d and not d.get("dateline")])
    quantities = ByStart([q for q in (doc._.quantities or []) if isinstance(q, dict) and "start" in q])
    out = []
    for i, end, entry, ctx in found:
        si = sent_index.get(i, 0)
        if ctx and not any(abs(si - k) <= CTX_SENTENCES for k in strong.get(entry.type, [])):
            continue
        out.append(_record(doc, sents, si, i, end, entry, places, dates, quantities))
    return out


def _record(doc: Doc, sents: list[Span], si: int, i: int, end: int, entry: TriggerEntry, places: list[dict],
            dates: list[dict], quantities: list[dict]) -> dict:
    from vigie.events import attributes as attrs
    from vigie.events.mention import Mention

    sent = sents[si]
    tok = doc[i]
    passive = i > 0 and doc[i - 1].lower_ in ("was", "were", "been", "be", "is", "are") and tok.lower_.endswith(("ed", "en"))
    left = _noun_phrase(doc, i - 1, -1, sent.start)
    right_start = end + 1
    while right_start < sent.end and doc[right_start].lower_ in OBJECT_SKIP:
        right_start += 1
    right = _noun_phrase(doc, right_start, 1, sent.end)
    source, target = _code_actor(left), _code_actor(right)
    if passive:
        by = next((k for k in range(end + 1, min(end + 4, sent.end)) if doc[k].lower_ == "by"), None)
        source, target = (_code_actor(_noun_phrase(doc, by + 1, 1, sent.end)) if by is not None else None), source
    if "inverse" in entry.roles:
        source, target = target, source
    typ, mode = entry.type, entry.mode
    context = _context(doc, i)
    if entry.lemma == "coup":
        context.add("coup")
    m = Mention(typ, mode, tok, entry, tok.idx, doc[end].idx + len(doc[end].text), entry.weight)
    in_sent_dates = attrs.starting_in(dates, sent.start_char, sent.end_char)
    date = in_sent_dates[0] if len(in_sent_dates) == 1 else None
    in_sent_places = attrs.starting_in(places, sent.start_char, sent.end_char)
    in_sent_places.sort(key=lambda p: abs(p["start"] - tok.idx))
    place = in_sent_places[0] if in_sent_places else None
    conf = entry.weight + (0.1 if source else 0.0) + (0.05 if target else 0.0) - (0.1 if not source and not target else 0.0)
    rec = {
        "type": typ, "mode": mode, "start": m.start, "end": m.end, "lemma": entry.lemma, "sent": si,
        "evidence_start": sent.start_char, "evidence_end": sent.end_char, "context": sorted(context),
        "confidence": round(max(0.0, min(conf, 0.99)), 3),
        "date_start": date["start"] if date else None, "date_end": date["end"] if date else None,
        "location": (place.get("name") or place.get("text")) if place else None,
        "location_country": place.get("country") if place else None, "location_from": "clause" if place else None,
    }
    for role, a in (("source", source), ("target", target)):
        rec[role] = a["name"] if a else None
        rec[f"{role}_country"] = a["country"] if a else None
        rec[f"{role}_sector"] = a["sector"] if a else None
        rec[f"{role}_entity"] = bool(a and a["entity"])
        rec[f"{role}_perp"] = bool(a and a["perp"])
        rec[f"{role}_place"] = False
        rec[f"{role}_head"] = None
    rec.update(attrs.counts(m, quantities, sents, si))
    return rec
