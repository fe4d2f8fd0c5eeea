"""Source and target of a French trigger, read from the dependency parse.

Verbs: the subject is the source and the object the target; in the passive the subject is the target and
the agent ("par la police") the source; a verb without a subject takes it from the verb it depends on
(control "annonce avoir mené", coordination "a lancé ... et poignardé", participle "Exprimant sa gratitude, le
président a estimé"; through a passive verb its grammatical subject, "X a été lié à Y et est responsable de"),
a relative clause's "qui" is its antecedent (in a cleft, "c'est X qui a rencontré", the name after "c'est"), and
a participle modifying a noun has that noun as its target ("les personnes arrêtées", "le contingent envoyé pour
soutenir": the noun it agrees with) or source ("les attentats ayant visé ..."); a detached participle ("Accusé de
corruption, le ministre ...") has the clause's subject as target. Parse repairs: "selon les médias, X a ..."
(the subject is X, not the source of information), "le Front rompt ses liens" read as a participle (an object
makes it active), "ont abandonné leur véhicule et poignardé ..." (a coordinated verb hung on an object).
Nouns: their complements fill the roles the lexicon gives ("retrait du contingent" -> source, "arrestation
de X" -> target, "contre X" -> target); a noun that is the object of a support verb takes the verb's subject
as source ("l'armée a mené des frappes", "le Front annonce la rupture"); the object of a verb of suffering
takes the verb's subject as target ("le Front fait face aux bombardements"); a noun subject of "viser" or
"tuer" takes that verb's object as target ("des attentats ayant visé les forces de sécurité").
"""
from __future__ import annotations

from spacy.tokens import Token

from vigie.events.lexicon import sectors
from vigie.events.mention import Mention
from vigie.events.triggers_fr import CIBLE_HEADS, COUNTING_NOUNS, PREP_WINDOW, _case_words, counted, is_person
from vigie.lexicons import word_class

#: The word lists of this module (`resources/event_words_fr.tsv`, one class per list).
WORDS_FR = "event_words_fr.tsv"
# Verbs whose subject is the agent of the event noun they take as object.
SUPPORT_VERBS = word_class(WORDS_FR, "support_verb")
# Verbs whose subject undergoes the event noun they take as object or oblique.
VICTIM_VERBS = frozenset({"subir", "essuyer", "endurer", "connaître", "affronter"})
# Verbs whose object is the target when an event noun is their subject ("l'attentat a visé ...").
TARGETING_VERBS = frozenset({"viser", "cibler", "frapper", "toucher", "tuer", "blesser", "endeuiller", "secouer"})
# Nouns that carry the agent of the event noun they govern ("l'ouverture par X d'une enquête").
SUPPORT_NOUNS = frozenset({"ouverture", "lancement", "annonce", "décision", "organisation", "imposition", "ordre"})
SUBJECT_DEPS = ("nsubj",)
PASSIVE_SUBJECT_DEPS = ("nsubj:pass",)
AGENT_DEPS = ("obl:agent",)
# Deps through which a verb without a subject inherits the subject of its head.
INHERIT_DEPS = frozenset({"xcomp", "conj", "advcl", "ccomp"})
OBJECT_CONTROL = word_class(WORDS_FR, "object_control")  # "pousser X à", "appeler X à" + infinitive
MAX_CLIMB = 3
# How far before "qui" the "c'est" of a cleft sentence is looked for ("c'est X, nommée en septembre, qui ...").
CLEFT_WINDOW = 16
# Prepositions of a source of information, never of a subject ("selon les médias", "d'après la police").
SOURCE_PHRASES = frozenset({"selon", "après", "d'après"})
# How far right of a participle its "par" agent is looked for when the parser attached it elsewhere.
AGENT_WINDOW = 12


TO_WORDS = frozenset({"à", "au", "aux"})  # "opposer X à Y"


def _child(tok: Token, deps: tuple[str, ...]) -> Token | None:
    """The first dependent with one of `deps`, skipping stray articles the parser gave a role ("l' EI")."""
    for c in tok.children:
        if c.dep_ in deps and c.pos_ not in ("DET", "PUNCT", "ADP"):
            return c
    return None


