"""Type refinements and non-events for French mentions, decided once their arguments are known.

- Type and mode changes that need the arguments: "soutenir" an armed actor is AID/military; "condamné à dix
  ans" or "condamné pour vol" is a conviction (SANCTION), "condamner l'attentat" an accusation; leaving a court
  or a treaty is SANCTION/withdraw; protesters clashing with the police or setting fire riot (PROTEST/riot);
  the ASSAULT mode from the weapons the sentence names.
- Mentions that are no political event: accidents and disasters (in the sentence, or an article whose title
  reports one) make no assault and no accusation; a thing cannot meet, support or ally with anyone; a fight
  "against terrorism" is a policy; a state of emergency only counts when declared; an inquiry mentioned as
  background ("une source proche de l'enquête") is none; sports and culture articles (by their title) keep only
  violence, protests and arrests (GUIDE: elections, sports, accidents and natural disasters are not events).
"""
from __future__ import annotations

from spacy.tokens import Span, Token

from vigie.events import attributes as attrs
from vigie.events.actors import ActorCoder
from vigie.events.arguments import actor_like, is_abstract
from vigie.events.lexicon import nonpolitical_topics, triggers
from vigie.events.mention import Actor, Mention
from vigie.events.salience import ORG_DESCRIPTIONS
from vigie.events.triggers_fr import MILITARY_WORDS, is_person
from vigie.lexicons import word_class

#: The word lists of this module (`resources/event_words_fr.tsv`, one class per list).
WORDS_FR = "event_words_fr.tsv"
# ASSAULT modes from the words of the sentence, strongest first (PLOVER manual, table 3.11).
MODE_CUES: tuple[tuple[str, frozenset[str]], ...] = tuple(
    (mode, word_class(WORDS_FR, f"weapon_{mode}"))
    for mode in ("suicide-attack", "explosives", "heavy-weapons", "firearms", "primitive")
)
# Words that make a death an accident or a disaster, not a political event (GUIDE: not PLOVER events).
ACCIDENT_WORDS = word_class(WORDS_FR, "accident")
# Weapons named as the subject of an attack verb ("la bombe a tué"): instruments, not authors.
WEAPON_WORDS = word_class(WORDS_FR, "weapon")
# Things that act without intent: a verb whose subject is one of them (or an accident word) is no event.
NATURAL_AGENTS = word_class(WORDS_FR, "natural_agent")
# Words of intentional violence: a title with one of them is not about an accident ("attentat : un bus percuté").
VIOLENCE_WORDS = word_class(WORDS_FR, "violence")
# Types an accident or a disaster does not make: deaths are not assaults, the inquiry into a crash is no
# accusation (GUIDE: accidents and natural disasters are not PLOVER events; a state of emergency or aid is).
ACCIDENT_TYPES = frozenset({"ASSAULT", "ACCUSE"})
# Complements that make "condamner" a sentence ("condamné à dix ans de prison") rather than a condemnation.
SENTENCE_WORDS = frozenset({"peine", "prison", "an", "mort", "amende", "réclusion", "perpétuité", "emprisonnement", "mois"})
# Words naming treaties and organisations one quits: "le retrait de la CPI" is a SANCTION, not a RETREAT.
TREATY_WORDS = frozenset({"accord", "traité", "cour", "pacte", "convention", "statut", "protocole"})
# What one leaves when one resigns ("se retirer du pouvoir", "de la présidence", "de la vie politique").
OFFICE_WORDS = frozenset({"pouvoir", "présidence", "fonction", "poste", "mandat", "gouvernement", "politique",
                          "direction", "tête"})
# Abstract targets: a fight "against terrorism" or "against criminality" is a policy, not an attack on an actor.
ABSTRACT_TARGETS = frozenset({"criminalité", "délinquance", "corruption", "insécurité", "impunité", "drogue",
                              "pauvreté", "fraude", "trafic", "piraterie"})
