"""French triggers: lexicon lemmas matched on the fr_core_news_md parse, with each entry's conditions.

A token is a candidate when its lemma (or, where the lemmatiser failed, a guessed infinitive of its form)
is in `resources/event_triggers_fr.tsv` with the right part of speech; the entry's conditions (reflexive
"se", a complement introduced by "à", an object word, a person as object, a military context...) are
checked on its dependents. Ambiguous words thus need their construction: "arrêter" is an arrest only with a
person as object or in the passive, "frappe" an assault only with military words around, "visite" a
consultation only with a complement.
"""
from __future__ import annotations

from functools import lru_cache

from spacy.tokens import Doc, Span, Token

from vigie.events.lexicon import TriggerEntry, pejorative_words, sectors, triggers
from vigie.events.mention import Mention
from vigie.language.demonyms import is_demonym
from vigie.lexicons import word_class

#: The word lists of this module (`resources/event_words_fr.tsv`, one class per list).
WORDS_FR = "event_words_fr.tsv"
# Words that make a sentence military: "frappe", "raid" and "combat" are assaults only among them.
MILITARY_WORDS = word_class(WORDS_FR, "military")
# Parts of speech a verb entry may carry when the tagger erred ("réclame" VERB lemma "réclame", "violé" ADV).
VERB_POS = frozenset({"VERB", "AUX", "ADJ", "ADV", "NOUN"})
NOUN_POS = frozenset({"NOUN", "PROPN", "ADJ", "X"})
# Dependents only a verb has: a word tagged otherwise with one of them is a mistagged verb.
PREDICATE_DEPS = frozenset({"nsubj", "nsubj:pass", "obj", "aux", "aux:tense", "aux:pass", "expl:comp", "expl:pass",
                            "ccomp", "xcomp", "obl:agent", "obl:arg"})
# Counted nouns that are not people ("trois éléphants tués", "les spécimens"): animals and things news counts.
NON_HUMAN_NOUNS = word_class(WORDS_FR, "non_human")
COUNTING_NOUNS = word_class(WORDS_FR, "counting_noun")  # "une centaine", "des dizaines"
# Object pronouns that stand for people ("les arrêter", "l'a libéré").
PERSON_PRONOUNS = word_class(WORDS_FR, "person_pronoun")
# How far right of a verb a complement is looked for when the parse attached it elsewhere
# ("s'est rendu mercredi à Almaty": "à Almaty" hangs on "mercredi").
PREP_WINDOW = 4
# Support verbs and copulas a predicate noun "cible" needs ("restera une cible").
CIBLE_HEADS = word_class(WORDS_FR, "cible_head")
REFLEXIVE = frozenset({"se", "s'", "me", "m'", "te", "t'", "nous", "vous"})

# Verb endings, longest first: the first that matches is removed (a word ends with two of them only when one
# is a suffix of the other, so longest-first is the order the guess needs).
_VERB_ENDINGS_ER = tuple(sorted(word_class(WORDS_FR, "verb_ending_er"), key=lambda e: (-len(e), e)))
_VERB_ENDINGS_IR = tuple(sorted(word_class(WORDS_FR, "verb_ending_ir"), key=lambda e: (-len(e), e)))


@lru_cache(maxsize=4096)
def guess_infinitives(word: str) -> tuple[str, ...]:
    """Infinitives a conjugated form may come from ("réclame" -> "réclamer"), used when the lemmatiser failed."""
    out = []
    for end in _VERB_ENDINGS_ER:
        if word.endswith(end) and len(word) - len(end) >= 3:
            out.append(word[: -len(end)] + "er")
            break
    for end in _VERB_ENDINGS_IR:
        if word.endswith(end) and len(word) - len(end) >= 3:
            out.append(word[: -len(end)] + "ir")
            break
    return tuple(out)