# Nouns of adverbial phrases that are never an argument ("à l'inverse", "à la suite de", "à l'aide de").
ADVERBIAL_NOUNS = word_class(WORDS_FR, "adverbial_noun")
# Counting nouns stand for what they count ("des dizaines de suspects" -> suspects).


# Nouns of measure and money, counted like people but never actors ("50 milliards d'euros").
MEASURE_NOUNS = word_class(WORDS_FR, "measure_noun")
# Abstract nouns that are never a source or a target ("l'ampleur de la crise"); with ABSTRACT_ENDINGS.
ABSTRACT_NOUNS = word_class(WORDS_FR, "abstract_noun")
ABSTRACT_ENDINGS = ("isme", "ité", "ance", "ence", "ude")
# Nouns that describe an organisation or a unit ("le groupe", "les troupes").
GROUP_NOUNS = word_class(WORDS_FR, "org_description") | word_class(WORDS_FR, "generic_org_noun")


def is_abstract(tok: Token) -> bool:
    """A noun that names no one: "ampleur", "situation", "la réforme" (words of the sector lexicon excepted)."""
    if tok.pos_ != "NOUN" or tok.ent_type_:
        return False
    lemma = tok.lemma_.lower()
    if lemma in sectors() or tok.lower_ in sectors() or lemma in GROUP_NOUNS:
        return False
    return lemma in ABSTRACT_NOUNS or lemma in MEASURE_NOUNS or lemma.endswith(ABSTRACT_ENDINGS)


def actor_like(tok: Token | None) -> bool:
    """A possible source or target: a named entity, a pronoun, a word of the sector lexicon, an organisation
    noun, a demonym, a counted group of people ("trois hommes"); not an abstract noun, a measure, nor a
    capitalised word the tagger called a name only because it opens the sentence ("Despite")."""
    if tok is None:
        return False
    if tok.ent_type_ or tok.pos_ == "PRON":
        return True
    lemma = tok.lemma_.lower()
    if lemma in MEASURE_NOUNS or tok.lower_ in MEASURE_NOUNS:
        return False
    if tok.pos_ == "PROPN":
        return tok.i != tok.sent.start or lemma in sectors()
    if lemma in GROUP_NOUNS or lemma in COUNTING_NOUNS:
        return True
    return not is_abstract(tok) and is_person(tok)


def _actor_complement(tok: Token | None) -> Token | None:
    """A noun that names no one stands for the actor in its "de" complement: "demander l'aide de l'armée" ->
    armée, "le soutien des États-Unis" -> États-Unis."""
    if tok is None or actor_like(tok) or tok.pos_ != "NOUN":
        return tok
    for c in tok.children:
        if c.dep_.startswith("nmod") and c.i > tok.i and _case_words(c) & {"de", "du", "des", "d'", "d’"}:
            head = counted(c)
            if actor_like(head):
                return head
    return tok


def _appositive(tok: Token | None) -> Token | None:
    """A word that names no one whose apposition names someone: the parser's subject is "milliards" in "« 50
    milliards d'euros », Chantal Perrichon, la présidente de la Ligue, a dénoncé ..." -> Chantal Perrichon."""
    if tok is None or actor_like(tok):
        return tok
    for c in tok.children:
        if c.dep_ == "appos" and c.i > tok.i and c.ent_type_ in ("PER", "ORG"):
            return c
    return tok


def _is_passive(tok: Token, depth: int = 0) -> bool:
    if any(c.lower_ in ("se", "s'", "s’") for c in tok.children):
        return False  # "il s'est entretenu": a reflexive, not a passive
    if (tok.dep_ == "conj" and depth < 3 and tok.head.i != tok.i and tok.head.pos_ in ("VERB", "AUX")
            and "Fin" not in tok.morph.get("VerbForm", []) and tok.pos_ != "AUX"
            and not any(c.dep_.startswith(("aux", "nsubj", "cop")) for c in tok.children)):
        # "5 personnes ont été tuées et 30 autres blessées": the second participle shares the first's voice
        return _is_passive(tok.head, depth + 1)
    if any(c.dep_ in ("aux:pass", "obl:agent") for c in tok.children):
        return True
    # "avoir" without "être" is an active compound tense, whatever the labels ("le parti a appelé": nsubj:pass)
    with_avoir = any(c.lemma_ == "avoir" for c in tok.children if c.dep_.startswith("aux"))
    if any(c.dep_ == "nsubj:pass" for c in tok.children):
        return not with_avoir
    # the tagger's Voice=Pass is trusted only for a participle with no auxiliary "avoir" ("les personnes arrêtées")
    return "Pass" in tok.morph.get("Voice", []) and not with_avoir


