"""French event coding: triggers -> arguments -> actors -> type refinements and non-events (`refine`) ->
attributes -> plain dicts."""
from __future__ import annotations

from spacy.tokens import Doc, Span

from vigie.events import attributes as attrs
from vigie.events.actors import ActorCoder, alpha3
from vigie.events.arguments import find_arguments
from vigie.events.mention import Actor, Mention
from vigie.events.refine import (
    CARRIER_NOUNS,
    WEAPON_WORDS,
    headline_sentences,
    is_accident_article,
    is_offtopic_article,
    refine,
    sentence_words,
    title_words,
)
from vigie.events.triggers_fr import find_triggers
from vigie.lexicons import word_class

# A trigger that needs support ("tirs", "explosion") is kept when an unambiguous trigger of the same type is
# at most this many sentences away, or in the article's first sentence (the title).
CTX_SENTENCES = 2
# PLOVER has no coup type: a coup is COERCE with a "coup" context (manual 4.8, pro-autocracy).
COUP_WORDS = frozenset({"coup", "putsch"})
# Types still reported in a sports or culture article (an attack at a match, supporters' riots, arrests).
OFFTOPIC_KEPT = frozenset({"ASSAULT", "PROTEST", "COERCE", "MOBILIZE"})
# Verbal types whose author, inside reported speech, is the speaker ("« les indices pointent Daech »").
VERBAL = frozenset({"ACCUSE", "REQUEST", "THREATEN", "REJECT", "SUPPORT", "AGREE"})
# Words of condemnation in a quote make its speaker accuse (`_condemnations`); the base confidence of such an event.
CONDEMNATION_WORDS = word_class("event_words_fr.tsv", "condemnation")
CONDEMNATION_WEIGHT = 0.6
# The implicit actor of a protest or an arrest the text does not name (PLOVER codes an actor for every event;
# protesters protest, the police arrest).
DEFAULT_SOURCES = {("PROTEST", None): ("manifestants", "CVL"), ("PROTEST", "demo"): ("manifestants", "CVL"),
                   ("PROTEST", "riot"): ("manifestants", "CVL"), ("COERCE", "arrest"): ("police", "COP")}
# Confidence taken off a noun that is only mentioned as background: a plural with no actor ("la recrudescence des
# attentats", "a multiplié les attaques") or a noun inside another noun's complement ("les conséquences de l'attaque").
GENERIC_PENALTY = 0.15
EMBEDDED_PENALTY = 0.1


def _as_place(actor: Actor | None, places: list[dict]) -> Actor | None:
    """An actor that is a place of the places module ("à Almaty" as a visit's target) gets its country."""
    if actor is None or actor.place:
        return actor
    for p in places:
        if p["start"] <= actor.start < p["end"] or actor.start <= p["start"] < actor.end:
            if p.get("kind") in ("city", "admin", "other", "country") and p["end"] - p["start"] >= actor.end - actor.start:
                actor.place = True
                actor.country = actor.country or alpha3(p.get("country"))
                if p.get("kind") == "country":
                    actor.sector = actor.sector or "GOV"
            break
    return actor


def _speaker_of(m: Mention, quotes: list, coder: ActorCoder) -> Actor | None:
    for q in quotes:
        if isinstance(q, dict) and q.get("speaker") and q.get("start", 1) <= m.start < q.get("end", 0):
            return coder.from_name(q["speaker"], q.get("speaker_start", m.start), q.get("speaker_end", m.start))
    return None


def _background_penalty(m: Mention) -> float:
    tok = m.token
    if tok.pos_ not in ("NOUN", "PROPN"):
        return 0.0
    penalty = 0.0
    if "Plur" in tok.morph.get("Number", []) and m.source is None and m.target is None:
        penalty += GENERIC_PENALTY
    if tok.dep_.startswith("nmod") and tok.head.pos_ == "NOUN" and tok.head.lemma_.lower() not in CARRIER_NOUNS:
        penalty += EMBEDDED_PENALTY
    return penalty


def _support_ok(mentions: list[Mention], sent_of: dict[int, int]) -> list[Mention]:
    strong: dict[str, list[int]] = {}
    for m in mentions:
        if not m.ctx_required and not m.weak:
            strong.setdefault(m.type, []).append(sent_of[id(m)])
    out = []
    for m in mentions:
        if m.ctx_required:
            near = strong.get(m.type, [])
            s = sent_of[id(m)]
            if not any(abs(s - k) <= CTX_SENTENCES or k == 0 for k in near):
                continue
        out.append(m)
    return out


