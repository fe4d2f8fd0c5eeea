"""Event attributes read around the trigger: contexts, counts, the date expression and the place.

Contexts (French parse): negated ("n'a pas", "aucune", a governing "refuser de", "empêcher", a foiled attack);
hypothetical (a "si" clause, intention verbs "vouloir commettre", "menacer de", a conditional "pourrait"; the
conditional of reported facts, "l'attaque aurait fait 10 morts", is not hypothetical); future (future tense,
"doit", "va", "prévoit", "sur le point de"). Historical is decided later from the resolved date.
Dates and places are chosen by attachment: an expression inside the trigger's clause first, then the
sentence's, then (for places) the article's main place. Counts come from the quantities module by role, in
the trigger's sentence or the next one.
"""
from __future__ import annotations

import re
from bisect import bisect_left

from spacy.tokens import Doc, Span, Token

from vigie.events.mention import Mention
from vigie.lexicons import word_class
from vigie.nlp.extensions import french_parse

#: The word lists of this module (`resources/event_words_fr.tsv`, one class per list).
WORDS_FR = "event_words_fr.tsv"
NEGATIONS = frozenset({"pas", "jamais", "plus", "guère", "aucun", "aucune", "nullement", "not", "never", "no"})
# Governing verbs that deny or prevent the event they govern.
NEGATING_VERBS = word_class(WORDS_FR, "negating_verb")
# Governing verbs (and nouns) of intention, fear or possibility: the event did not (yet) happen.
HYPOTHETICAL_VERBS = word_class(WORDS_FR, "hypothetical")
# Calls for an event ("appel à", "appeler à", "exhorter à"): the event is still to come.
CALLS = frozenset({"appel", "appeler", "exhorter", "inciter", "incitation", "encourager"})
# Nouns through which a governing verb still applies to the event ("déjouer un projet d'attentat").
PLAN_NOUNS = frozenset({"projet", "tentative", "plan", "intention", "menace", "idée", "risque", "préparation"})
FUTURE_VERBS = frozenset({"devoir", "aller", "prévoir", "compter", "appeler", "promettre"})
# Modal verbs whose conditional makes the event hypothetical ("pourrait", "devrait").
MODALS = frozenset({"pouvoir", "devoir"})
# How many governing words are climbed to find the context ("voulaient commettre une attaque": 2).
MAX_GOVERNORS = 3


class ByStart(list):
    """A list of plain dicts with a "start" offset (dates, places, quantities) that also finds, for a
    character range, the items starting in it in list order: every event looks up its sentence's, and a long
    article has thousands of both."""

    def __init__(self, items: list[dict]) -> None:
        super().__init__(items)
        self._order = sorted(range(len(self)), key=lambda i: self[i].get("start", -1))
        self._starts = [self[i].get("start", -1) for i in self._order]

    def starting_in(self, lo: int, hi: int) -> list[dict]:
        a, b = bisect_left(self._starts, lo), bisect_left(self._starts, hi)
        return [self[i] for i in sorted(self._order[a:b])]


def starting_in(items: list[dict], lo: int, hi: int) -> list[dict]:
    """The items whose start is in lo..hi-1, in list order (through the index of a `ByStart`)."""
    if isinstance(items, ByStart):
        return items.starting_in(lo, hi)
    return [d for d in items if lo <= d.get("start", -1) < hi]


# Quantity roles -> event fields, by event type.
COUNT_FIELDS = {"killed": "killed", "victims": "killed", "injured": "injured", "arrested": "arrested"}
SIZE_ROLES = {
    "PROTEST": ("participants",),
    "MOBILIZE": ("troops", "police"),
    "RETREAT": ("troops",),
    "AID": ("troops",),
    "ASSAULT": ("troops",),
}
# Which count fields each type may carry.
TYPE_COUNTS = {
    "ASSAULT": ("killed", "injured"),
    "PROTEST": ("killed", "injured", "arrested"),
    "COERCE": ("arrested",),
}


def _governors(tok: Token) -> list[Token]:
    out, t = [], tok
    for _ in range(MAX_GOVERNORS):
        if t.head == t or t.dep_ in ("ROOT", "parataxis", "advcl", "acl:relcl"):
            break
        t = t.head
        out.append(t)
        if t.pos_ in ("VERB", "AUX") and "Fin" in t.morph.get("VerbForm", []):
            break
    return out