# Modes of a state (emergency, curfew) that is an event only when declared or imposed: as a verb's subject or
# object, after "l'instauration de", or with a verb of declaring in its sentence (the parse may miss the link).
STATE_MODES = frozenset({"martial-law", "curfew"})
STATE_VERBS = word_class(WORDS_FR, "state_verb")
# Clashes and arson: a riot when civilians face the police or the army, else an assault.
CLASH_WORDS = frozenset({"affrontement", "heurt", "incendier"})
PROTESTER_SECTORS = frozenset({"CVL", "OPP"})
FORCES_SECTORS = frozenset({"COP", "MIL"})
PROTESTER_WORDS = word_class(WORDS_FR, "protester")
FORCES_WORDS = frozenset({"police", "policier", "gendarme", "force", "militaire", "soldat", "armée", "crs"})
# Types whose author must be people: a verb of these whose subject is a thing is a figure of speech
# ("l'exploration rencontre une vive opposition", "une ceinture permet de soutenir le tronc", "le climat menace").
TWO_HUMAN_TYPES = frozenset({"CONSULT", "SUPPORT", "COOPERATE", "AGREE", "AID", "THREATEN"})
# A sporting move: an attack, offensive or clash among words of a race or a match and no word of violence.
SPORT_WORDS = word_class(WORDS_FR, "sport_context")
SPORT_MOVES = frozenset({"attaque", "attaquer", "offensive", "affrontement", "affronter", "combat", "manifestation",
                         "trêve"})
MATCH_VIOLENCE = word_class(WORDS_FR, "match_violence")
# Nouns whose complement is the event itself, not background ("l'ouverture d'une enquête", "la fermeture de").
CARRIER_NOUNS = word_class(WORDS_FR, "carrier_noun")


def sentence_words(sent: Span) -> set[str]:
    return {t.lower_ for t in sent} | {t.lemma_.lower() for t in sent}


def _assault_mode(m: Mention, words: set[str]) -> str | None:
    """The trigger's own mode ("abattre" -> firearms), else the strongest cue of the sentence; a suicide
    attack wins over the weapons it used ("un kamikaze a ouvert le feu puis s'est fait exploser")."""
    cue = next((mode for mode, cues in MODE_CUES if words & cues), None)
    tok = m.token
    if tok.lemma_.lower() == "exploser" and _reflexive_near(tok):
        cue = "suicide-attack"  # "il s'est fait exploser"
    if m.mode is None or cue == "suicide-attack":
        return cue or m.mode
    return m.mode


def _reflexive_near(tok: Token) -> bool:
    doc = tok.doc
    return any(doc[i].lower_ in ("se", "s'") for i in range(max(tok.i - 6, tok.sent.start), tok.i))


def _human(tok: Token | None, actor: Actor | None) -> bool:
    """A subject that can act: a person, a group, an organisation, a state (or no subject at all)."""
    if tok is None or tok.pos_ == "PRON" or tok.ent_type_:
        return True
    if actor is not None and (actor.entity or actor.sector or actor.perp or actor.country):
        return True  # "cette branche" (an armed group named before), "les Russes"
    return is_person(tok) or tok.pos_ == "PROPN" or tok.lemma_.lower() in ORG_DESCRIPTIONS


def _ends_line(sent: Span) -> bool:
    """The sentence ends its line (Doc.text is rebuilt from every token: the break is read from the tokens)."""
    return "\n" in sent[-1].text_with_ws or (sent.end < len(sent.doc) and "\n" in sent.doc[sent.end].text)


def title_words(sents: list[Span]) -> set[str]:
    """Words and lemmas of the article's first line (its title), which the parser may cut at a colon."""
    words: set[str] = set()
    for sent in sents:
        words |= sentence_words(sent)
        if _ends_line(sent):
            break
    return words


def headline_sentences(sents: list[Span]) -> set[int]:
    """Indexes of the sentences of the article's headline: its first line when it is a title (no final stop),
    not a first sentence of the body ("Le président ... s'est rendu mercredi à Almaty, ... ."). Empty otherwise."""
    out: set[int] = set()
    for i, sent in enumerate(sents):
        out.add(i)
        if _ends_line(sent):
            last = sent.text.rstrip()
            return out if last and last[-1] not in ".!?…»\"" and i + 1 < len(sents) else set()
    return set()


def is_offtopic_article(title: set[str]) -> bool:
    """A sports or culture article (title words) that reports no violence."""
    return bool(title & nonpolitical_topics()) and not title & VIOLENCE_WORDS


def is_accident_article(title: set[str]) -> bool:
    """The title reports an accident or a disaster and no intentional violence."""
    return bool(title & ACCIDENT_WORDS) and not title & VIOLENCE_WORDS