def _case_words(tok: Token) -> set[str]:
    """The prepositions introducing `tok` ("à", "au", "de", "d'", "par"), normalised."""
    out = set()
    for c in tok.children:
        if c.dep_ in ("case", "mark"):
            w = c.lower_.replace("’", "'")
            out.add({"au": "à", "aux": "à", "du": "de", "des": "de", "d'": "de"}.get(w, w))
            if w in ("au", "aux"):
                out.add(w)
    return out


def is_person(tok: Token | None) -> bool:
    """A person or group of people: a PER entity, a pronoun, a human noun, a demonym, a counted noun."""
    if tok is None:
        return False
    if tok.ent_type_ in ("PER", "ORG"):
        return True
    if any(c.dep_ in ("flat:name", "appos") and c.ent_type_ == "PER" for c in tok.children):
        return True  # "Madame Miller" (the honorific heads the name)
    low = tok.lower_
    if tok.pos_ == "PRON" and low in PERSON_PRONOUNS:
        return True
    if tok.lemma_.lower() in sectors() or low in sectors():
        return True
    if is_demonym(tok.text):
        return True
    if tok.pos_ == "PROPN" and tok.text[:1].isupper():
        return True
    # "deux hommes", "des dizaines d'autres": a counted noun phrase
    if tok.lemma_.lower() in COUNTING_NOUNS and tok.lemma_.lower() not in ("nombre", "partie", "majorité", "groupe"):
        # "des centaines de partisans", not "une dizaine de chiens"
        return (counted(tok) or tok).lemma_.lower() not in NON_HUMAN_NOUNS
    if tok.lemma_.lower() == "autre":
        return True
    if tok.pos_ == "NUM" and tok.dep_ in ("obj", "nsubj", "nsubj:pass"):
        following = tok.doc[tok.i + 1] if tok.i + 1 < len(tok.doc) else None
        # "tuant quatre d'entre eux"; not "a reçu 44,8 % des votes"
        return following is None or following.text not in ("%", "pour", "pourcent")
    if tok.pos_ in ("PRON", "NUM") and any(
            c.dep_.startswith("nmod") and "de" in _case_words(c) and is_person(c) for c in tok.children):
        return True  # "un des suspects a été neutralisé", "certains des manifestants"
    # a counted noun phrase ("deux ingénieurs", "des dizaines d'autres"), unless it counts animals or things
    if tok.lemma_.lower() in NON_HUMAN_NOUNS or low in ("%", "pourcent", "pour-cent"):
        return False  # "a reçu 44,8 % des votes"
    return any(c.dep_ == "nummod" for c in tok.children) or low in ("autres", "plusieurs")


def _has_reflexive(tok: Token) -> bool:
    if any(c.lower_ in REFLEXIVE and c.pos_ == "PRON" for c in tok.children):
        return True
    # "s'est rendu": the clitic may sit one or two tokens before the verb, attached elsewhere
    doc = tok.doc
    return any(doc[i].lower_ in ("se", "s'", "s’") and doc[i].pos_ == "PRON" for i in range(max(tok.i - 3, 0), tok.i))


def _has_prep(tok: Token, words: frozenset[str]) -> bool:
    for c in tok.children:
        if c.dep_ in ("punct", "nsubj", "nsubj:pass"):
            continue
        if _case_words(c) & words or (c.dep_ in ("case", "mark") and c.lower_ in words):
            return True
    doc = tok.doc
    for i in range(tok.i + 1, min(tok.i + 1 + PREP_WINDOW, len(doc))):
        t = doc[i]
        if t.is_punct or (t.pos_ == "VERB" and t.i != tok.i):
            break
        if t.lower_ in words:
            return True
    return False


def _dependents(tok: Token) -> list[Token]:
    """Children and grandchildren through case-marked complements ("rupture de ses liens")."""
    out = []
    for c in tok.children:
        out.append(c)
        if c.dep_ in ("nmod", "obl", "obl:arg", "obl:mod"):
            out.extend(g for g in c.children if g.dep_ in ("nmod", "amod", "flat:name", "fixed"))
        elif c.dep_ in ("obj", "nsubj:pass") and c.lemma_.lower() in COUNTING_NOUNS:
            out.append(counted(c) or c)  # "a repris une centaine de localités"
    return out