# Negation words that are also comparatives or quantifiers ("plus de 200 personnes", "not only") negate only
# with "ne" beside them ("n'a plus", "ne ... guère").
NEEDS_NE = frozenset({"plus", "guère"})


def _negated(tok: Token) -> bool:
    # "ne" hangs on the verb or on its auxiliary ("n'a plus arrêté")
    near = [c for c in tok.children] + [g for c in tok.children if c.dep_.startswith("aux") for g in c.children]
    has_ne = any(c.lower_ in ("ne", "n'", "n’") for c in near)
    for c in tok.children:
        if c.lower_ in NEEDS_NE and not has_ne:
            continue
        if c.lower_ in NEGATIONS and c.dep_ in ("advmod", "det", "amod", "nmod", "obl"):
            return True
        if c.dep_ == "det" and c.lower_ in ("aucun", "aucune", "nul", "nulle", "no"):
            return True
        if c.dep_ == "case" and c.lower_ == "sans":
            return True
    return False


def contexts_fr(m: Mention) -> set[str]:
    tok = m.token
    out: set[str] = set()
    chain = [tok] + _governors(tok)
    for i, t in enumerate(chain):
        lemma = t.lemma_.lower()
        # a governing verb's meaning applies to what it governs, not to its subject ("l'attentat visait ..."),
        # nor to a coordinated verb, and only through verbs and nouns of plans ("voulaient commettre un attentat",
        # "un projet d'attentat déjoué"), not through any object ("abandonné leur véhicule et poignardé ...")
        governs = i > 0 and chain[i - 1].dep_ not in ("nsubj", "conj") and (
            i == 1 or chain[i - 1].pos_ in ("VERB", "AUX") or chain[i - 1].lemma_.lower() in PLAN_NOUNS)
        if _negated(t) and (t.pos_ in ("VERB", "AUX") or t == tok):
            out.add("negated")
        if governs and lemma in NEGATING_VERBS:
            out.add("negated")
        if governs and lemma in HYPOTHETICAL_VERBS:
            out.add("hypothetical")
        if any(c.dep_ == "mark" and c.lower_ in ("si", "s'") for c in t.children) and _irrealis(t):
            out.add("hypothetical")  # "si l'armée intervenait, ..." (not the concessive "si les émeutes sont ...")
        if governs and lemma in MODALS and _conditional(t):
            out.add("hypothetical")
        if t == tok and any(c.dep_ == "acl" and c.lemma_.lower() in NEGATING_VERBS for c in t.children):
            out.add("negated")  # "un attentat déjoué"
        if any(c.lemma_ in MODALS and "Cnd" in c.morph.get("Mood", []) for c in t.children if c.dep_.startswith("aux")):
            out.add("hypothetical")
        if "Fut" in t.morph.get("Tense", []):
            out.add("future")
        elif (any("Fut" in c.morph.get("Tense", []) for c in t.children if c.dep_.startswith("aux"))
              and "Part" not in t.morph.get("VerbForm", [])):
            # "aura fait trois morts" (futur antérieur) is the news' conjecture about the past
            out.add("future")
        if governs and lemma in FUTURE_VERBS and "Pres" in t.morph.get("Tense", []):
            out.add("future")
        if governs and lemma in CALLS:
            # what is called for has not happened: a future protest, a hypothetical killing ("appels à tuer")
            out.add("hypothetical" if m.type == "ASSAULT" else "future")
        if i > 0 and lemma == "point" and any(c.lower_ == "sur" for c in t.children):
            out.add("future")  # "est sur le point de quitter"
    return out


def _irrealis(si_verb: Token) -> bool:
    """The main clause of a "si" clause is in the conditional or the future: the condition is hypothetical
    ("si l'armée attaquait, les civils fuiraient"), not concessive ("si les émeutes sont qualifiées ..., les
    violences avaient éclaté"). When the parser made the "si" clause the root, any other verb of the sentence."""
    heads = [si_verb.head] if si_verb.head != si_verb else [
        t for t in si_verb.sent if t.pos_ in ("VERB", "AUX") and t.i not in {x.i for x in si_verb.subtree}]
    forms = [h for h in heads] + [c for h in heads for c in h.children if c.dep_.startswith("aux")]
    if any(_conditional(t) or "Fut" in t.morph.get("Tense", []) for t in forms):
        return True
    # "si" with the imperfect or pluperfect is counterfactual ("si l'armée attaquait", "s'il avait su")
    own = [si_verb] + [c for c in si_verb.children if c.dep_.startswith("aux")]
    return any("Imp" in t.morph.get("Tense", []) for t in own)