def _civilians_against_forces(src: Actor | None, tgt: Actor | None, tok: Token) -> bool:
    """Civilians (protesters, students, youths) act, or clash with the police or the army."""
    sectors_ = {a.sector for a in (src, tgt) if a is not None}
    if tok.lemma_.lower() in ("incendier", "brûler"):
        return src is not None and src.sector in PROTESTER_SECTORS
    if sectors_ & PROTESTER_SECTORS and sectors_ & FORCES_SECTORS:
        return True
    # "les affrontements entre manifestants et policiers": both sides inside one "entre" complement
    words = {t.lemma_.lower() for t in tok.subtree}
    return bool(words & PROTESTER_WORDS) and bool(words & FORCES_WORDS)


def refine(m: Mention, words: set[str], coder: ActorCoder, accident_article: bool = False) -> bool:
    """Type changes that need the arguments; False drops the mention."""
    lemma = m.token.lemma_.lower()
    src = m.source
    tgt = m.target
    if m.type == "SUPPORT" and lemma in ("soutenir", "soutien"):
        armed = {"MIL", "REB"}
        if words & MILITARY_WORDS or (src and src.sector in armed) or (tgt and tgt.sector in armed):
            m.type, m.mode = "AID", "military"
    elif lemma in ("condamner", "condamnation"):
        # a person is sentenced ("condamné à dix ans", "il a été condamné pour vol"); an act is condemned
        person = tgt is not None and (tgt.sector is None or tgt.perp) and not tgt.place and (
            tgt.entity or m.token.dep_ in ("acl", "conj") or "Pass" in m.token.morph.get("Voice", []))
        # a court sentences; a passive "condamné pour trafic" with no other author is a sentence too
        court = src is not None and src.sector == "JUD"
        complements = [c for c in m.token.children if c.dep_.startswith("obl")]
        complements += [g for c in complements for g in c.children if g.dep_.startswith("nmod")]
        for_crime = m.token.pos_ == "VERB" and src is None and any(
            "pour" in {g.lower_ for g in c.children if g.dep_ == "case"} for c in complements
        ) and not any(c.dep_ == "aux:tense" and c.lemma_ == "avoir" for c in m.token.children)
        if words & SENTENCE_WORDS or person or court or for_crime:
            m.type, m.mode = "SANCTION", "convict"
    elif lemma in ("retrait", "retirer"):
        other = tgt if lemma == "retirer" else (src or tgt)
        # what is left: the complements and their own complements ("du pays du statut de Rome", "du pouvoir")
        comps = [c for c in m.token.children if c.dep_.startswith(("nmod", "obl", "xcomp"))]
        left = {t.lemma_.lower() for c in comps for t in (c, *c.children) if t is c or t.dep_.startswith("nmod")}
        # leaving a court, a treaty or a (non-military) organisation; an alliance's troops withdrawing stay RETREAT
        if other is not None and other.sector != "MIL" and (
                other.country == "IGO" or other.name.split()[0].lower() in TREATY_WORDS):
            m.type, m.mode = "SANCTION", "withdraw"
            if lemma == "retrait" and m.source is other:
                m.source, m.target = None, other
        elif left & TREATY_WORDS and not words & MILITARY_WORDS:
            m.type, m.mode = "SANCTION", "withdraw"  # "le retrait du pays du statut de Rome"
        elif left & OFFICE_WORDS:
            m.mode = "resign"  # "se retire du pouvoir", "son retrait de la vie politique": leaving office
    elif lemma in CLASH_WORDS and _civilians_against_forces(src, tgt, m.token):
        m.type, m.mode = "PROTEST", "riot"  # protesters clashing with the police, setting fire: a riot (PLOVER)
    elif lemma == "protester" and src is not None and src.sector not in (None, "CVL", "OPP", "PTY"):
        m.type, m.mode = "ACCUSE", "disapprove"
    elif lemma == "rendre" and tgt is not None and not tgt.place and tgt.sector in ("COP", "MIL", "GOV", "JUD"):
        m.type, m.mode = "RETREAT", "disarm"  # "se rendre à la police": a surrender, not a visit
    if m.mode in STATE_MODES and m.token.pos_ == "NOUN" and not (
            (attrs.is_predicate(m.token) and not any(c.dep_ in ("cop", "case") for c in m.token.children))
            or m.token.head.lemma_.lower() in CARRIER_NOUNS or words & STATE_VERBS):
        return False  # "53 % sont pour l'état d'urgence": a state mentioned, not declared or imposed
    if m.mode == "investigate" and m.token.pos_ == "NOUN" and m.token.dep_.startswith("nmod") and (
            m.token.head.pos_ in ("NOUN", "ADJ") and m.token.head.lemma_.lower() not in CARRIER_NOUNS):
        return False  # "une source proche de l'enquête", "à ce stade de l'enquête": the inquiry as background
    if m.token.pos_ == "VERB" and m.source_tok is not None and m.source_tok.lemma_.lower() in ACCIDENT_WORDS | NATURAL_AGENTS:
        return False  # "l'inondation a saccagé la ville", "l'étincelle a fait exploser la bouteille"
    target_word = m.target_tok.lemma_.lower() if m.target_tok is not None else ""
    if m.type == "ASSAULT" and (target_word.endswith("isme") or target_word in ABSTRACT_TARGETS):
        return False  # "le combat contre le terrorisme", "la lutte contre la criminalité": a policy, not an attack
    if m.type in ACCIDENT_TYPES and (words & ACCIDENT_WORDS or accident_article) and (
            m.type == "ASSAULT" or m.mode == "investigate"):
        return False  # "un accident de bus fait un mort", "une enquête a été ouverte" (after a crash)
    if m.type in TWO_HUMAN_TYPES and m.token.pos_ == "VERB" and not _human(m.source_tok, m.source):
        return False  # "l'exploration rencontre une vive opposition", "une ceinture permet de soutenir le tronc"
    # "des policiers tués lors des émeutes": the deaths belong to the event named in the complement
    for c in (m.token.children if m.type == "ASSAULT" else ()):
        for g in [c] + list(c.children):
            if g.dep_.startswith(("obl", "nmod")) and coder.is_event_noun(g) and (
                    {"lors", "pendant", "durant", "cours"} & {x.lower_ for x in list(g.children) + [g.head]}
                    and m.token.pos_ == "VERB"):
                return False
    # a verb whose agent is an event noun ("tués par ces frappes", "une attaque avait tué"): the noun's mention
    # (unless the verb says the event turned into another: "la manifestation a dégénéré" is a riot)
    agent = m.source_tok
    if m.token.pos_ == "VERB" and agent is not None and coder.is_event_noun(agent):
        own = [e for e in triggers("fr").get(agent.lemma_.lower(), ()) if e.pos == "N"]
        if any(e.type == m.type and (e.mode == m.mode or None in (e.mode, m.mode)) for e in own):
            return False
    if lemma in SPORT_MOVES and words & SPORT_WORDS and not words & (MATCH_VIOLENCE | MILITARY_WORDS):
        return False  # "Jodie Simpson lance une dernière attaque pour creuser un écart": a race, not an assault
    if _unrealised(m.token):
        return False  # "a salué l'accord sans condamner les violences", "un projet d'attentat": no event (GUIDE)
    _keep_actors(m)
    if m.type == "ASSAULT":
        m.mode = _assault_mode(m, words)
    return True


# Nouns of a plan: the event noun in their "de" complement has not happened ("un projet d'attentat").
PLAN_NOUNS = frozenset({"projet", "plan", "intention", "idée", "perspective", "éventualité", "hypothèse"})


def _unrealised(tok: Token) -> bool:
    """A verb under "sans" ("sans condamner", "sans attaquer") or an event noun a plan noun governs."""
    if tok.pos_ in ("VERB", "AUX") and any(c.dep_ in ("mark", "case") and c.lower_ == "sans" for c in tok.children):
        return True
    head = tok.head
    return (tok.pos_ == "NOUN" and tok.dep_.startswith("nmod") and head.lemma_.lower() in PLAN_NOUNS
            and head.i < tok.i)


def _keep_actors(m: Mention) -> None:
    """Sources and targets are actors: a source that names no one is dropped ("l'ampleur", "Despite"), a target
    that is an abstract noun too (a country stays an actor: "la Russie a frappé")."""
    if m.source is not None and m.source_tok is not None and not m.source.entity and not actor_like(m.source_tok):
        m.source = None
    if m.target is not None and m.target_tok is not None and not m.target.entity and is_abstract(m.target_tok):
        m.target = None