def code_french(doc: Doc, weak: bool = False) -> list[dict]:
    """Event mention records of `doc`; with `weak`, also those of trigger words whose conditions fail, marked
    `weak` for the second opinion (`vigie.events.second_opinion`) to decide."""
    sents = attrs.split_sentences(doc)
    if not sents:
        return []
    mentions = find_triggers(doc, sents, weak=weak)
    title = title_words(sents)
    headline = headline_sentences(sents)
    accident_article = is_accident_article(title)
    if is_offtopic_article(title):  # sports, culture: only violence, protests and arrests are events there
        mentions = [m for m in mentions if m.type in OFFTOPIC_KEPT]
    sent_of = {id(m): attrs.sentence_index(sents, m.start) for m in mentions}
    mentions = _support_ok(mentions, sent_of)
    coder = ActorCoder(doc)
    places = [p for p in (doc._.places or []) if isinstance(p, dict) and "start" in p]
    if not places:
        places = fallback_places(doc)
    main = _main_place(places, coder.dominant)
    city = _main_city(places, coder.dominant)
    places = attrs.ByStart(places)
    dates = attrs.ByStart([d for d in (doc._.dates or []) if isinstance(d, dict) and "start" in d])
    quantities = attrs.ByStart([q for q in (doc._.quantities or []) if isinstance(q, dict) and "start" in q])
    out: list[dict] = []
    for m in mentions:
        si = sent_of[id(m)]
        sent = sents[si]
        words = sentence_words(sent)
        find_arguments(m)
        if m.type == "ASSAULT" and m.source_tok is not None and m.source_tok.lemma_.lower() in WEAPON_WORDS:
            m.source_tok = None  # "un engin a explosé": the weapon, not the author
        m.source = _as_place(coder.actor(m.source_tok), places)
        m.target = _as_place(coder.actor(m.target_tok), places)
        condemned = _condemned_event(m, coder)
        if not refine(m, words, coder, accident_article):
            continue
        m.context = attrs.contexts_fr(m)
        if m.token.lemma_.lower() in COUP_WORDS:
            m.context.add("coup")  # PLOVER has no coup type: COERCE with a "coup" context (manual 4.8, pro-autocracy)
        if m.type in VERBAL and (m.source is None or not (m.source.entity or m.source.sector)):
            speaker = _speaker_of(m, doc._.quotes or [], coder)
            m.source = speaker or m.source
        m.weight -= _background_penalty(m)
        if m.source is None and m.target is None and m.token.pos_ == "NOUN":
            pair = coder.adjective_pair(m.token)  # "les affrontements israélo-palestiniens"
            if pair is not None:
                m.source, m.target = pair
        if m.source is None and m.token.pos_ == "NOUN":
            m.source = coder.adjective_actor(m.token, m.type)  # "la révolte populaire", "les frappes russes"
            if m.source is not None:
                m.weight -= 0.1  # an adjective is weaker evidence of an event than a named author
        default = DEFAULT_SOURCES.get((m.type, m.mode))
        if m.source is None and default is not None:
            m.source = Actor(default[0], m.start, m.start, country=alpha3(coder.dominant), sector=default[1])
            m.weight -= 0.1  # no bonus for an actor the text does not name
        sources: list[Actor | None] = [m.source] + [coder.actor(t) for t in m.extra_sources]
        for source in sources:
            rec = _record(m, source, doc, sent, si, sents, dates, places, (main, city), quantities,
                          others=[o for o in mentions if sent_of[id(o)] == si])
            rec["headline"] = si in headline
            rec["condemned"] = condemned
            out.append(rec)
    _authors_as_targets(out)
    accusing = {sent_of[id(m)] for m in mentions if m.type == "ACCUSE"}
    for m, si in _condemnations(doc, sents, accusing, coder):
        rec = _record(m, m.source, doc, sents[si], si, sents, dates, places, (main, city), quantities)
        rec["headline"] = False
        out.append(rec)
    return out


# Verbal types whose target may be an event ("ont condamné les attentats"): its authors are the target.
EVENT_TARGETING = frozenset({"ACCUSE", "REJECT", "THREATEN", "REQUEST"})


