"""Word shapes the English quote rules read on a blank pipeline (no tags): where a speaker's name starts after
its titles, hyphenated compounds, title-case lines, whether a reporting-verb form is a verb where it stands,
and whether a clause has a verb.

- A name is the run of capitalised words that ends a speaker phrase, after its last title or possessive:
  "Reuters Editor-in-Chief Alessandra Galloni" -> "Alessandra Galloni", "Vermont Sen. Bernie Sanders" ->
  "Bernie Sanders", "Media Research Center's Brent Bozell" -> "Brent Bozell"; an institution keeps its title
  words ("the State Department" -> "State Department"). A hyphenated compound is one word; it is a title
  when a part is a title or a lower-case word other than a name particle ("Editor-in-Chief", "co-founder",
  "home-state"), a name otherwise ("Jean-Pierre", "al-Assad").
- A title-case line ("Police Report Finds Driver Was Speeding", "Obama Says He Will Veto Bill") capitalises
  verbs and function words: there a capital says little about a name, and a capitalised verb is a verb.
- A reporting-verb form is a noun, not a cue, after a determiner or a possessive ("the report says", "her
  claims"), after "of" or a preposition unless it is an -ing form ("secretary of state said", "in remarks";
  "by saying" stays a cue), at the end of a hyphenated compound ("home-state"), when it opens a sentence in
  its base or -s form ("Report finds rise in attacks", "Claims that ..."; "Said one official" stays a cue),
  and when capitalised inside a sentence, unless the words around it are capitalised too (a title-case line:
  "Clinton Says Russians Hacked DNC") and, in its base form, it follows a plural ("Officials Say"; in
  "Police Report Finds" the report is a noun).
- A clause has a verb when it holds an auxiliary or a modal, a reporting verb, a word in -ed or -ing, a
  contraction, a pronoun subject followed by a word ("they buy") or a word in -s after a capitalised one
  ("Trump lies"); rough, and used only where a bare phrase is likely a fragment.
"""
from __future__ import annotations

from spacy.tokens import Doc

from vigie.lexicons import word_class

TITLES = word_class("quote_words_en.tsv", "title")
PARTICLES = word_class("quote_words_en.tsv", "name_particle")
SUFFIXES = word_class("quote_words_en.tsv", "name_suffix")
VERB_MARKERS = word_class("quote_words_en.tsv", "verb_marker")
NOUN_MARKERS = word_class("quote_words_en.tsv", "noun_marker")
PREPOSITIONS = word_class("quote_words_en.tsv", "preposition")
ORGANISATIONS = word_class("quote_words_en.tsv", "organisation")
SUBJECT_PRONOUNS = frozenset({"he", "she", "they", "we", "i", "you", "it"})
POSSESSIVE_ENDS = ("'s", "’s", "s'", "s’")
# A title-case line: this share of its words capitalised, at least this many words.
TITLE_CASE_SHARE = 0.75
TITLE_CASE_MIN_WORDS = 4


def compound(doc: Doc, k: int) -> tuple[int, int]:
    """Token range [s, e) of the hyphenated compound holding token `k` ("Editor-in-Chief"); (k, k + 1) alone."""
    s, e = k, k + 1
    while s > 0 and not doc[s - 1].whitespace_ and (doc[s - 1].text == "-" or doc[s].text == "-"):
        s -= 1
    while e < len(doc) and not doc[e - 1].whitespace_ and (doc[e].text == "-" or doc[e - 1].text == "-"):
        e += 1
    return s, e


def words_of(doc: Doc, s: int, e: int) -> list[tuple[int, int]]:
    """Token ranges of the words of doc[s:e]: a hyphenated compound is one word, "'s" goes with its noun."""
    out: list[tuple[int, int]] = []
    k = s
    while k < e:
        cs, ce = compound(doc, k)
        ce = min(ce, e)
        if out and doc[k].lower_.replace("’", "'") == "'s":
            out[-1] = (out[-1][0], k + 1)
        else:
            out.append((max(cs, s), ce))
        k = ce
    return out


def is_title(word: str, titles: frozenset[str] = TITLES) -> bool:
    """"Sen.", "President", "Editor-in-Chief", "co-founder": a word before a name that is not part of it."""
    low = word.lower()
    if low in titles or low.rstrip(".") in titles:
        return True
    parts = [p for p in word.split("-") if p]
    if len(parts) < 2:
        return False
    return any(p.lower() in titles or (p[:1].islower() and p.lower() not in PARTICLES) for p in parts)