def _agent(tok: Token) -> Token | None:
    ag = _child(tok, AGENT_DEPS)
    if ag is not None:
        return ag
    for c in tok.children:
        if c.dep_.startswith(("obl", "nmod")) and "par" in _case_words(c):
            return c
    # a "par" agent the parser hung on a word of the clause ("qualifiées d'agression étrangère par les autorités")
    for t in tok.subtree:
        if t.dep_ == "obl:agent" and t.i > tok.i and t.head.pos_ != "VERB":
            return t
    if "Part" in tok.morph.get("VerbForm", []):
        # "qualifié de « ... » par ses détracteurs" with "par" hung on another verb: the first "par" to the
        # right before any other verb
        for t in tok.doc[tok.i + 1 : min(tok.i + 1 + AGENT_WINDOW, tok.sent.end)]:
            if t.pos_ == "VERB":
                break
            if t.lower_ == "par" and t.dep_ == "case" and t.head.i > t.i:
                return t.head
    return None


def _cleft_focus(qui: Token) -> Token | None:
    """"C'est Anne Casper (...) qui a rencontré X": the name after "c'est", whatever the parser attached."""
    doc = qui.doc
    for i in range(qui.i - 1, max(qui.sent.start, qui.i - CLEFT_WINDOW) - 1, -1):
        if doc[i].lower_ in ("est", "était", "sont", "étaient", "fut") and i > 0 and doc[i - 1].lower_ in ("c'", "c’", "ce"):
            for t in doc[i + 1 : qui.i]:
                if t.pos_ in ("PROPN", "NOUN") or t.ent_type_:
                    return t
            return None
    return None


def _relative_antecedent(subj: Token) -> Token:
    """"qui" in a relative clause -> the noun the clause modifies."""
    if subj.lower_ == "qui":
        cleft = _cleft_focus(subj)
        if cleft is not None:
            return cleft
    if subj.lower_ in ("qui", "lequel", "laquelle", "lesquels", "lesquelles"):
        v = subj.head
        while v.dep_ not in ("acl:relcl", "acl") and v.head != v and v.dep_ in ("conj", "xcomp"):
            v = v.head
        if v.dep_ in ("acl:relcl", "acl"):
            return v.head
    return subj


def subject_of(verb: Token, depth: int = 0) -> tuple[Token | None, bool]:
    """(the agent of `verb`, True when it is the passive's agent rather than a subject)."""
    if _is_passive(verb):
        return _agent(verb), True
    # a reflexive verb's subject is often labelled as a passive one ("il s'est allié": nsubj:pass)
    subj = _child(verb, SUBJECT_DEPS) or _child(verb, PASSIVE_SUBJECT_DEPS)
    if subj is not None and _case_words(subj) & SOURCE_PHRASES:
        # "Selon les médias locaux, M. Tokaïev s'est entretenu": the parser made the source of the information
        # the subject and hung the real one on it
        subj = next((c for c in subj.children if c.dep_ in ("appos", "nsubj") and c.i > subj.i), None)
    if subj is not None:
        return _relative_antecedent(subj), False
    found = _climb_subject(verb, depth)
    if found[0] is None and "Inf" not in verb.morph.get("VerbForm", []) and depth == 0:
        return _left_subject(verb), False
    return found


