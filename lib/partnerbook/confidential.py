"""What only our own people may read: the internal-only phrases, kept in this one place.

The partner edition of a report (render/editions.py) is refused when its visible text holds
any of them; the scorecard leaves out of that edition a quoted story or comment that holds
one (the partner's own words can say "healthy" too). Each is a regular expression matched
ignoring case, with the partner's own name masked first.
"""

from __future__ import annotations

import re

INTERNAL_PHRASES = {
    r"\bhealth(?:y)?\b": "the health flag",
    r"\bpeers?\b": "peers",
    r"\bjudged on\b": "'judged on' wording",
    r"\bcapacity share\b": "the capacity share behind a target",
    r"\bsurvey score \d+": "an individual survey score",
    r"\bpredictability\b": "a target factor (predictability)",
    r"\bsolution completeness\b": "a target factor (solution completeness)",
    r"\bnext business review\b": "the account manager's business review points",
    r"\btarget workings\b": "the target workings",
    # the same in French, as the catalogue words them (locale/fr: scorecard, notebook, goals)
    r"\bsanté\b": "the health flag",
    r"\bpairs\b": "peers",
    r"\bévaluée? sur\b": "'judged on' wording",
    r"\bpart de capacité\b": "the capacity share behind a target",
    r"\bnote d['’]enquête \d+": "an individual survey score",
    r"\bprévisibilité\b": "a target factor (predictability)",
    r"\bcomplétude\b": "a target factor (solution completeness)",
    r"\bprochaine revue d['’]affaires\b": "the account manager's business review points",
    r"\bcalcul des (?:objectifs|cibles)\b": "the target workings",  # « Calcul des cibles » now
}


def _fixed_start(pattern: str) -> str:
    """The words every match of `pattern` begins with, in lower case ('peer' for r"\\bpeers?\\b"):
    `found` runs an expression only on a text that holds them (a plain search, ~20 times faster
    than a case-blind expression starting with \\b)."""
    start = ""
    for ch in pattern.removeprefix(r"\b"):
        if ch in "?*{":
            return start[:-1]
        if ch in "\\([|.+^$":
            return start
        start += ch
    return start


_PHRASES = [
    (re.compile(p, re.IGNORECASE), why, _fixed_start(p).lower()) for p, why in INTERNAL_PHRASES.items()
]


def found(text: str, own_name: str = "") -> list[str]:
    """The internal-only phrases in `text`, each as "why ('the words')"; [] when none."""
    text = re.sub(r"\s+", " ", str(text))
    name = re.sub(r"\s+", " ", own_name or "").strip()
    if name:
        text = re.sub(re.escape(name), " ", text, flags=re.IGNORECASE)
    low = text.lower()
    return [
        f"{why} ('{m.group(0)}')"
        for rx, why, start in _PHRASES
        if start in low
        for m in [rx.search(text)]
        if m
    ]
