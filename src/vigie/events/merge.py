"""One event per real event: mentions of the same event in an article merge into one record.

Two mentions are the same event when they have the same type, compatible modes (ASSAULT modes are the weapons
of one attack and always combine; "demo" and "riot" are two events), compatible dates (two different days are
two events), compatible places (two countries named in the mentions' own clauses are two events), the same
status (a foiled attack is not the real one) and actors that do not conflict. Actors conflict when both are known and differ: two named entities, two sectors or two countries, a perpetrator word
against a named actor, or the roles reversed (the police shooting the assailant is not the assailant's attack).
Perpetrator words ("l'assaillant", "les kamikazes", "un terroriste") are compatible with each other, and
common-noun targets ("voyageurs", "passagers") never conflict. The most complete mention gives the arguments;
the others fill empty fields and add their trigger spans to `mentions`.
"""
from __future__ import annotations

from datetime import date
from functools import lru_cache

from vigie.events.lexicon import actor_alias
from vigie.language.names import name_tokens

ACTOR_FIELDS = ("", "_country", "_sector", "_entity", "_perp", "_place", "_head", "_affiliation")
FILL_FIELDS = ("location", "location_country", "killed", "injured", "arrested", "size")
STATUS = frozenset({"negated", "hypothetical"})
# Strongest ASSAULT mode first (PLOVER manual, table 3.11): a merged attack keeps the most specific one.
MODE_ORDER = ("suicide-attack", "explosives", "heavy-weapons", "firearms", "primitive", "assassinate", "execute",
              "abduct", "torture", "sexual", "beat", "destroy")
# Types whose modes are different events ("demo" and "riot", "arrest" and "confiscate"); elsewhere modes are
# aspects of one event (the weapons of one attack, an accusation and the investigation it comes with).
DISTINCT_MODES = frozenset({"PROTEST", "COERCE", "RETREAT", "SANCTION", "MOBILIZE", "AID", "CONSULT"})
# ASSAULT modes that are acts of their own, not the weapons of an attack: they merge only with the same mode.
DISTINCT_ASSAULTS = frozenset({"abduct", "torture", "sexual", "execute"})
# ASSAULT modes that are what was done to the victim rather than the weapon used: two mentions with two different
# ones are two acts ("assassinée" in June, "agressé chez lui par un voleur" in May), while a weapon mode joins any.
ACT_ASSAULTS = DISTINCT_ASSAULTS | {"assassinate", "beat", "destroy"}
# Types whose victims are named in one mention and described in another ("un couple de policiers tué" /
# "Jean-Baptiste Salvaing a été tué"): a named and a described target do not make two events.
DESCRIBED_TARGETS = frozenset({"ASSAULT", "COERCE"})
# Confidence added by each further mention of the same event.
MENTION_BONUS = 0.05


def same_name(a: str | None, b: str | None) -> bool:
    """Lenient name equality: one name's last word is in the other ("M. Tokaïev" ~ "Kassym-Jomart Tokaïev"), or
    two names of one well-known actor ("Daech" ~ "État islamique", `resources/actor_aliases.tsv`)."""
    ta, tb = _name_tokens(a or ""), _name_tokens(b or "")
    if not ta or not tb:
        return False
    if ta[-1] in tb or tb[-1] in ta:
        return True
    return _actor_alias(a or "") == _actor_alias(b or "") != (a or "")


# Merging compares every pair of mentions of a type: the same few names again and again.
@lru_cache(maxsize=4096)
def _name_tokens(name: str) -> tuple[str, ...]:
    return tuple(name_tokens(name))


@lru_cache(maxsize=4096)
def _actor_alias(name: str) -> str:
    return actor_alias(name)


def _actor(rec: dict, role: str) -> dict | None:
    if not rec.get(role):
        return None
    return {"name": rec[role], "country": rec.get(f"{role}_country"), "sector": rec.get(f"{role}_sector"),
            "entity": rec.get(f"{role}_entity"), "perp": rec.get(f"{role}_perp"), "place": rec.get(f"{role}_place"),
            "head": rec.get(f"{role}_head"), "affiliation": rec.get(f"{role}_affiliation")}


