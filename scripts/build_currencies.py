#!/usr/bin/env python3
"""Write src/vigie/resources/currencies.tsv: the names, codes and signs of every ISO 4217 currency in use, in French
and English, for the quantities extractor (`vigie.quantities.lexicon`). Run again only when Babel's CLDR data change:
the extractor reads the committed file and needs nothing of Babel at run time.

usage: .venv/bin/python scripts/build_currencies.py [--out PATH]

Source: Babel (CLDR data, Unicode licence). The currencies are those that some territory has as legal tender today
(`babel.numbers.get_territory_currencies`), which is ISO 4217's list less funds, metals and test codes.
For each currency and language the file gives:
- lemma: the unit a news annotator writes for an amount in it (shared/eval/GUIDE.md: the singular lemma of the
  counted noun): the head noun of the singular name, the first word in French ("livre sterling" -> livre,
  "nouveau shekel israélien" -> shekel), the last in English ("British Pound" -> pound);
- name, plural: the full names ("franc suisse", "francs suisses"; "Swiss franc", "Swiss francs"), without CLDR's
  bracketed qualifiers ("franc CFA (BCEAO)" -> "franc CFA");
- head: the head noun alone, singular and plural ("roubles", "yuans", "rands");
- weak: a head noun that is also a common word ("livre" book, "couronne" crown, "won", "real", "sol", "mark"): the
  extractor takes it for money only with a large or multiplied amount ("5,2 millions de livres");
- code: the ISO code ("CHF", "GBP"), matched in capitals only; weak code: a code that is also a word or a common
  acronym in capitals ("TOP 14", "SOS", "CAD"), money only with a large or multiplied amount;
- symbol: a sign with a currency character ("£", "¥", "₹", "$CA", "CN¥"), from the French and English locales and
  from the locales of the territories that use the currency ("₽", "₺", "₴"); a sign already given to another
  currency by the French or English locale keeps that one ("¥" is the yen, not the yuan).
Forms with accents also appear without them ("guarani", "cedi"); apostrophes are straight.
"""
from __future__ import annotations

import argparse
import sys
import unicodedata
from pathlib import Path

import babel.numbers as bn
from babel import Locale
from babel.core import get_global
from babel.languages import get_official_languages

OUT = Path(__file__).resolve().parents[1] / "src" / "vigie" / "resources" / "currencies.tsv"
LANGS = ("fr", "en")
# Leading adjectives of French names that are not the head noun ("nouveau shekel israélien").
FR_SKIP = {"nouveau", "nouveaux", "nouvelle", "nouvelles"}
# Head nouns that are also common words of the language: money only with a large or multiplied amount.
WEAK = {
    "fr": {"livre", "livres", "couronne", "couronnes", "sol", "sols", "réal", "réals", "won", "wons", "mark",
           "marks", "guaraní", "guaranís", "guarani", "guaranis", "afghani", "afghanis", "som", "soms", "sum", "sums",
           "kina", "kinas", "tala", "talas", "pula", "pulas", "lari", "leu", "leus", "lei", "dobra", "dobras"},
    "en": {"real", "reals", "won", "sol", "soles", "mark", "marks", "guarani", "guaranis", "afghani", "afghanis",
           "som", "soms", "kina", "tala", "pula", "lari", "laris", "lei", "leu", "dram", "drams", "lek", "dobra",
           "dobras"},
}
# Codes that are also words or common acronyms in capitals ("TOP 14", "ALL", "SOS", "CAD"): money only with a large or
# multiplied amount, like weak head nouns.
WEAK_CODES = {"ALL", "BAM", "BOB", "CAD", "CUP", "DOP", "GEL", "MAD", "MOP", "NIO", "PEN", "RON", "SAR", "SOS", "TOP",
              "TRY"}
# Currencies whose name is a common word throughout ("or du Zimbabwe", "Zimbabwean Gold"): full names only.
NO_HEAD = {"ZWG"}