def _conditional(tok: Token) -> bool:
    """Conditional mood; the tagger sometimes reads "fuiraient" as an imperfect, so the ending counts too."""
    return "Cnd" in tok.morph.get("Mood", []) or (
        tok.pos_ in ("VERB", "AUX") and tok.lower_.endswith(("rait", "raient", "rais", "rions", "riez")))


def split_sentences(doc: Doc) -> list[Span]:
    """The parser's sentences, cut again at line breaks (a title or a quoted heading is its own sentence)."""
    out: list[Span] = []
    for sent in doc.sents:
        start = sent.start
        if out and start > 0 and out[-1].end == start and not doc[start - 1].whitespace_ \
                and not doc[start - 1].is_punct and doc[start].text[:1] in "-‑":
            start = out.pop().start  # the parser cut inside a hyphenated name ("Bâton" | "-Rouge")
        for t in sent:
            if "\n" in t.text or (t.is_space and "\n" in t.text_with_ws):
                if t.i > start:
                    out.append(doc[start : t.i])
                start = t.i + 1
            elif "\n" in t.whitespace_ and t.i + 1 < sent.end:
                out.append(doc[start : t.i + 1])
                start = t.i + 1
        if start < sent.end:
            out.append(doc[start : sent.end])
    return out


def sentence_index(sents: list[Span], char: int) -> int:
    lo, hi = 0, len(sents) - 1
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if sents[mid].start_char <= char:
            lo = mid
        else:
            hi = mid - 1
    return lo


# Dependents that open a clause of their own: what they say has its own date and place.
CLAUSE_DEPS = frozenset({"advcl", "acl:relcl", "acl", "ccomp", "csubj", "parataxis"})


def own_clause(tok: Token) -> set[int]:
    """The trigger's subtree without the clauses nested in it ("se sont réunis à Rome, après avoir été accueillis
    dans la salle où le traité fut signé en 1957": 1957 is the treaty's). A noun keeps its own relative or
    participle clause ("l'attentat qui a eu lieu le 16 février")."""
    out: set[int] = set()
    stack = [tok]
    while stack:
        t = stack.pop()
        out.add(t.i)
        for c in t.children:
            if c.dep_ in CLAUSE_DEPS and not (t == tok and tok.pos_ in ("NOUN", "PROPN")):
                continue
            if c.dep_ == "conj" and c.pos_ in ("VERB", "AUX") and t == tok:
                continue  # "a lancé ... et poignardé": each verb its own clause
            stack.append(c)
    return out


def _clause_tokens(tok: Token) -> set[int]:
    """Token indices of the trigger's clause: its subtree, and its governing verb's direct dependents."""
    idx = own_clause(tok)
    below = tok
    for g in _governors(tok)[:2]:
        if below.dep_ in ("ccomp", "parataxis") and _reporting(g):
            break  # "a annoncé aujourd'hui que « la grève va ... »": the day of saying, not of the strike
        below = g
        for c in g.children:
            if c.dep_.startswith(("obl", "advmod", "nmod")):
                idx.update(t.i for t in c.subtree)
    return idx


def reported(tok: Token) -> bool:
    """The trigger is inside the clause a verb of saying reports ("X a annoncé que « la grève ... »")."""
    below = tok
    for g in _governors(tok):
        if below.dep_ in ("ccomp", "parataxis") and _reporting(g):
            return True
        below = g
    return False


def _reporting(tok: Token) -> bool:
    """A verb of saying that is no event itself ("annoncer", "déclarer"; not "accuser" nor "menacer")."""
    from vigie.events.lexicon import triggers
    from vigie.quotes.lexicon import french

    lemma = tok.lemma_.lower()
    return french().verb(lemma) is not None and lemma not in triggers("fr")