def actors_conflict(x: dict | None, y: dict | None) -> bool:
    """Two known actors that are not the same: different names, unless both are perpetrator words or share
    their head word ("contingent militaire" / "contingent de maintien de la paix")."""
    if x is None or y is None or same_name(x["name"], y["name"]):
        return False
    if x["perp"] and y["perp"]:
        return False
    # a state and its government ("le Burundi demande" / "le gouvernement burundais a demandé")
    if x["country"] and x["country"] == y["country"] and (x.get("place") or y.get("place")) and (
            {x["sector"], y["sector"]} <= {"GOV", None}):
        return False
    # an organisation and its leader or spokesperson ("le chef du Front al-Nosra, X, annonce la rupture")
    if same_name(x.get("affiliation"), y["name"]) or same_name(y.get("affiliation"), x["name"]):
        return False
    # the attackers and the armed group that claimed the attack ("un kamikaze" / "revendiqué par l'EI")
    for a, b in ((x, y), (y, x)):
        if a["perp"] and b["entity"] and b["sector"] in (None, "REB"):
            return False
    return not (x.get("head") and x.get("head") == y.get("head"))


# An undated mention is the article's news, around its publication: it does not join a mention dated more than
# this many days before ("le véhicule a explosé" and "le 26 février, les explosions ... avaient fait 14 morts").
NEWS_DAYS = 14


def _days_before(value: str, published: str) -> int | None:
    try:
        return (date.fromisoformat(published[:10]) - date.fromisoformat(value[:10])).days
    except ValueError:  # a month, a year, a week or a range: not compared
        return None


def _dates_conflict(a: dict, b: dict) -> bool:
    da, db = (None if a.get("date_inferred") else a.get("date")), (None if b.get("date_inferred") else b.get("date"))
    for dated, undated in ((da, b), (db, a)):
        if dated and undated.get("date_inferred") and undated.get("date"):
            gap = _days_before(dated, undated["date"])
            if gap is not None and gap > NEWS_DAYS:
                return True
    if not da or not db:
        return False
    return not (da.startswith(db) or db.startswith(da) or "W" in da or "W" in db or "/" in da or "/" in db)


def _places_conflict(a: dict, b: dict) -> bool:
    """Two places read in the mentions' own clauses, in different countries: two events (a strike in Kaboul and
    one in Mossoul), whatever the article's main place."""
    if a.get("location_from") != "clause" or b.get("location_from") != "clause":
        return False
    ca, cb = a.get("location_country"), b.get("location_country")
    return bool(ca and cb and ca != cb)


def compatible(a: dict, b: dict) -> bool:
    if a["type"] != b["type"]:
        return False
    if a["type"] in DISTINCT_MODES and a.get("mode") and b.get("mode") and a["mode"] != b["mode"]:
        return False
    if a["type"] == "ASSAULT" and a.get("mode") != b.get("mode") and {a.get("mode"), b.get("mode")} & DISTINCT_ASSAULTS:
        return False  # an abduction and a clash are two events, whatever the weapons
    if a["type"] == "ASSAULT" and a.get("mode") in ACT_ASSAULTS and b.get("mode") in ACT_ASSAULTS and a["mode"] != b["mode"]:
        return False  # a murder and a beating, a beating and a building destroyed: two acts
    if (STATUS & set(a.get("context") or [])) != (STATUS & set(b.get("context") or [])):
        return False
    old_a, old_b = "historical" in (a.get("context") or []), "historical" in (b.get("context") or [])
    if old_a != old_b:
        recent = b if old_a else a
        if recent.get("source") or recent.get("target") or not recent.get("date_inferred"):
            return False  # the treaty signed in 1957 and the members' commitment today
    if _dates_conflict(a, b) or _places_conflict(a, b):
        return False
    sa, sb, ta, tb = _actor(a, "source"), _actor(b, "source"), _actor(a, "target"), _actor(b, "target")
    if actors_conflict(sa, sb):
        return False
    # the roles reversed: X against Y and Y against X are two events
    if (sa and tb and same_name(sa["name"], tb["name"])) or (sb and ta and same_name(sb["name"], ta["name"])):
        return False
    # two different named targets (a place visited and the people met there are one visit; "un couple de
    # policiers" and the name of one of them are one attack)
    if ta and tb and not same_name(ta["name"], tb["name"]):
        named = [t for t in (ta, tb) if t["entity"] and not t.get("place")]
        if len(named) == 2 or (named and a["type"] not in DESCRIBED_TARGETS):
            return False
    return True


def _completeness(rec: dict) -> int:
    return sum(1 for k in ("source", "target") if rec.get(k)) * 2 + int(bool(rec.get("date") and not rec.get("date_inferred")))