def _words(toks: list[Token]) -> set[str]:
    out = set()
    for t in toks:
        out.add(t.lemma_.lower())
        out.add(t.lower_)
    return out


def counted(tok: Token | None) -> Token | None:
    """"une quinzaine d'élus" -> "élus", "des dizaines de suspects" -> "suspects": the noun a counting noun counts."""
    if tok is not None and tok.lemma_.lower() in COUNTING_NOUNS:
        for c in tok.children:
            if c.dep_.startswith("nmod") and "de" in _case_words(c):
                return c
    return tok


def _object_of(tok: Token) -> Token | None:
    for dep in ("nsubj:pass", "obj"):
        for c in tok.children:
            if c.dep_ == dep:
                return c
    return None


# Sectors of the actors that arrest people.
ARRESTING_SECTORS = frozenset({"COP", "MIL", "JUD"})


def _by_forces(tok: Token) -> bool:
    """The verb's subject or "par" agent is the police, the army or a court ("les forces de l'ordre ont embarqué")."""
    for c in tok.children:
        if c.dep_ in ("nsubj", "obl:agent") or (c.dep_.startswith("obl") and "par" in _case_words(c)):
            known = sectors().get(c.lemma_.lower())
            if known is not None and known[0] in ARRESTING_SECTORS:
                return True
    return False


def _military(tok: Token) -> bool:
    sent = tok.sent
    return any(t.lemma_.lower() in MILITARY_WORDS or t.lower_ in MILITARY_WORDS for t in sent)


def _pejorative(tok: Token) -> bool:
    words = pejorative_words("fr")
    return any(t.i > tok.i and (t.lemma_.lower() in words or t.lower_ in words) for t in tok.subtree)


NEAR_WINDOW = 5  # tokens after a trigger that a "near" condition reads


def _near(tok: Token, words: frozenset[str]) -> bool:
    """One of `words` among the next few tokens of the sentence, wherever the parser hung it ("a attaqué l'État
    en justice": "en justice" hung on "État")."""
    end = min(tok.i + 1 + NEAR_WINDOW, tok.sent.end)
    return any(t.lemma_.lower() in words or t.lower_ in words for t in tok.doc[tok.i + 1 : end])


def conditions_hold(tok: Token, entry: TriggerEntry) -> tuple[bool, bool]:
    """(the entry's conditions hold at `tok`, the mention needs a nearby unambiguous trigger)."""
    ctx = False
    for cond, words in entry.requires:
        if cond == "se":
            if not _has_reflexive(tok):
                return False, False
        elif cond == "nose":
            if _has_reflexive(tok):
                return False, False
        elif cond == "prep":
            if not _has_prep(tok, words):
                return False, False
        elif cond == "obj":
            if not _words(_dependents(tok)) & words:
                return False, False
        elif cond == "mod":
            near = _dependents(tok) + ([tok.head] if tok.head != tok else [])
            if not _words(near) & words:
                return False, False
        elif cond == "near":
            if not _near(tok, words):
                return False, False
        elif cond == "nomod":
            near = list(tok.children) + ([tok.doc[tok.i - 1]] if tok.i > 0 else [])
            if _words(near) & words:
                return False, False
        elif cond == "person":
            if not _person_condition(tok, entry):
                return False, False
        elif cond == "police":
            if not _by_forces(tok):
                return False, False
        elif cond == "military":
            if not _military(tok):
                return False, False
        elif cond == "compl":
            if not _has_complement(tok):
                return False, False
        elif cond == "noprep":
            if _has_prep(tok, words):
                return False, False
        elif cond == "intrans":
            if any(c.dep_ == "obj" for c in tok.children):
                return False, False
        elif cond == "lower":
            if not tok.text[:1].islower():
                return False, False
        elif cond == "pejorative":
            if not _pejorative(tok):
                return False, False
        elif cond == "cible":
            head = tok.head
            if not (head.lemma_.lower() in CIBLE_HEADS or any(c.dep_ == "cop" for c in tok.children)):
                return False, False
        elif cond == "ctx":
            ctx = True
    return True, ctx