# Prepositions that introduce where something happens ("à Almaty", "en Syrie", "dans le Sinaï").
LOCATIVE = word_class(WORDS_FR, "locative")


def _place_tokens(tok: Token, climb: bool = False) -> set[int]:
    """Tokens of the trigger's locative complements ("à Almaty", "dans le Sinaï"), and its governor's when the
    trigger is a noun ("des frappes ... dans la péninsule"), without the subjects' and objects' own words.
    With `climb`, a trigger in a relative or participle clause also takes the complements of the clause its
    noun belongs to ("au péage d'Ancenis, les gendarmes ont interpelé un manifestant qui bloquait le péage")."""
    idx: set[int] = set()
    heads = [tok] + ([tok.head] if tok.pos_ in ("NOUN", "PROPN") and tok.head != tok else [])
    if climb and tok.dep_ in ("acl:relcl", "acl") and tok.head != tok:
        noun = tok.head  # its own complements are not the clause's ("des dizaines d'autres arrêtés ... à Karachi")
        if noun.dep_ in ("nsubj", "nsubj:pass", "obj", "iobj") and noun.head != noun:
            heads.append(noun.head)
    for h in heads:
        for c in h.children:
            if c.dep_.startswith(("obl", "nmod")) and c.dep_ != "obl:agent" and any(
                    g.dep_ == "case" and g.lower_ in LOCATIVE for g in c.children):
                idx.update(t.i for t in c.subtree)
    return idx


def pick_date(m: Mention, doc: Doc, dates: list[dict], sent: Span) -> dict | None:
    """The date expression attached to the trigger, else the only one in its sentence."""
    in_sent = [d for d in dates_of_sentence(dates, sent) if not d.get("dateline")]
    if not in_sent:
        return None
    if french_parse(doc):
        # the trigger's own complements first ("les émeutes de la semaine dernière"), then its clause's
        for clause in (own_clause(m.token), _clause_tokens(m.token)):
            for d in in_sent:
                span = doc.char_span(d["start"], d["end"], alignment_mode="expand")
                if span is not None and any(t.i in clause for t in span) and not _date_of_other_thing(span):
                    return d
        if not is_predicate(m.token):
            return None  # "depuis les émeutes", "les conséquences de l'attaque": not the sentence's event
        if m.token.dep_ in ("advcl", "acl", "acl:relcl"):
            return None  # "l'aéroport, fermé après avoir été saccagé, doit rouvrir jeudi": the reopening's date
        if reported(m.token):
            return None  # "a annoncé aujourd'hui que « la grève va ... »": the day of saying
    usable = [d for d in in_sent if not _date_of_other_thing(doc.char_span(d["start"], d["end"], alignment_mode="expand"))]
    return usable[0] if len(usable) == 1 else None


# How far back a date expression may start and still reach into the sentence ("Le vendredi 2 mars 2018, deux
# attaques ..." when the parser cut the sentence after "Le").
DATE_REACH = 80
# How many tokens back a sentence cut off its beginning looks for the rest ("Dimanche soir aux environs de 22 heures").
FRAGMENT_TOKENS = 25
ENDS = frozenset({".", "!", "?", "–", "—", "…"})


def dates_of_sentence(dates: list[dict], sent: Span) -> list[dict]:
    """The date expressions of a sentence: those starting in it, those reaching into it from before its start,
    and those of the fragment the parser cut off its beginning ("Dimanche soir aux environs de 22 heures" /
    ", une fusillade a éclaté"): a sentence that starts with a comma or a lower-case word continues the piece
    before it on the same line."""
    lo = sent.start_char
    doc = sent.doc
    first = sent[0] if len(sent) else None
    if first is not None and (first.is_punct and first.text in (",", ";") or first.is_lower) and sent.start > 0:
        # back to the previous full stop or line break, over the parser's stray sentence starts
        k = sent.start
        while k > max(0, sent.start - FRAGMENT_TOKENS) and "\n" not in doc[k - 1].text_with_ws and doc[k - 1].text not in ENDS:
            k -= 1
        lo = doc[k].idx
    found = starting_in(dates, max(0, lo - DATE_REACH), sent.end_char)
    return [d for d in found if d["start"] >= lo or d.get("end", 0) > sent.start_char]