def _climb_subject(verb: Token, depth: int) -> tuple[Token | None, bool]:
    if verb.head == verb or depth >= MAX_CLIMB:
        return None, False
    if any(c.dep_ == "mark" and c.lower_ == "en" for c in verb.children) or "Ger" in verb.morph.get("VerbForm", []):
        # a gerund ("en s'alliant avec ...") has the subject of the nearest verb above it
        head = verb.head
        while head.head != head and head.pos_ not in ("VERB", "AUX"):
            head = head.head
        if head != verb and head.pos_ in ("VERB", "AUX"):
            return subject_of(head, depth + 1)
    if verb.dep_ == "acl" and any(c.dep_ == "cc" for c in verb.children) and verb.head.head != verb.head:
        # "ont abandonné leur véhicule et poignardé des passants": a coordinated verb hung on the first one's object
        head = verb.head.head
        if head.pos_ in ("VERB", "AUX"):
            return subject_of(head, depth + 1)
    if verb.dep_ == "acl" and "Pres" in verb.morph.get("Tense", []):
        return verb.head, False  # "des attentats ayant visé ..." -> the noun acts
    if verb.dep_ == "acl" and verb.head.pos_ in ("NOUN", "ADJ"):
        s = _child(verb.head, SUBJECT_DEPS)  # "le Burundi est sur le point de quitter ..."
        if s is not None:
            return s, False
    if verb.dep_ == "xcomp" and verb.head.lemma_.lower() in OBJECT_CONTROL:
        controller = _child(verb.head, ("obj", "iobj"))
        if controller is not None and controller.i < verb.i:
            return controller, False  # "a poussé le gouvernement à démissionner": the government resigns
    if verb.dep_ in INHERIT_DEPS and verb.head.pos_ in ("VERB", "AUX", "ADJ", "NOUN"):
        head = verb.head
        if head.pos_ in ("VERB", "AUX") and (_is_passive(head) or _passive_participle(head)):
            # the grammatical subject is shared, not the passive's agent: "X a été liée à Y et est responsable
            # de ...", "les soldats envoyés pour soutenir ..." (a passive participle: the noun it modifies)
            g = _child(head, PASSIVE_SUBJECT_DEPS)
            if g is not None:
                return _relative_antecedent(g), False
            if head.dep_ in ("acl", "acl:relcl") and "Part" in head.morph.get("VerbForm", []):
                return participle_noun(head), False
            return _climb_subject(head, depth + 1)
        if head.pos_ in ("VERB", "AUX"):
            return subject_of(head, depth + 1)
        if head.pos_ in ("ADJ", "NOUN"):  # "est sur le point de quitter", "est responsable de"
            s = _child(head, SUBJECT_DEPS)
            return (s, False) if s is not None else subject_of(head, depth + 1)
    return None, False


def _passive_participle(tok: Token, dep: str = "acl") -> bool:
    """A past participle with no auxiliary and no object, modifying a noun ("le contingent envoyé (pour ...)")
    or detached before its clause (`dep` "advcl": "Condamné pour vol, il ...")."""
    return (tok.dep_ == dep and "Part" in tok.morph.get("VerbForm", []) and "Past" in tok.morph.get("Tense", [])
            and not any(c.dep_.startswith("aux") or c.dep_ == "obj" for c in tok.children))


def _agree(a: Token, b: Token) -> bool:
    """Gender and number do not contradict each other (a missing feature agrees with anything)."""
    for feat in ("Gender", "Number"):
        fa, fb = a.morph.get(feat, []), b.morph.get(feat, [])
        if fa and fb and not set(fa) & set(fb):
            return False
    return True


def participle_noun(part: Token) -> Token:
    """The noun a participle modifies; when the parser hung it on a noun it does not agree with ("le contingent
    de 2.000 hommes, menés par la Russie, envoyé pour ...": "envoyé" on "Russie"), the nearest agreeing noun
    to its left in the sentence."""
    head = part.head
    if head.pos_ not in ("NOUN", "PROPN") or _agree(part, head):
        return head
    for i in range(part.i - 1, part.sent.start - 1, -1):
        t = part.doc[i]
        if t.pos_ in ("NOUN", "PROPN") and _agree(part, t) and t.morph.get("Gender", []):
            return t
    return head


def _left_subject(verb: Token) -> Token | None:
    """A main verb the parser left without subject ("Selon les médias, M. Tokaïev s'est entretenu": the name
    hung on "médias"): the nearest name or noun before it in the clause that no preposition introduces."""
    for i in range(verb.i - 1, verb.sent.start - 1, -1):
        t = verb.doc[i]
        if t.text in (",", ";", ":") and i < verb.i - 6:
            break
        if (t.pos_ in ("NOUN", "PROPN") and not any(c.dep_ == "case" for c in t.children) and t.dep_ != "obl:mod"
                and (t.ent_type_ or t.pos_ == "NOUN")):
            return t
    return None