def _condemned_event(m: Mention, coder: ActorCoder) -> str | None:
    """The type of the event a verbal mention targets instead of an actor ("condamner l'attaque" -> ASSAULT)."""
    tok = m.target_tok
    if m.type not in EVENT_TARGETING or m.target is not None or tok is None or not coder.is_event_noun(tok):
        return None
    from vigie.events.lexicon import triggers

    return next((e.type for e in triggers("fr").get(tok.lemma_.lower(), ()) if e.pos == "N"), None)


def _authors_as_targets(records: list[dict]) -> None:
    """"Les présidents ont condamné les attentats": the target is who carried them out, the nearest author of an
    event of that type told before (else after) in the article."""
    for r in records:
        kind = r.get("condemned")
        if not kind or r.get("target"):
            continue
        authors = [o for o in records if o["type"] == kind and o.get("source") and not o.get("source_place")]
        if not authors:
            continue
        before = [o for o in authors if o["start"] < r["start"]]
        author = max(before, key=lambda o: o["start"]) if before else min(authors, key=lambda o: o["start"])
        for f in ("", "_country", "_sector", "_entity", "_perp", "_place", "_affiliation"):
            r["target" + f] = author.get("source" + f)
        r["target_head"] = author.get("source_head")


def _condemnations(doc: Doc, sents: list[Span], accusing: set[int], coder: ActorCoder) -> list[tuple[Mention, int]]:
    """A speaker who condemns in a quote accuses (PLOVER ACCUSE disapprove: "express disapproval, condemn"):
    "« C'est un scandale », a déclaré X". The trigger is the word of condemnation, the source the speaker; one per
    sentence, and none where the lexicon already found an accusation."""
    out: list[tuple[Mention, int]] = []
    for q in doc._.quotes or []:
        if not (isinstance(q, dict) and q.get("speaker") and q.get("start") is not None):
            continue
        span = doc.char_span(q["start"], q["end"], alignment_mode="expand")
        if span is None:
            continue
        word = next((t for t in span if t.lemma_.lower() in CONDEMNATION_WORDS or t.lower_ in CONDEMNATION_WORDS), None)
        if word is None:
            continue
        si = attrs.sentence_index(sents, word.idx)
        if si in accusing:
            continue
        accusing.add(si)
        m = Mention("ACCUSE", "disapprove", word, None, word.idx, word.idx + len(word.text), CONDEMNATION_WEIGHT)
        m.source = coder.from_name(q["speaker"], q.get("speaker_start", m.start), q.get("speaker_end", m.start))
        m.context = attrs.contexts_fr(m)
        out.append((m, si))
    return out


def _record(m: Mention, source: Actor | None, doc: Doc, sent: Span, si: int, sents: list[Span], dates: list[dict],
            places: list[dict], fallbacks: tuple[dict | None, dict | None], quantities: list[dict],
            others: list[Mention] | None = None) -> dict:
    """One mention as a plain dict. `fallbacks`: the article's (country, main city) places, for an event whose
    clause names no place."""
    exclude = [(a.start, a.end) for a in (source, m.target) if a is not None and not a.place]
    place = pick = attrs.pick_place(m, doc, places, sent, exclude)
    if m.target is not None and m.target.place:
        place = next((p for p in attrs.starting_in(places, m.target.start, m.target.end + 1)
                      if p["end"] <= m.target.end), pick)
    located_from = "clause"
    counts = attrs.counts(m, quantities, sents, si, others or ())
    if place is None:
        country, city = fallbacks
        local = city is not None and _on_the_ground(m) and not _country_wide(sent, counts)
        place, located_from = (city if local else country), "article"
    date = attrs.pick_date(m, doc, dates, sent)
    conf = m.weight + (0.1 if source is not None else 0.0) + (0.05 if m.target is not None else 0.0)
    if source is None and m.target is None:
        conf -= 0.1
    if m.ctx_required:
        conf -= 0.05
    rec = {
        "source_head": _head_key(source),
        "target_head": _head_key(m.target),
        "type": m.type,
        "mode": m.mode,
        "start": m.start,
        "end": m.end,
        "lemma": m.token.lemma_.lower(),
        "weak": m.weak,
        "sent": si,
        "evidence_start": sent.start_char,
        "evidence_end": sent.end_char,
        "context": sorted(m.context),
        "confidence": round(max(0.0, min(conf, 0.99)), 3),
        "date_start": date["start"] if date else None,
        "date_end": date["end"] if date else None,
        "past": attrs.past_tense(m.token),
        "location": place.get("name") or place.get("text") if place else None,
        "location_country": place.get("country") if place else None,
        "location_from": located_from if place else None,
    }
    for role, actor in (("source", source), ("target", m.target)):
        rec[role] = actor.name if actor else None
        rec[f"{role}_country"] = actor.country if actor else None
        rec[f"{role}_sector"] = actor.sector if actor else None
        rec[f"{role}_entity"] = actor.entity if actor else False
        rec[f"{role}_perp"] = actor.perp if actor else False
        rec[f"{role}_place"] = actor.place if actor else False
        rec[f"{role}_affiliation"] = actor.affiliation if actor else None
    rec.update(counts)
    return rec