def _merge_into(group: list[dict]) -> dict:
    # a body mention tells the event (its trigger and sentence are the record's), a headline only sums it up
    best = max(group, key=lambda r: (not r.get("headline"), _completeness(r), r["confidence"], -r["start"]))
    out = dict(best)
    for rec in sorted(group, key=lambda r: r["start"]):
        if rec is best:
            continue
        for role in ("source", "target"):
            # an empty role is filled; a perpetrator word gives way to a named actor ("revendiqué par l'EI")
            if rec.get(role) and (not out.get(role) or (out.get(role + "_perp") and rec.get(role + "_entity"))):
                for f in ACTOR_FIELDS:
                    out[role + f] = rec.get(role + f)
        for f in FILL_FIELDS:
            if out.get(f) is None and rec.get(f) is not None:
                out[f] = rec[f]
        if (not out.get("date") or out.get("date_inferred")) and rec.get("date") and not rec.get("date_inferred"):
            out["date"], out["date_inferred"] = rec["date"], False
        if out.get("location_from") == "article" and rec.get("location_from") == "clause":
            out["location"], out["location_country"] = rec["location"], rec.get("location_country")
            out["location_from"] = "clause"
    for f in ("killed", "injured", "arrested", "size"):  # tolls are revised upwards within an article
        values = [r[f] for r in group if r.get(f) is not None]
        if values:
            out[f] = max(values)
    if out["type"] == "ASSAULT":
        modes = [r["mode"] for r in group if r.get("mode")]
        out["mode"] = min(modes, key=lambda m: MODE_ORDER.index(m) if m in MODE_ORDER else 99) if modes else None
    out["mentions"] = sorted([r["start"], r["end"]] for r in group)
    out["confidence"] = round(min(0.99, max(r["confidence"] for r in group) + MENTION_BONUS * (len(group) - 1)), 3)
    return out


def merge_mentions(records: list[dict]) -> list[dict]:
    """Group compatible mentions and merge each group into one event record.

    Mentions that name their source form the groups first (in text order); mentions with a target only, then
    those with neither ("l'attaque", "cette visite"), join the compatible group with the most mentions (the
    nearest before them on a tie), so a bare "l'attaque" joins the attack rather than the police's response.
    """
    groups: list[list[dict]] = []
    merged: list[dict] = []
    of_type: dict[str, list[int]] = {}  # event type -> its groups (a group holds one type: `compatible`)

    def place(rec: dict, choose_biggest: bool) -> None:
        fits = [k for k in of_type.get(rec["type"], ())
                if compatible(merged[k], rec) and all(compatible(r, rec) for r in groups[k])]
        if fits:
            if choose_biggest:
                before = [k for k in fits if groups[k][0]["start"] <= rec["start"]] or fits
                k = max(before, key=lambda k: (len(groups[k]), max(r["start"] for r in groups[k] if r["start"] <= rec["start"])
                                                if any(r["start"] <= rec["start"] for r in groups[k]) else -1))
            else:
                k = fits[0]
            groups[k].append(rec)
            merged[k] = _merge_into(groups[k])
        else:
            of_type.setdefault(rec["type"], []).append(len(groups))
            groups.append([rec])
            merged.append(_merge_into([rec]))

    ordered = sorted(records, key=lambda r: r["start"])
    headlines = [r for r in ordered if r.get("headline")]
    ordered = [r for r in ordered if not r.get("headline")]
    for rec in ordered:  # mentions that name their author found the groups
        if rec.get("source"):
            place(rec, False)
    for rec in ordered:  # then those with a victim only ("deux personnes ont été tuées"), then bare ones
        if rec.get("target") and not rec.get("source"):
            place(rec, True)
    for rec in ordered:
        if not (rec.get("source") or rec.get("target")):
            place(rec, True)
    for rec in headlines:  # a headline sums up the body: its event is one the body tells, or none
        fits = [k for k in of_type.get(rec["type"], ()) if _same_story(merged[k], rec)]
        if fits:
            k = max(fits, key=lambda k: (len(groups[k]), -groups[k][0]["start"]))  # the story's main event
            groups[k].append(rec)
            merged[k] = _merge_into(groups[k])
    return sorted(merged, key=lambda r: r["mentions"][0][0])


def _same_story(body: dict, headline: dict) -> bool:
    """A headline's mention joins a body event of its type whatever the wording of their actors ("Trois policiers
    abattus" and "des tireurs ... leur ont tiré dessus"), unless their modes, dates or status differ."""
    relaxed = dict(headline)
    for role in ("source", "target"):
        for f in ACTOR_FIELDS:
            relaxed[role + f] = body.get(role + f)
    return compatible(body, relaxed)