def is_name_word(word: str, titles: frozenset[str] = TITLES) -> bool:
    """A capitalised word that may be part of a person's or an organisation's name (not a title, not a
    possessive: "Clinton's aide" names the aide)."""
    if not any(c.isalpha() for c in word) or word.endswith(POSSESSIVE_ENDS) or word.endswith(("’", "'")):
        return False
    if is_title(word, titles):
        return False
    parts = [p for p in word.split("-") if p and p not in PARTICLES]  # "al-Assad"; "Al Sharpton" is a name
    return bool(parts) and all(p[:1].isupper() or not p[:1].isalpha() for p in parts)


def is_organisation(words: list[str]) -> bool:
    """A name ending with an institution's head word ("State Department", "White House", "Clinton Foundation"):
    its title words are part of it."""
    return bool(words) and words[-1].lower() in ORGANISATIONS


def name_start(words: list[str], titles: frozenset[str] = TITLES) -> int:
    """Index of the first word of the name ending `words`: after the last title or possessive, when the run
    of name words after it holds more than suffixes ("Jr.", "III"); else 0 ("Islamic State", "John Major").
    An institution's name starts after the last possessive or lower-case word ("Trump's Justice Department")."""
    i = len(words)
    if is_organisation(words):
        while i > 0 and words[i - 1][:1].isupper() and not words[i - 1].endswith(POSSESSIVE_ENDS):
            i -= 1
        return i
    while i > 0:
        w = words[i - 1]
        if is_name_word(w, titles):
            i -= 1
        elif w.lower() in PARTICLES and i < len(words) and i > 1 and is_name_word(words[i - 2], titles):
            i -= 1  # "Charles de Gaulle"
        else:
            break
    run = words[i:]
    if run and any(w.lower().rstrip(".") not in SUFFIXES for w in run) and run[0] not in PARTICLES:
        return i
    return 0


def title_case(words: list[str], function_words: frozenset[str]) -> bool:
    """A headline in title case: mostly capitalised words, and a capitalised function word or verb after the
    first word ("... Says He Will ...", "... Of The ...")."""
    alpha = [w for w in words if w[:1].isalpha()]
    if len(alpha) < TITLE_CASE_MIN_WORDS:
        return False
    caps = [w for w in alpha if w[:1].isupper()]
    if len(caps) < TITLE_CASE_SHARE * len(alpha):
        return False
    return any(w[:1].isupper() and w.lower() in function_words for w in alpha[1:])


def has_verb(words: list[str], verb_forms: frozenset[str] | dict[str, str] = frozenset()) -> bool:
    """Whether `words` (as written) likely hold a verb (see the module docstring)."""
    lows = [w.lower().replace("’", "'") for w in words]
    for i, w in enumerate(lows):
        if w in VERB_MARKERS or w in verb_forms or w.endswith("n't"):
            return True
        if len(w) > 4 and w.isalpha() and w.endswith(("ed", "ing")) and words[i][:1].islower():
            return True  # "reported", "modeling"
        if len(w) > 5 and w.endswith("ed") and not w.endswith(("eed", "med")) and i:
            return True  # "Witness Says Trump Groped Woman" (a title-case line); not "Mohammed"
        prev = lows[i - 1] if i else ""
        if w in ("'s", "'re", "'ve", "'d", "'ll", "'m") and prev in SUBJECT_PRONOUNS:
            return True
        if i and w.isalpha() and words[i][:1].islower() and (prev in SUBJECT_PRONOUNS or words[i - 1][:1].isupper()) \
                and (prev in SUBJECT_PRONOUNS or (w.endswith("s") and not w.endswith(("ss", "us", "is")))):
            return True  # "they buy", "Trump lies"
    return False


def verb_use(form: str, lemma: str, before: str | None, capitalised: bool, opens_sentence: bool,
             in_title_case: bool = False) -> bool:
    """Whether a reporting-verb form (lower case, `form` of `lemma`) is used as a verb, from the word just
    before it (`before`, lower case, "-" for a hyphen joined to it, None at the start of the text)."""
    finite = form != lemma and form not in (lemma + "s", lemma + "es", lemma[:-1] + "ies")
    if opens_sentence and capitalised:  # "Report finds", "Claims that": only a past or -ing form opens one
        return finite
    if capitalised and not in_title_case:  # inside a sentence: part of a name ("the Empire State Building")
        return False
    if capitalised and form == lemma and not (before or "").endswith("s"):
        return False  # a headline's verb agrees with its subject: "Officials Say", not "Police Report Finds"
    if before is None:
        return True
    before = before.replace("’", "'")
    if before == "-" or before in NOUN_MARKERS:
        return False
    return not (before in PREPOSITIONS and not form.endswith("ing"))