def _person_condition(tok: Token, entry: TriggerEntry) -> bool:
    if entry.pos == "N":
        comps = [c for c in tok.children if c.dep_.startswith("nmod") and "de" in _case_words(c)]
        if comps:
            return any(is_person(c) for c in comps)
        # "l'enlèvement" with no complement: a person must be near ("l'enlèvement de deux Français")
        return tok.head.pos_ == "VERB" and is_person(_object_of(tok.head))
    obj = _object_of(tok)
    if obj is not None:
        return is_person(obj)
    # "en capturant 2", "en a arrêté trois": a number hung on the verb counts the people ("en" stands for them)
    if any(c.pos_ == "NUM" and c.dep_ in ("nummod", "obj", "obl:arg") for c in tok.children):
        return True
    if tok.dep_ in ("acl", "acl:relcl") and "Part" in tok.morph.get("VerbForm", []):
        # "les personnes arrêtées"; "la participation de l'islamiste, arrêté mercredi" (the parser hung the
        # participle on the noun whose "de" complement it agrees with)
        return is_person(tok.head) or any(
            c.dep_.startswith("nmod") and "de" in _case_words(c) and c.i < tok.i and is_person(c)
            for c in tok.head.children)
    # a past participle with no object: the passive of a coordinated clause ("et des dizaines d'autres arrêtés")
    return "Part" in tok.morph.get("VerbForm", []) and "Past" in tok.morph.get("Tense", [])


SUPPORT_VERBS_FOR_COMPL = word_class(WORDS_FR, "compl_support_verb")


def _has_complement(tok: Token) -> bool:
    if any(c.dep_.startswith(("nmod", "acl", "amod")) for c in tok.children):
        return True
    if tok.dep_ in ("obj", "nsubj:pass") and tok.head.lemma_.lower() in SUPPORT_VERBS_FOR_COMPL:
        return True
    return any(c.dep_ == "det" and c.lower_ in ("cette", "ce", "cet", "sa", "son", "leur") for c in tok.children)


def _candidate_keys(tok: Token) -> list[str]:
    keys = [tok.lemma_.lower(), tok.lower_]
    if tok.pos_ in VERB_POS and not tok.text[:1].isupper():
        keys.extend(guess_infinitives(tok.lower_))
    return list(dict.fromkeys(keys))


def _pos_ok(tok: Token, entry: TriggerEntry, key: str) -> bool:
    if entry.pos == "V":
        if tok.pos_ == "VERB":
            return True
        # a tagging error ("réclame" read as a noun): accept a verb-looking form used as a predicate, not a noun
        # with an article or a preposition ("le ministre des finances" is no "financer")
        if tok.pos_ not in VERB_POS or key == tok.lower_ or any(c.dep_ in ("det", "case") for c in tok.children):
            return False
        if tok.pos_ == "ADJ" and tok.dep_ == "amod" and not any(c.dep_ in PREDICATE_DEPS for c in tok.children):
            return False  # "un état de santé critique" is no "critiquer"
        # a noun needs a verb's dependent to be read as a verb ("un violent incendie" is no "incendier")
        # ("salue X et demande aux délégués": a noun coordinated with a verb, with no article, is a verb)
        return tok.pos_ != "NOUN" or any(c.dep_ in PREDICATE_DEPS for c in tok.children) or (
            tok.dep_ == "conj" and tok.head.pos_ == "VERB")
    if tok.pos_ == "ADJ" and tok.dep_ == "amod":
        return False  # an adjective: "un état de santé critique", not "la critique"
    return tok.pos_ in NOUN_POS and (tok.pos_ != "PROPN" or tok.text[:1].islower() or key == "état")