def fold(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def clean(name: str) -> str:
    """'franc CFA (BCEAO)' -> 'franc CFA'; curly apostrophes straight; spaces single."""
    if "(" in name:
        name = name[: name.index("(")]
    return " ".join(name.replace("’", "'").replace("ʻ", "'").split())


def head(name: str, lang: str) -> str:
    words = name.split()
    if lang == "fr":
        return next((w for w in words if w.lower() not in FR_SKIP), words[0])
    return words[-1]


def current_codes() -> list[str]:
    codes: set[str] = set()
    for territory in get_global("territory_currencies"):
        codes.update(bn.get_territory_currencies(territory, tender=True))
    return sorted(codes)


def has_sign(symbol: str) -> bool:
    return any(unicodedata.category(c) == "Sc" for c in symbol)


def local_symbols(code: str) -> set[str]:
    """The signs of `code` in the locales of the territories that use it ("₽" for RUB in ru_RU)."""
    out = set()
    for territory, currencies in get_global("territory_currencies").items():
        if not any(c[0] == code and c[2] is None for c in currencies):  # (code, start, end, tender): in use
            continue
        for lang in get_official_languages(territory):
            try:
                out.add(bn.get_currency_symbol(code, f"{lang}_{territory}"))
            except Exception:  # noqa: BLE001 - a language without CLDR data for that territory
                continue
    # a "$" sign of the territory ("C$" in Nicaragua) is another currency's in French or English news ("C$": Canada)
    return {s for s in out if has_sign(s) and "$" not in s}


def rows() -> list[tuple[str, str, str, str]]:
    out: list[tuple[str, str, str, str]] = []
    seen: set[tuple[str, str]] = set()  # (lang, form folded to lower case): the first currency keeps a form

    def add(code: str, lang: str, form: str, kind: str) -> None:
        for f in dict.fromkeys((form,) if kind == "lemma" else (form, fold(form))):
            key = (lang, f if kind in ("code", "symbol") else f.lower())
            if kind == "lemma":
                out.append((code, lang, f, kind))
            elif key not in seen:
                seen.add(key)
                out.append((code, lang, f, kind))

    codes = current_codes()
    symbols: dict[str, str] = {}  # sign -> the currency the French or English locale gives it
    for code in codes:
        for lang in LANGS:
            s = bn.get_currency_symbol(code, lang)
            if has_sign(s):
                symbols.setdefault(s, code)
    for code in codes:
        for lang in LANGS:
            singular = clean(Locale(lang).currencies[code])
            plural = clean(bn.get_currency_name(code, count=2, locale=lang))
            lemma = head(singular, lang).lower()
            add(code, lang, lemma, "lemma")
            add(code, lang, singular, "name")
            add(code, lang, plural, "plural")
            if code not in NO_HEAD:
                for name in (singular, plural):
                    word = head(name, lang).lower()
                    add(code, lang, word, "weak" if word in WEAK[lang] or fold(word) in WEAK[lang] else "head")
        add(code, "*", code, "weak code" if code in WEAK_CODES else "code")
        for s in sorted({bn.get_currency_symbol(code, lang) for lang in LANGS} | local_symbols(code)):
            if has_sign(s) and symbols.setdefault(s, code) == code:
                add(code, "*", s, "symbol")
    return out


HEADER = """\
# Currencies of the quantities extractor (vigie/quantities/lexicon.py): every ISO 4217 currency in use, with its
# French and English names, head nouns, code and signs. GENERATED by scripts/build_currencies.py from Babel's CLDR
# data (Unicode licence): edit the script, not this file.
# Columns (tab-separated): code, lang (fr, en, or * for both), form, kind
# - lemma: the unit reported for an amount ("livre" for GBP in French, "pound" in English);
# - name, plural: full names; head: the head noun alone; weak: a head noun that is also a common word (money only
#   with a large or multiplied amount); code: ISO code, capitals only; weak code: a code that is also a word or an
#   acronym ("TOP", "SOS"), money only with a large or multiplied amount; symbol: a sign ("£", "¥", "$CA").
"""


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args()
    lines = [HEADER] + ["\t".join(r) + "\n" for r in rows()]
    args.out.write_text("".join(lines), encoding="utf-8")
    print(f"{args.out}: {len(lines) - 1} rows", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