def _window_complement(tok: Token, roles: dict[str, str]) -> dict[str, Token]:
    """A complement the parser attached elsewhere: "s'est rendu mercredi à Almaty" ("à Almaty" on "mercredi")."""
    out: dict[str, Token] = {}
    doc = tok.doc
    for i in range(tok.i + 1, min(tok.i + 1 + PREP_WINDOW, len(doc))):
        t = doc[i]
        if t.is_punct or (t.pos_ == "VERB" and t.i != tok.i):
            break
        word = {"au": "à", "aux": "à"}.get(t.lower_, t.lower_)
        role = roles.get(word)
        if role in ("source", "target") and t.dep_ == "case" and role not in out:
            out[role] = t.head
    return out


def _role_children(tok: Token, roles: dict[str, str], places: bool = True) -> dict[str, Token]:
    """Complements introduced by a preposition the entry maps to a role ("de" -> source). With `places`
    False, a place the parser reads as a circumstance of the verb ("a réclamé ... à N'Djaména") is where the
    event happened, not an actor: only visits take the place they go to as their target."""
    out: dict[str, Token] = {}
    # complements after the trigger first: "à l'inverse, ... il s'est attaqué à la 13e division"
    for c in sorted(tok.children, key=lambda c: (c.i < tok.i, abs(c.i - tok.i))):
        if not c.dep_.startswith(("obl", "nmod", "iobj", "xcomp")) or c.lemma_.lower() in ADVERBIAL_NOUNS:
            continue
        if not places and c.dep_ == "obl:mod" and c.ent_type_ == "LOC":
            continue
        for prep in _case_words(c):
            role = roles.get(prep)
            if role in ("source", "target") and role not in out:
                out[role] = c
    return out


def verb_arguments(m: Mention) -> None:
    tok, roles = m.token, (m.entry.roles if m.entry else {})
    passive = _is_passive(tok)
    source: Token | None = None
    target: Token | None = None
    if passive:
        target = _child(tok, PASSIVE_SUBJECT_DEPS)
        if target is not None:
            target = _relative_antecedent(target)
        source = _agent(tok)
        if target is None and tok.dep_ in ("acl", "acl:relcl"):
            target = tok.head
        if target is None and tok.dep_ == "conj" and tok.head.i != tok.i:
            # "un Somalien a été arrêté en Oregon et condamné à 30 ans": the passive subject they share
            target = _child(tok.head, PASSIVE_SUBJECT_DEPS)
    else:
        source, _ = subject_of(tok)
        if roles.get("obj") == "target":
            target = _child(tok, ("obj",))
    if tok.dep_ == "advcl" and not passive and _passive_participle(tok, "advcl"):
        # a detached participle: "Accusé de corruption, le ministre a démissionné" (the subject undergoes it)
        target, _ = subject_of(tok.head) if tok.head != tok else (None, False)
        source = _agent(tok)
    if tok.dep_ == "acl" and not passive and "Part" in tok.morph.get("VerbForm", []) and "Past" in tok.morph.get("Tense", []):
        if any(c.dep_ == "cc" for c in tok.children):
            source, _ = subject_of(tok)  # a coordinated verb hung on the first one's object
        elif any(c.dep_ == "obj" for c in tok.children):
            source = tok.head  # a passive participle has no object: an active verb the parser hung on its subject
        else:  # ("le Front rompt ses liens" read as a participle)
            target = target or tok.head  # "la coalition soutenue par ..."
            source = _agent(tok)
    comps = _role_children(tok, roles, places=m.type == "CONSULT")
    for role, t in _window_complement(tok, roles).items():
        comps.setdefault(role, t)
    source = source or comps.get("source")
    target = target or comps.get("target")
    if target is None and not passive:
        obj = _child(tok, ("obj",))
        comp = _actor_complement(obj)
        if comp is not None and obj is not None and comp.i != obj.i:  # spaCy makes a new Token per access: compare indexes
            target = comp  # "demander l'aide de l'armée" -> armée
    if "inverse" in roles:  # "X reçoit Y": the visitor Y is the source, the host X the target
        source, target = _child(tok, ("obj",)), source
    m.source_tok, m.target_tok = source, target