def _span_of(tok: Token) -> tuple[int, int]:
    """The trigger's character span: the token, plus a glued "-suicide" or the words of "coup d'État"."""
    doc = tok.doc
    start, end = tok.idx, tok.idx + len(tok.text)
    if tok.i + 2 < len(doc) and doc[tok.i + 1].text == "-" and doc[tok.i + 2].lower_ == "suicide":
        end = doc[tok.i + 2].idx + len(doc[tok.i + 2].text)
    return start, end


# Quotes of at most this many words are labels, not speech ("un « coup d'État constitutionnel »"): the words
# inside are not events.
SCARE_QUOTE_TOKENS = 4
OPEN_QUOTES = {"«": "»", "“": "”", '"': '"'}


def _scare_quoted(doc: Doc) -> set[int]:
    """Token indices inside short quotes."""
    out: set[int] = set()
    i, n = 0, len(doc)
    while i < n:
        close = OPEN_QUOTES.get(doc[i].text)
        if close is None:
            i += 1
            continue
        j = i + 1
        while j < n and doc[j].text != close and j - i <= SCARE_QUOTE_TOKENS + 1:
            j += 1
        # « les indices pointent Daech » (a verb inside) is speech, not a scare quote
        if (j < n and doc[j].text == close and j - i - 1 <= SCARE_QUOTE_TOKENS
                and not any(doc[k].pos_ == "VERB" for k in range(i + 1, j))):
            out.update(range(i + 1, j))
        i = j if j > i else i + 1
    return out


def _qualified(doc: Doc) -> set[int]:
    """Tokens of the label given by "qualifier X de ...", "traiter X de ...": names, not events."""
    out: set[int] = set()
    for tok in doc:
        if tok.lemma_.lower() in ("qualifier", "traiter", "considérer", "présenter", "dénoncer comme"):
            for c in tok.children:
                if c.i > tok.i and (c.dep_.startswith(("obl", "xcomp", "nmod")) and "de" in _case_words(c)
                                    or c.dep_ == "xcomp"):
                    out.update(t.i for t in c.subtree)
    return out


def find_triggers(doc: Doc, sents: list[Span], weak: bool = False) -> list[Mention]:
    """Every token whose lemma is a trigger and whose entry's conditions hold. With `weak`, a token whose entries'
    conditions all fail also gives a mention, marked `weak`, under its first entry of the right part of speech:
    the learned second opinion (`vigie.events.second_opinion`) decides whether it stays."""
    table = triggers("fr")
    out: list[Mention] = []
    skip = _scare_quoted(doc) | _qualified(doc)
    for tok in doc:
        if tok.is_punct or tok.is_space or tok.pos_ in ("DET", "ADP", "CCONJ", "SCONJ", "PRON", "NUM", "PUNCT"):
            continue
        if tok.i in skip or (tok.ent_type_ == "ORG" and tok.ent_iob_ != "B" and tok.text[:1].islower()):
            continue  # a word inside an organisation's name ("Association pour ... des Personnes détenues")
        for key in _candidate_keys(tok):
            entries = table.get(key)
            if not entries:
                continue
            found = False
            failed: TriggerEntry | None = None
            for entry in entries:
                if not _pos_ok(tok, entry, key):
                    continue
                ok, ctx = conditions_hold(tok, entry)
                if not ok:
                    failed = failed or entry
                    continue
                start, end = _span_of(tok)
                mode = entry.mode
                if end > tok.idx + len(tok.text):
                    mode = "suicide-attack"
                out.append(Mention(entry.type, mode, tok, entry, start, end, entry.weight, ctx_required=ctx))
                found = True
                break
            if not found and weak and failed is not None:
                start, end = _span_of(tok)
                out.append(Mention(failed.type, failed.mode, tok, failed, start, end, failed.weight, weak=True))
                found = True
            if found:
                break
    return out