def _head_key(actor: Actor | None) -> str | None:
    """The first word of an actor's name, folded: "contingent militaire" and "contingent de maintien de la paix"
    are one actor for merging."""
    if actor is None:
        return None
    if actor.head:
        return actor.head
    if actor.entity:
        return None
    words = actor.name.lower().split()
    return words[0][:6] if words else None


def fallback_places(doc: Doc) -> list[dict]:
    """Places from LOC entities and the gazetteer, used when the places module gave none."""
    from vigie.events.actors import place_country

    out = []
    for ent in doc.ents:
        if ent.label_ != "LOC":
            continue
        country, kind = place_country(ent.text)
        if country is None:
            continue
        out.append({"start": ent.start_char, "end": ent.end_char, "name": ent.text, "country": country, "kind": kind})
    return out


def _main_place(places: list[dict], dominant: str | None) -> dict | None:
    """The article-level place of a statement, decision or country-wide event with none in its clause: the
    dominant country itself (its first mention), else the places module's main place (on-the-ground events take
    the main city instead: `_main_city`)."""
    if not dominant:
        return next((p for p in places if p.get("main")), None)
    of_country = [p for p in places if p.get("country") == dominant]
    for p in of_country:
        if p.get("kind") == "country":
            return p
    main = next((p for p in places if p.get("main")), None)
    return main or (of_country[0] if of_country else None)


# Events that happen at one spot (an attack, a demonstration, an arrest, a deployment): with no place in their
# clause, they took place where the article's story does, its main city, rather than anywhere in its country
# (the annotation guide's most specific place). Statements, decisions and policies stay at country level.
ON_THE_GROUND = frozenset({"ASSAULT", "PROTEST", "MOBILIZE"})
ON_THE_GROUND_MODES = frozenset({("COERCE", "arrest"), ("COERCE", "confiscate"), ("RETREAT", "release")})


# ... unless the sentence says the whole country ("dans le pays", "à travers tout le pays") or counts people by
# the thousand (10,000 arrests, tens of thousands of protesters happen in many places, not at one spot).
MASS_COUNT = 1000


def _on_the_ground(m: Mention) -> bool:
    return m.type in ON_THE_GROUND or (m.type, m.mode) in ON_THE_GROUND_MODES


def _country_wide(sent: Span, counts: dict) -> bool:
    if any(isinstance(v, (int, float)) and v >= MASS_COUNT for v in counts.values()):
        return True
    for t in sent:
        # "le pays", "tout le pays"; not "le pays basque", "les pays voisins", "le pays de Galles"
        if t.lemma_.lower() == "pays" and t.lower_ == "pays" and not any(
                c.dep_ in ("amod", "nmod") and c.lower_ != "tout" for c in t.children) and any(
                c.dep_ == "det" and c.lower_ in ("le", "du", "au") for c in t.children):
            return True
    return False


def _main_city(places: list[dict], dominant: str | None) -> dict | None:
    """The article's main city: the places module's main place when it is a city of the dominant country, else the
    most mentioned city of that country (its first mention); None when the article names none."""
    cities = [p for p in places if p.get("kind") == "city" and (not dominant or p.get("country") == dominant)]
    if not cities:
        return None
    main = next((p for p in cities if p.get("main")), None)
    if main is not None:
        return main
    counts: dict[str, int] = {}
    for p in cities:
        key = p.get("name") or p.get("text") or ""
        counts[key] = counts.get(key, 0) + 1
    best = max(counts, key=lambda k: counts[k])
    return next(p for p in cities if (p.get("name") or p.get("text") or "") == best)
