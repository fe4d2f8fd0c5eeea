"""The learned second opinion on the lexicon's uncertain event mentions (`vigie.events.classifier`).

The lexicon coder (`vigie.events.coder_fr`) is precise but misses events whose trigger's conditions fail, and its
confidence hardly separates real events from false ones near the reporting threshold. The sentence classifier
reads what the lexicon cannot (the whole sentence, in any language) and decides the uncertain cases only:
- a *weak* mention (a trigger word whose entry's conditions fail) stays when the classifier gives its type at
  least `RESCUE_P` in its sentence, at the reporting threshold's confidence; otherwise it is dropped;
- a mention below the reporting threshold but above `FLOOR` is raised to the threshold on the same evidence;
- a mention at or above the threshold is dropped when the classifier gives its type less than `DROP_P` (off:
  any drop threshold lost recall on tune).
Only the sentences of such mentions are embedded, so the cost follows the number of uncertain mentions.
Thresholds were chosen by cross-validation on winer-gold-fr/tune with out-of-fold probabilities
(bench/second_opinion.py), never on the check split.

It is off by default: on tune's out-of-fold probabilities it adds about 0.015 event-type F1 (and loses as much in
events F1), on the check split nothing, while it costs about 8 ms and 150 MB per worker. `vigie analyze/ingest
--event-classifier` (or VIGIE_EVENT_CLASSIFIER=1, or `load_french(second_opinion=True)`) turns it on.
"""
from __future__ import annotations

import os

from spacy.tokens import Doc

from vigie.events.component import MIN_CONFIDENCE as REPORTED

#: The environment variable that turns the second opinion on when a pipeline is loaded without saying ("1").
ENV = "VIGIE_EVENT_CLASSIFIER"


def enabled_by_default() -> bool:
    return os.environ.get(ENV, "") == "1"


#: A weak mention or one under the threshold is kept when its type's probability in its sentence is at least this.
RESCUE_P = 0.4
#: Mentions under this confidence are not reconsidered.
FLOOR = 0.45
#: A reported mention whose type gets less than this probability is dropped (0 keeps them all).
DROP_P = 0.0


def _uncertain(r: dict, floor: float, drop_p: float) -> bool:
    return bool(r.get("weak")) or floor <= r["confidence"] < REPORTED or (drop_p > 0 and r["confidence"] >= REPORTED)


def reconsider(doc: Doc, records: list[dict], scorer=None, rescue_p: float = RESCUE_P, floor: float = FLOOR,
               drop_p: float = DROP_P) -> list[dict]:
    """The records kept, with the classifier's probability of each reconsidered record's type as `opinion`.
    `scorer` (anything with `scores(texts)`) defaults to `vigie.events.classifier.get_classifier()`."""
    uncertain = [r for r in records if _uncertain(r, floor, drop_p)]
    if not uncertain:
        return [r for r in records if not r.get("weak")]
    if scorer is None:
        from vigie.events.classifier import get_classifier

        scorer = get_classifier()
    spans = sorted({(r["evidence_start"], r["evidence_end"]) for r in uncertain})
    probs = dict(zip(spans, scorer.scores([doc.text[a:b] for a, b in spans]), strict=True))
    out = []
    for r in records:
        if not _uncertain(r, floor, drop_p):
            out.append(r)
            continue
        p = probs[(r["evidence_start"], r["evidence_end"])].get(r["type"], 0.0)
        r["opinion"] = round(p, 3)
        if r["confidence"] >= REPORTED and not r.get("weak"):
            if p >= drop_p:
                out.append(r)
        elif p >= rescue_p:
            r["confidence"] = max(r["confidence"], REPORTED)
            out.append(r)
        elif not r.get("weak"):
            out.append(r)  # stays under the threshold: not reported, still merged with its other mentions
    return out