def noun_arguments(m: Mention) -> None:
    tok, roles = m.token, (m.entry.roles if m.entry else {})
    roles = {"par": "source", **roles}
    comps = _role_children(tok, roles)
    source, target = comps.get("source"), comps.get("target")
    head = tok.head
    hl = head.lemma_.lower()
    if source is None and tok.dep_ in ("obj", "nsubj:pass", "obl:arg", "obl") and head.pos_ in ("VERB", "AUX"):
        if hl in SUPPORT_VERBS and tok.dep_ != "obl":
            s, _ = subject_of(head) if tok.dep_ == "obj" else (_agent(head), True)
            source = s
        elif hl in VICTIM_VERBS or (hl == "faire" and any(c.lower_ == "face" for c in head.children)):
            target = target or subject_of(head)[0]
    if hl in CIBLE_HEADS and tok.dep_ in ("obj", "xcomp", "ROOT"):
        target = target or _child(head if tok.dep_ != "ROOT" else tok, SUBJECT_DEPS)  # "le groupe restera une cible"
    for c in tok.children:  # "la révolte qui a éclaté contre le pouvoir"
        if c.dep_ in ("acl:relcl", "acl") and (source is None or target is None):
            extra = _role_children(c, roles)
            source, target = source or extra.get("source"), target or extra.get("target")
    if tok.dep_ == "nsubj" and hl in TARGETING_VERBS:
        target = target or _child(head, ("obj",))
    if tok.dep_ in ("nsubj", "nsubj:pass") and head.pos_ == "ADJ":
        pass
    if source is None and tok.dep_.startswith(("nmod", "obl")) and head.pos_ in ("ADJ", "NOUN") and head.lemma_.lower() == "responsable":
        # "X est responsable de plusieurs attentats", also in a coordination ("... et est responsable de")
        source = _child(head, SUBJECT_DEPS) or subject_of(head)[0]
    if source is None and head.lemma_.lower() in SUPPORT_NOUNS:
        source = _role_children(head, {"par": "source"}).get("source")
    for c in tok.children:  # "des affrontements opposant l'armée à des factions rebelles"
        if c.dep_ in ("acl", "acl:relcl") and c.lemma_.lower() == "opposer" and source is None:
            source = _child(c, ("obj",))
            target = target or next((g for g in c.children if g.dep_.startswith("obl") and _case_words(g) & TO_WORDS),
                                    None)
    if tok.dep_ == "nsubj" and hl == "opposer" and source is None:  # "des combats ont opposé l'armée aux rebelles"
        source = _child(head, ("obj",))
        # "aux rebelles" on the verb, or hung by the parser on its object
        near = list(head.children) + (list(source.children) if source is not None else [])
        target = target or next((g for g in near if g.dep_.startswith(("obl", "nmod")) and _case_words(g) & TO_WORDS),
                                None)
    for c in tok.children:  # "une enquête visant douze personnalités"
        if target is None and c.dep_ == "acl" and c.lemma_.lower() in TARGETING_VERBS:
            target = _child(c, ("obj",))
    m.source_tok, m.target_tok = source, target


def find_arguments(m: Mention) -> None:
    """Fill `m.source_tok` / `m.target_tok` (head tokens) from the parse."""
    if m.entry is not None and m.entry.pos == "N":
        noun_arguments(m)
    else:
        verb_arguments(m)
    m.source_tok, m.target_tok = counted(m.source_tok), counted(m.target_tok)
    m.source_tok, m.target_tok = _appositive(m.source_tok), _appositive(m.target_tok)
    m.source_tok, m.target_tok = _actor_complement(m.source_tok), _actor_complement(m.target_tok)
    # the same token cannot be both
    if m.source_tok is not None and m.target_tok is not None and m.source_tok.i == m.target_tok.i:
        m.target_tok = None
    # coordinated states acting separately: "soutenue par l'Arabie saoudite, le Qatar et la Turquie"
    if m.source_tok is not None:
        m.extra_sources = [c for c in m.source_tok.children if c.dep_ == "conj" and c.ent_type_ in ("LOC", "ORG")]