def past_tense(tok: Token, depth: int = 0) -> bool:
    """The trigger tells a past event: a past participle with its auxiliary ("ont défilé"), a simple past or an
    imperfect, or a noun that is the subject or object of such a verb ("des heurts ont éclaté")."""
    t = tok
    if t.pos_ in ("NOUN", "PROPN") and t.dep_ in ("nsubj", "nsubj:pass", "obj") and t.head.pos_ in ("VERB", "AUX"):
        t = t.head
    if t.pos_ not in ("VERB", "AUX"):
        return False
    if "Part" in t.morph.get("VerbForm", []) and "Pres" in t.morph.get("Tense", []) and t.head.i != t.i and depth < 3:
        return past_tense(t.head, depth + 1)  # "ont riposté, abattant huit assaillants": the participle's verb's time
    if any("Fut" in a.morph.get("Tense", []) or _conditional(a) for a in [t] + [c for c in t.children if c.dep_.startswith("aux")]):
        return False
    if "Part" in t.morph.get("VerbForm", []) and "Past" in t.morph.get("Tense", []):
        return any(c.dep_.startswith("aux") for c in t.children)
    return bool({"Past", "Imp"} & set(t.morph.get("Tense", [])))


def is_predicate(tok: Token) -> bool:
    """The trigger is what its clause reports: a verb, or a noun that is a verb's subject or object."""
    if tok.pos_ in ("VERB", "AUX") or tok.dep_ == "ROOT":
        return True
    return tok.dep_ in ("nsubj", "nsubj:pass", "obj", "obl:arg") and tok.head.pos_ in ("VERB", "AUX")


def _date_of_other_thing(span: Span | None) -> bool:
    """A birth date ("né le 16 juillet 1993") or the start of a duration ("depuis juin 2014", "depuis 2016 et 2015")."""
    if span is None:
        return True
    doc = span.doc
    if french_parse(doc):
        root = span.root
        heads = [root] + ([root.head] if root.dep_ == "conj" else [])
        cases = {c.lower_ for h in heads for c in h.children if c.dep_ in ("case", "advmod", "mark")}
        cases |= {t.lower_ for t in doc[max(span.start - 1, 0) : span.start]}
        born = any(h.head.lemma_.lower() in ("naître", "né") for h in heads)
        return born or bool(cases & {"né", "née", "nés", "depuis", "since", "jusqu'", "jusqu'à"})
    before = {t.lower_ for t in doc[max(span.start - 3, 0) : span.start]}
    return bool(before & {"né", "née", "nés", "depuis", "born", "since", "jusqu'", "jusqu'à"})


def pick_place(m: Mention, doc: Doc, places: list[dict], sent: Span, exclude: list[tuple[int, int]]) -> dict | None:
    """The place attached to the trigger, else the nearest in its sentence (outside the actors' names)."""
    def outside(p: dict) -> bool:
        return not any(s <= p["start"] and p["end"] <= e for s, e in exclude)

    in_sent = [p for p in starting_in(places, sent.start_char, sent.end_char) if outside(p)]
    if not in_sent:
        return None
    if french_parse(doc):
        clause = _place_tokens(m.token)
        attached = [p for p in in_sent if _overlaps(doc, p, clause)]
        if not attached:
            # a relative clause's event happens where the clause of its noun does ("... qui bloquait le péage")
            clause = _place_tokens(m.token, climb=True)
            attached = [p for p in in_sent if _overlaps(doc, p, clause)]
        if attached:
            return _finer(doc, min(attached, key=lambda p: (_specificity(p), abs(p["start"] - m.start))), in_sent)
        return None  # a place elsewhere in the sentence belongs to something else ("l'alliance conduite par Moscou")
    return _finer(doc, min(in_sent, key=lambda p: (_specificity(p), abs(p["start"] - m.start))), in_sent)


# What lies between a place and the wider place that situates it: "Bâton-Rouge, en Louisiane", "Ancenis (Loire-
# Atlantique)", "Almaty, au Kazakhstan".
WIDER_PLACE_GAP = re.compile(r"\s*[,(]\s*(?:(?:en|au|aux|dans\s+l[ae']?|dans\s+les)\s*)?", re.I)


def _finer(doc: Doc, place: dict, in_sent: list[dict]) -> dict:
    """The city a region or country is only the situation of ("à Bâton-Rouge, en Louisiane"): the parse may
    attach the wider place alone."""
    for q in in_sent:
        if q["end"] <= place["start"] and _specificity(q) < _specificity(place) \
                and (not q.get("country") or not place.get("country") or q["country"] == place["country"]) \
                and WIDER_PLACE_GAP.fullmatch(doc.text[q["end"]:place["start"]]):
            return q
    return place


# The most specific place first: a city before its region ("à Ancenis (Loire-Atlantique)", "à Bâton-Rouge, en
# Louisiane"), a region before its country ("à Almaty, au Kazakhstan"); GUIDE.md: the city rather than its country.
SPECIFICITY = {"city": 0, "other": 1, "admin": 2, "country": 3}


def _specificity(p: dict) -> int:
    return SPECIFICITY.get(p.get("kind") or "other", 1)


def _overlaps(doc: Doc, p: dict, idx: set[int]) -> bool:
    span = doc.char_span(p["start"], p["end"], alignment_mode="expand")
    return span is not None and any(t.i in idx for t in span)


# Types whose crowd or force may be counted in the next sentence ("Ils étaient 5 000 ..."); an attack's size
# (its attackers) is counted in its own sentence only: a count of soldiers after it is usually its victims.
SIZE_NEXT_SENTENCE = frozenset({"PROTEST", "MOBILIZE", "RETREAT", "AID"})
# Subject dependencies through which a count of people is the crowd of a protest ("300 agriculteurs ont bloqué").
SUBJECTS = ("nsubj", "nsubj:pass")


def _span_tokens(doc: Doc, q: dict) -> set[int]:
    span = doc.char_span(q["start"], q["end"], alignment_mode="expand")
    return {t.i for t in span} if span is not None else set()


def _subject_tokens(tok: Token) -> set[int]:
    """The trigger's subject, or its governing verb's when the trigger is a noun or an infinitive."""
    heads = [tok] + ([tok.head] if tok.head != tok and tok.dep_ in ("xcomp", "obj") else [])
    return {t.i for h in heads for c in h.children if c.dep_ in SUBJECTS for t in c.subtree}


def counts(m: Mention, quantities: list[dict], sents: list[Span], si: int,
           others: list[Mention] | tuple = ()) -> dict[str, float]:
    """killed / injured / arrested / size from the role-bearing quantities of the trigger's sentence or the next
    one (and the one after while the toll runs on: "L'incident a fait trois morts. En plus, 13 personnes ont
    été blessées"). In the trigger's sentence, a quantity inside the clause of another event of another type is
    that event's ("ont riposté, abattant 8 assaillants et en capturant 2"). A protest with no counted
    participants takes a count of people that is its subject ("300 agriculteurs ont bloqué ...")."""
    out: dict[str, float] = {}
    fields = TYPE_COUNTS.get(m.type, ())
    size_roles = SIZE_ROLES.get(m.type, ())
    if m.type == "ASSAULT" and m.mode is None:
        size_roles = ()
    doc = m.token.doc
    parsed = french_parse(doc)
    own = own_clause(m.token) if parsed else set()
    rivals = [own_clause(o.token) - own for o in others
              if o is not m and o.type != m.type and parsed] if others else []
    k = si
    while k < len(sents) and k <= si + 2:
        sent = sents[k]
        found = False
        for q in starting_in(quantities, sent.start_char, sent.end_char):
            role = q.get("role")
            value = q.get("value") if q.get("value") is not None else q.get("low")
            if value is None:
                continue
            if k == si and rivals:
                toks = _span_tokens(doc, q)
                if toks and not toks & own and any(toks & r for r in rivals):
                    continue  # another event's count
            field = COUNT_FIELDS.get(role or "")
            if field and field in fields and field not in out:
                out[field] = value
                found = True
            elif role in size_roles and "size" not in out and (k == si or m.type in SIZE_NEXT_SENTENCE):
                out["size"] = value
                found = True
            elif (role is None and m.type == "PROTEST" and k == si and "size" not in out and parsed
                  and q.get("unit") and _span_tokens(doc, q) & _subject_tokens(m.token)):
                out["size"] = value
        if k == si and out:
            break
        if k > si and not found:
            break
        k += 1
    return out
