"""The seeded sample programme: a realistic partner channel to build reports on.

`build` writes every canonical table into a DuckDB store (data/sample.duckdb by default);
`generate` returns the same tables as DataFrames. One numpy Generator seeded with `seed`
draws everything, and the history ends on the fixed `end`, so the same arguments give the
same tables on any day.

The programme has structure worth finding, not uniform noise:
- partners move recruit -> onboard -> enable -> sell -> grow (some churn); the stage drives
  how much they do, and `stage_changes` holds the history behind `lifecycle_stage`;
- tiers are earned: Gold partners mostly sell or grow and sell most, then Silver, then
  Registered (where new partners start), so median revenue by tier reads Gold > Silver > Registered;
- partners that train and certify win more afterwards (higher win rate, bigger deals);
- Silver revenue grows quarter on quarter; APAC declines (fewer deals, lower win rate);
- Q4 is the seasonal peak; some deals close on a quarter's last day; a few deals are large;
- churning partners stall first: their activity fades in the months before churned_on, and
  nothing at all (activity, deals, answers, actions) is dated after it;
- results can fall while activity goes on: a few Gold partners lose deals in the last quarter
  (revenue down 40-70% on the prior quarter, win rate down with it), and a few sell/grow
  partners win nothing and have nothing open for the last two quarters (one of each per 60
  partners);
- survey comments come back to a few themes (MDF, leads, pricing, training, deal
  registration, account manager, certification) in different words, never word for word;
- a partner portal's data: contacts (the people behind every contact_id, at
  first.last@<partner-slug>.example), MDF allocations per partner and year, claim deadlines,
  registrations that expire after 90 days, 2-4 objectives per business plan on catalogue
  metrics, open and done actions, account manager e-mails and locales;
- a few recruits have no activity at all; some opportunities are direct or still open.

Everything is drawn per partner and month as Poisson counts, then spread over days:
no Python loop runs per row, so 1,000 partners generate in seconds.

The sample speaks a language (`locale`): en_US, the words below, or fr_FR, the words of
sample_fr_FR.yaml (French companies, people, regions and comments, amounts in euros). The
draws are the same in both, so a seed tells the same story in each: only what people read
changes, and the money, converted at the vocabulary's rate.
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd

from . import i18n, numbers, paths, store
from .errors import ParamsError
from .tables import STAGES, TABLES
from .yamlfiles import check_keys, load_yaml

RECRUIT, ONBOARD, ENABLE, SELL, GROW, CHURNED = range(6)
NEVER = np.iinfo(np.int64).max // 4  # "day" of a stage never entered
MONTHS, AHEAD = 24, 4  # eight quarters of history, plus months ahead for open deals

TIERS = ("Gold", "Silver", "Registered")
# tiers are earned: new partners start Registered, partners that sell move up
# (Gold, Silver, Registered) by the stage a partner is in (recruit .. grow)
TIER_BY_STAGE = ((0.0, 0.0, 1.0), (0.0, 0.0, 1.0), (0.03, 0.17, 0.8), (0.25, 0.5, 0.25), (0.5, 0.4, 0.1))
REGIONS = ("AMER", "EMEA", "APAC")
REGION_WEIGHTS = (0.4, 0.35, 0.25)
CHURN_REGION_WEIGHTS = (0.25, 0.25, 0.5)  # the declining region loses more partners
GROWING_TIER, DECLINING_REGION = 1, 2  # Silver grows, APAC declines
COUNTRIES = (
    ("United States", "United States", "Canada", "Brazil", "Mexico"),
    ("United Kingdom", "Germany", "France", "Netherlands", "Sweden", "South Africa", "United Arab Emirates"),
    ("Australia", "Japan", "Singapore", "India", "New Zealand"),
)
LOCALES = {
    "United States": "en-US",
    "Canada": "en-CA",
    "Brazil": "pt-BR",
    "Mexico": "es-MX",
    "United Kingdom": "en-GB",
    "Germany": "de-DE",
    "France": "fr-FR",
    "Netherlands": "nl-NL",
    "Sweden": "sv-SE",
    "South Africa": "en-ZA",
    "United Arab Emirates": "en-AE",
    "Australia": "en-AU",
    "Japan": "ja-JP",
    "Singapore": "en-SG",
    "India": "en-IN",
    "New Zealand": "en-NZ",
}
OUR_DOMAIN = "vendor.example"  # our own people's addresses (a reserved example domain)
SEGMENTS = ("ENT", "MM", "SMB")
SEGMENT_BY_TIER = ((0.3, 0.4, 0.3), (0.15, 0.4, 0.45), (0.05, 0.3, 0.65))
CATEGORIES = ("Cloud", "Security", "Analytics", "Services")
SKUS = (
    ("CLD-100", "CLD-200", "CLD-300"),
    ("SEC-110", "SEC-210"),
    ("ANL-120", "ANL-220"),
    ("SVC-130", "SVC-230"),
)
SEASON = {1: 0.85, 2: 0.95, 3: 1.0, 4: 1.45}  # by calendar quarter: Q4 peak
REGISTRATION_DAYS = 90  # a deal registration protects the deal this long
CLAIM_DAYS = 90  # days after the request to claim approved MDF

# how busy a partner is in each stage, per table (recruit, onboard, enable, sell, grow, churned)
STAGE_FACTORS = {
    "opportunities": (0, 0, 0.35, 1.0, 1.7, 0),
    "deal_registrations": (0, 0, 0.5, 1.0, 1.5, 0),
    "leads": (0, 0, 0.3, 1.0, 1.4, 0),
    "trials": (0, 0.1, 0.7, 1.0, 1.2, 0),
    "webinar": (0.5, 1.0, 1.0, 0.7, 0.7, 0),
    "training": (0, 1.0, 1.0, 0.35, 0.35, 0),
    "in_person_event": (0.2, 0.5, 0.8, 1.0, 1.2, 0),
    "portal_activity": (0.3, 1.2, 1.0, 0.8, 0.9, 0),
    "mdf": (0, 0, 0.2, 0.7, 1.5, 0),
    "quote": (0, 0.3, 0.6, 1.0, 1.3, 0),
    "portal_post": (0.2, 0.6, 0.8, 1.0, 1.0, 0),
}

PREFIXES = (
    "Brightpath",
    "Northstar",
    "Bluewater",
    "Ironbridge",
    "Silverline",
    "Redwood",
    "Clearview",
    "Summit",
    "Keystone",
    "Harbor",
    "Evergreen",
    "Granite",
    "Lakeside",
    "Pinnacle",
    "Crescent",
    "Meridian",
    "Horizon",
    "Cobalt",
    "Falcon",
    "Westgate",
    "Oakridge",
    "Stonebridge",
    "Blue Fjord",
    "Copperleaf",
    "Tidewater",
    "Highland",
    "Sunridge",
    "Atlas",
    "Beacon",
    "Cedar",
    "Driftwood",
    "Emberline",
    "Foxglove",
    "Greystone",
    "Hawthorn",
    "Juniper",
    "Kestrel",
    "Larkspur",
    "Maplewood",
    "Nimbus",
    "Orchard",
    "Polaris",
    "Quarry",
    "Riverbend",
    "Sapphire",
    "Thornbury",
    "Upland",
    "Vantage",
    "Willowbrook",
    "Yellowpine",
    "Zenith",
    "Ashford",
    "Birchwood",
    "Canyon",
    "Dunmore",
    "Elmstead",
    "Fairhaven",
    "Glenrock",
    "Hollis",
    "Ivory Coast",
)
SUFFIXES = (
    "Systems",
    "Solutions",
    "Technologies",
    "Consulting",
    "Networks",
    "Group",
    "Partners",
    "IT",
    "Digital",
    "Integrators",
    "Labs",
    "Data",
    "Cloud Services",
    "Infotech",
    "Software",
    "Advisory",
    "Computing",
    "Security",
    "Analytics",
    "Tech",
)
QUALIFIERS = ("International", "Holdings", "Europe", "Pacific", "Americas")
FIRST = (
    "Maria",
    "James",
    "Priya",
    "Chen",
    "Sofia",
    "Liam",
    "Aisha",
    "Noah",
    "Yuki",
    "Olivia",
    "Mateo",
    "Emma",
    "Ravi",
    "Hannah",
    "Lucas",
    "Fatima",
    "Oliver",
    "Mei",
    "Daniel",
    "Ingrid",
    "Kwame",
    "Chloe",
    "Arjun",
    "Elena",
    "Tomas",
    "Grace",
    "Hiro",
    "Amara",
    "Felix",
    "Nora",
)
LAST = (
    "Lopez",
    "Smith",
    "Shah",
    "Wang",
    "Rossi",
    "Murphy",
    "Khan",
    "Becker",
    "Tanaka",
    "Brown",
    "Silva",
    "Dubois",
    "Patel",
    "Schmidt",
    "Costa",
    "Nguyen",
    "Johansson",
    "Okafor",
    "Kim",
    "Novak",
    "Garcia",
    "O'Brien",
    "Larsen",
    "Mensah",
    "Fischer",
    "Ito",
    "Haddad",
    "Walsh",
    "Moreau",
    "Singh",
)
ROLES = ("Sales Director", "Presales Engineer", "Owner", "Marketing Manager", "Alliance Manager", "CTO")
WEBINARS = (
    "What's new in Cloud",
    "Selling Security to the mid-market",
    "Analytics in 30 minutes",
    "Deal registration clinic",
    "Quarterly programme update",
    "Services attach playbook",
)
TRAININGS = (
    "Cloud Sales Foundations",
    "Security Technical Deep Dive",
    "Analytics Solution Selling",
    "Services Delivery Essentials",
    "Partner Portal Basics",
)
CERTIFICATIONS = (
    "Certified Cloud Specialist",
    "Certified Security Engineer",
    "Certified Analytics Architect",
)
EVENTS = ("Partner Summit", "Regional Roadshow", "Executive Briefing Day", "Hands-on Lab Day")
MDF_ACTIVITIES = (
    "Joint webinar",
    "Trade show booth",
    "Customer lunch & learn",
    "Email campaign",
    "Digital ads",
    "Executive roundtable",
)
PORTAL_POSTS = (  # {c}: a product category, {i}: an industry, {n}: a number
    "Tip: register the {c} deal <before> the first meeting & you keep the margin.",
    "Does anyone have a reference customer for {c} in {i}?",
    "Our first {c} deal in {i} closed after a {n}-week trial: happy to share the plan.",
    "The new quoting tool saves us {n} hours a week on {c} quotes.",
    "Looking for a partner strong in {c} with {i} experience for a joint bid.",
    "Has anyone sold {c} with a managed service in {i}? We have {n} prospects asking.",
)
INDUSTRIES = (
    "retail",
    "banking",
    "healthcare",
    "manufacturing",
    "the public sector",
    "logistics",
    "education",
)
PROGRAMME_QUOTES = (
    "Partners who certify close bigger deals: the data says it every quarter.",
    "This year the programme pays for results, not for logos on a slide.",
    "We are simplifying deal registration after partner feedback.",
    "Welcome to the partners who joined this quarter.",
)
PROGRAMME_AUTHORS = ("VP Partner Sales", "Channel Marketing", "Partner Programme Office")
# Survey comments: a few themes partners raise again and again, each said in several ways
# (the keyword names the theme), by score band (0-6, 7-8, 9-10), with a detail of the
# partner's own; no comment is repeated word for word.
THEMES = {
    "MDF": (
        0,
        (
            "MDF approvals take weeks, so our quarter-end campaigns start late.",
            "We waited two months for MDF to come through.",
            "The MDF money arrives after the campaign is over.",
            "Claiming MDF costs us a day of paperwork every time.",
            "Getting MDF approved is slower than running the event itself.",
        ),
    ),
    "leads": (
        0,
        (
            "The leads we get are poorly qualified.",
            "Half the leads passed to us never answer the phone.",
            "Leads come in late and with no context.",
            "We stopped working the leads: too few are real projects.",
        ),
    ),
    "pricing": (
        1,
        (
            "Pricing changes mid-quarter hurt our forecast.",
            "Every price change lands in the middle of our quarter.",
            "We learn about pricing changes from our customers first.",
            "Price list updates need more notice.",
        ),
    ),
    "training": (
        1,
        (
            "Training is good, but never in our time zone.",
            "The courses are useful; the schedule is hard for a small team.",
            "We need shorter training sessions our engineers can fit in.",
            "Good training content, too few sessions.",
        ),
    ),
    "deal registration": (
        2,
        (
            "Deal registration protects our margin; we register every deal now.",
            "Registering deals early has ended channel conflict for us.",
            "Deal registration is quick and the protection holds.",
            "Since deal registration got simpler we register everything.",
        ),
    ),
    "account manager": (
        2,
        (
            "Our account manager answers within a day.",
            "Our account manager knows our business and fights for our deals.",
            "The account manager is the best part of the programme.",
            "We have a real partner in our account manager.",
        ),
    ),
    "certification": (
        2,
        (
            "Certification paid for itself in two deals.",
            "Since our engineers certified, customers trust our designs.",
            "The certification track changed how our presales team works.",
        ),
    ),
}
DETAILS = (
    (
        "It cost us a {c} deal last quarter.",
        "Our {c} team has raised it more than once.",
        "It is why we lead with another vendor on {c}.",
        "Please fix this before the Q4 push.",
        "Our {c} customers notice it too.",
        "We raised it at the last business review.",
    ),
    (
        "Otherwise {c} sells well for us.",
        "{c} is still our easiest sale.",
        "We would sell more {c} if this improved.",
        "The rest works well enough.",
        "Fix this and we will grow the {c} practice.",
        "Not a reason to leave, but it hurts.",
    ),
    (
        "It helped us close more {c} deals this year.",
        "Our {c} pipeline has never been better.",
        "We now lead with {c} in every account review.",
        "Keep it this way.",
        "It is why {c} is our fastest-growing practice.",
        "Our sales team noticed the difference.",
    ),
)
WIN_STORY = {
    "text": "{partner} won a {c} deal ({s}) with {customer} after {how}.",
    "new_customer": "a new customer",
    "existing_customer": "an existing customer",
    "trial": "a joint trial",
    "early": "registering it early",
}


# ---------------------------------------------------------------- the words, by language


@dataclass(frozen=True)
class Words:
    """What people read in the sample, in one language: names, places, roles, what partners
    write. Every list is drawn from by position, so lists of the English lengths give the
    English sample's draws."""

    locale: str  # the locale the words are written for (en_US, fr_FR)
    currency: str  # the currency amounts are in
    rate: float  # currency units per US dollar (1.0: amounts as drawn)
    tiers: tuple  # highest first (Gold, Silver, Registered)
    regions: tuple  # the last one declines
    countries: tuple  # by region
    locales: Mapping  # country -> the partners' locale tag
    contact_locales: tuple  # the locales a few contacts read in
    segments: tuple  # ENT, MM, SMB
    categories: tuple  # product categories (SKUS by position)
    prefixes: tuple  # company names: prefix x suffix
    suffixes: tuple
    company_forms: tuple  # "{p} {s}", chosen by the pair
    qualifiers: tuple  # added when there are more partners than pairs
    first: tuple
    last: tuple  # a length prime to 7 keeps a partner's contacts distinct
    roles: tuple
    owner: str  # the role of a partner's first contact
    webinars: tuple
    trainings: tuple
    certifications: tuple
    events: tuple
    mdf_activities: tuple
    portal_posts: tuple  # {c} category, {i} industry, {n} a number
    industries: tuple
    programme_quotes: tuple
    programme_authors: tuple
    win_story: Mapping  # text, new_customer, existing_customer, trial, early
    themes: Mapping  # theme -> (score band, ways of saying it)
    details: tuple  # by score band: a detail of the partner's own ({c})
    objectives: Mapping  # metric -> description ({n} a count, {amount} money)
    actions: tuple

    def count(self, value: float) -> str:
        with i18n.using(self.locale):
            return numbers.count(value)

    def money(self, value: float) -> str:
        with i18n.using(self.locale):
            return numbers.money(value, self.currency)


VOCABULARIES = ("en_US", "fr_FR")  # `sample --locale`: en_US from this module, others from YAML


@cache
def vocabulary(locale: str = "en_US") -> Words:
    """The sample's words in `locale` (en_US or fr_FR); ParamsError naming the option otherwise."""
    try:
        name = i18n.check(locale)
    except i18n.LocaleError:
        name = str(locale)
    if name not in VOCABULARIES:
        raise ParamsError(f"sample --locale: expected one of {', '.join(VOCABULARIES)} (found {locale!r})")
    if name == "en_US":
        return _english()
    return _from_yaml(Path(__file__).with_name(f"sample_{name}.yaml"), name)


def _english() -> Words:
    return Words(
        locale="en_US",
        currency="USD",
        rate=1.0,
        tiers=TIERS,
        regions=REGIONS,
        countries=COUNTRIES,
        locales=LOCALES,
        contact_locales=("en-US", "en-GB"),
        segments=SEGMENTS,
        categories=CATEGORIES,
        prefixes=PREFIXES,
        suffixes=SUFFIXES,
        company_forms=("{p} {s}",),
        qualifiers=QUALIFIERS,
        first=FIRST,
        last=LAST,
        roles=ROLES,
        owner="Owner",
        webinars=WEBINARS,
        trainings=TRAININGS,
        certifications=CERTIFICATIONS,
        events=EVENTS,
        mdf_activities=MDF_ACTIVITIES,
        portal_posts=PORTAL_POSTS,
        industries=INDUSTRIES,
        programme_quotes=PROGRAMME_QUOTES,
        programme_authors=PROGRAMME_AUTHORS,
        win_story=WIN_STORY,
        themes=THEMES,
        details=DETAILS,
        objectives=OBJECTIVE_TEXTS,
        actions=ACTIONS,
    )


_LISTS = (
    "tiers",
    "regions",
    "contact_locales",
    "segments",
    "categories",
    "prefixes",
    "suffixes",
    "company_forms",
    "qualifiers",
    "first_names",
    "last_names",
    "roles",
    "webinars",
    "trainings",
    "certifications",
    "events",
    "mdf_activities",
    "portal_posts",
    "industries",
    "programme_quotes",
    "programme_authors",
    "actions",
)
_KEYS = (
    *_LISTS,
    "currency",
    "rate",
    "countries",
    "partner_locale",
    "owner",
    "win_story",
    "themes",
    "details",
    "objectives",
)


def _from_yaml(path: Path, locale: str) -> Words:
    """A language's words from its YAML file (sample_<locale>.yaml beside this module)."""
    raw = check_keys(load_yaml(path), _KEYS, path.name)
    missing = [key for key in _KEYS if key not in raw]
    if missing:
        raise ParamsError(f"{path.name}: expected the keys {', '.join(missing)}")
    put = _typeset if locale.startswith("fr") else str
    lists = {key: tuple(put(str(x)) for x in raw[key]) for key in _LISTS}
    countries = tuple(tuple(put(str(c)) for c in region) for region in raw["countries"])
    return Words(
        locale=locale,
        currency=str(raw["currency"]),
        rate=float(raw["rate"]),
        locales={c: str(raw["partner_locale"]) for region in countries for c in region},
        first=lists.pop("first_names"),
        last=lists.pop("last_names"),
        countries=countries,
        owner=put(str(raw["owner"])),
        win_story={k: put(str(v)) for k, v in raw["win_story"].items()},
        themes={put(t["theme"]): (int(t["band"]), tuple(put(x) for x in t["said"])) for t in raw["themes"]},
        details=tuple(tuple(put(x) for x in band) for band in raw["details"]),
        objectives={k: put(str(v)) for k, v in raw["objectives"].items()},
        **lists,
    )


def _typeset(text: str) -> str:
    """French typography: a no-break space before a colon, a narrow one before ; ? and !"""
    text = re.sub(r" :", "\u00a0:", text)
    return re.sub(r" ([;?!])", "\u202f\\1", text)


@dataclass
class _World:
    """What every table is drawn from: the calendar, the partners and their stage history."""

    rng: np.random.Generator
    n: int
    start: int  # first day of history (days since 1970-01-01)
    end: int  # last day of history
    month_lo: np.ndarray  # first day of each month (history months, then months ahead)
    month_hi: np.ndarray  # last day of each month
    quarter: np.ndarray  # quarter index 0..7 of each month (8+ ahead)
    season: np.ndarray  # seasonal factor of each month
    partners: pd.DataFrame  # the partners table (ids, tier, region, ...)
    tier: np.ndarray
    region: np.ndarray
    entry: np.ndarray  # (n, 6) day each stage was entered, NEVER if not
    stage: np.ndarray  # (n, months) stage at each month's middle, -1 before recruit
    effect: np.ndarray  # partner's own activity level (0 for partners with no activity)
    cert_day: np.ndarray  # day of first certification, NEVER if none
    stall: np.ndarray  # (n, months) fading activity before churn
    contacts: np.ndarray  # number of contacts per partner
    silent: np.ndarray  # partners with no activity at all
    hist: int  # number of history months (24, or 25 when `end` is mid-month)
    words: Words  # what people read, in the sample's language


def build(
    into: str | os.PathLike | None = None,
    *,
    partners: int = 80,
    seed: int = 7,
    end: str = "2026-09-30",
    locale: str = "en_US",
) -> Path:
    """Write the seeded sample programme to the store `into`, in `locale` (en_US, or fr_FR:
    French names and comments, amounts in euros). By default data/sample.duckdb, the store
    reports read when given no data; another language's sample goes beside it
    (data/sample_fr_FR.duckdb), so it never takes the English one's place."""
    language = vocabulary(locale).locale
    path = Path(into) if into else _default_store(language)
    tables = generate(partners=partners, seed=seed, end=end, locale=locale)
    meta = {"source": "sample", "partners": partners, "seed": seed, "end": str(end)}
    if language != "en_US":  # the English sample's store stays as it was
        meta["sample_locale"] = language
    return store.write(path, tables, meta)


def _default_store(language: str) -> Path:
    path = paths.sample_store()
    return path if language == "en_US" else path.with_name(f"{path.stem}_{language}{path.suffix}")


def generate(
    *, partners: int = 80, seed: int = 7, end: str = "2026-09-30", locale: str = "en_US"
) -> dict[str, pd.DataFrame]:
    """Every canonical table of the sample programme, as DataFrames (dates as Timestamps)."""
    w = _world(partners, seed, _end_day(end), vocabulary(locale))
    opps = _opportunities(w)
    regs, opps = _registrations(w, opps)
    leads = _leads(w, opps)
    mdf = _mdf(w)
    opps = _link_mdf(w, opps, mdf)
    plans = _plans(w)
    contacts = _contacts(w)
    tables = {
        "partners": w.partners,
        "stage_changes": _stage_changes(w),
        "opportunities": opps,
        "deal_registrations": regs,
        "leads": leads,
        "trials": _trials(w),
        "engagements": _engagements(w),
        "portal_activity": _portal(w),
        "business_plans": plans,
        "mdf": mdf,
        "stories": _stories(w, opps),
        "surveys": _surveys(w),
        "contacts": contacts,
        "mdf_allocations": _mdf_allocations(w, mdf),
        "plan_objectives": _objectives(w, plans),
        "actions": _actions(w, contacts),
    }
    return {name: _dates_out(_priced(name, frame, w.words.rate)) for name, frame in tables.items()}


# ---------------------------------------------------------------- the world


def _end_day(end: str) -> int:
    try:
        day = pd.Timestamp(str(end))
    except (ValueError, TypeError):
        raise ParamsError(f"sample --end: expected a date YYYY-MM-DD (found {end!r})") from None
    return _day(day.normalize())


def _day(ts) -> int:
    return int(pd.Timestamp(ts).value // 86_400_000_000_000)


def _world(n: int, seed: int, end: int, words: Words) -> _World:
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 12:
        raise ParamsError(
            f"sample --partners: expected a whole number of at least 12, so every stage, "
            f"tier and region appears (found {n!r})"
        )
    rng = np.random.default_rng(seed)
    start = _day(pd.Timestamp(0, unit="D") + pd.Timedelta(days=end) - pd.DateOffset(months=MONTHS)) + 1
    month_lo, month_hi, hist = _calendar(start, end)
    mid = (month_lo + month_hi) // 2
    quarters = pd.to_datetime(month_lo, unit="D").quarter.to_numpy()
    final, via = _final_stages(rng, n)
    tier = (rng.random(n)[:, None] > np.cumsum(np.array(TIER_BY_STAGE)[via], axis=1)).sum(axis=1).clip(0, 2)
    region = np.where(
        final == CHURNED,
        rng.choice(3, size=n, p=CHURN_REGION_WEIGHTS),
        rng.choice(3, size=n, p=REGION_WEIGHTS),
    )
    entry = _entries(rng, final, via, start, end)
    silent = _silent(rng, final)
    w = _World(
        rng=rng,
        n=n,
        start=start,
        end=end,
        month_lo=month_lo,
        month_hi=month_hi,
        quarter=np.arange(len(month_lo)) // 3,
        season=np.array([SEASON[q] for q in quarters]),
        partners=pd.DataFrame(),
        tier=tier,
        region=region,
        entry=entry,
        stage=_stage_on(entry, np.repeat(np.arange(n), len(mid)), np.tile(mid, n)).reshape(n, -1),
        effect=np.where(silent, 0.0, rng.gamma(6.0, 1 / 6.0, size=n)),
        cert_day=np.full(n, NEVER),
        stall=_stall(entry, mid),
        contacts=2 + rng.poisson(np.array([4.0, 2.0, 1.0])[tier]),
        silent=silent,
        hist=hist,
        words=words,
    )
    w.cert_day = _cert_days(w)
    w.partners = _partners(w, final)
    return w


def _calendar(start: int, end: int) -> tuple[np.ndarray, np.ndarray, int]:
    """First and last day of each month from `start` (history months, then months ahead)."""
    first, last = (pd.Timestamp(d, unit="D").to_period("M") for d in (start, end))
    hist = (last - first).n + 1
    starts = _days(pd.date_range(first.to_timestamp(), periods=hist + AHEAD + 1, freq="MS"))
    return np.maximum(starts[:-1], start), starts[1:] - 1, hist


def _days(dates) -> np.ndarray:
    """Timestamps as whole days since 1970-01-01."""
    return np.asarray(dates, dtype="datetime64[ns]").astype("datetime64[D]").astype(np.int64)


def _final_stages(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Each partner's current stage, and (for churned ones) the stage they churned from."""
    shares = np.array([0.1, 0.1, 0.17, 0.28, 0.2, 0.15])
    counts = np.maximum(1, np.floor(shares * n).astype(int))
    counts[SELL] += n - counts.sum()
    final = rng.permutation(np.repeat(np.arange(6), counts))
    via = np.where(final == CHURNED, rng.choice([ENABLE, SELL, GROW], size=n, p=[0.3, 0.5, 0.2]), final)
    return final, via


def _entries(
    rng: np.random.Generator, final: np.ndarray, via: np.ndarray, start: int, end: int
) -> np.ndarray:
    """Day each partner entered each stage, worked backward from the present (or from churn)."""
    n = len(final)
    entry = np.full((n, 6), NEVER, dtype=np.int64)
    churned = final == CHURNED
    churn_day = rng.integers(start + 100, end - 10, size=n, endpoint=True)
    entry[churned, CHURNED] = churn_day[churned]
    in_stage = np.select(
        [via == RECRUIT, via == ONBOARD, via == ENABLE, via == SELL, via == GROW],
        [
            rng.integers(5, 180, n),
            rng.integers(5, 85, n),
            rng.integers(20, 400, n),
            rng.integers(180, 1500, n),
            rng.integers(90, 1100, n),
        ],
    )
    in_stage = np.where(churned, rng.integers(90, 600, n), in_stage)
    last = np.where(churned, churn_day, end) - in_stage
    entry[np.arange(n), via] = last
    durations = np.stack(
        [
            rng.integers(30, 150, n),
            rng.integers(40, 90, n),
            rng.integers(60, 240, n),
            rng.integers(150, 600, n),
        ],
        axis=1,
    )
    for stage in range(GROW - 1, -1, -1):
        later = via > stage
        entry[later, stage] = entry[later, stage + 1] - durations[later, stage]
    return entry


def _silent(rng: np.random.Generator, final: np.ndarray) -> np.ndarray:
    """A few recruits that have done nothing at all yet."""
    recruits = np.flatnonzero(final == RECRUIT)
    k = min(len(recruits), max(2, round(0.03 * len(final))))
    silent = np.zeros(len(final), dtype=bool)
    silent[rng.choice(recruits, size=k, replace=False)] = True
    return silent


def _stage_on(entry: np.ndarray, who: np.ndarray, day: np.ndarray) -> np.ndarray:
    """Stage index of partner `who` on `day` (-1 before recruiting started)."""
    if len(who) == 0:
        return np.zeros(0, dtype=int)
    entered = entry[who] <= day[:, None]
    return np.where(entered, np.arange(6), -1).max(axis=1)


def _stall(entry: np.ndarray, mid: np.ndarray) -> np.ndarray:
    """Activity fades over the five months before a partner churns."""
    to_churn = entry[:, [CHURNED]] - mid[None, :]
    return np.where(entry[:, [CHURNED]] == NEVER, 1.0, np.clip(to_churn / 150.0, 0.12, 1.0))


def _cert_days(w: _World) -> np.ndarray:
    """Partners who invest in training certify once; they win more afterwards."""
    reached = w.entry[:, ENABLE] < NEVER
    invest = reached & ~w.silent & (w.rng.random(w.n) < np.array([0.8, 0.5, 0.2])[w.tier])
    day = np.maximum(
        w.entry[:, ENABLE] + w.rng.integers(20, 150, w.n), w.start + w.rng.integers(10, 640, w.n)
    )
    day = np.where(invest, day, NEVER)
    too_late = day > np.minimum(w.end, w.entry[:, CHURNED] - 30)
    return np.where(too_late, NEVER, day)


def _partners(w: _World, final: np.ndarray) -> pd.DataFrame:
    rng, n, words = w.rng, w.n, w.words
    width = max(3, len(str(n)))
    countries = words.countries
    country = [countries[r][i % len(countries[r])] for r, i in zip(w.region, rng.integers(0, 35, n))]
    share = np.clip(np.array([0.5, 0.32, 0.18])[w.tier] + rng.normal(0, 0.08, n), 0.1, 0.7).round(2)
    joined = w.entry[:, ONBOARD]
    managers = _managers(rng, w.region, words)
    return pd.DataFrame(
        {
            "partner_id": [f"P{i + 1:0{width}d}" for i in range(n)],
            "name": _company_names(rng, n, words),
            "tier": np.array(words.tiers)[w.tier],
            "region": np.array(words.regions)[w.region],
            "country": country,
            "lifecycle_stage": np.array(STAGES)[final],
            "joined_on": np.where(joined < NEVER, joined, -1),
            "churned_on": np.where(w.entry[:, CHURNED] < NEVER, w.entry[:, CHURNED], -1),
            "capacity_share": share,
            "account_manager": managers,
            "account_manager_email": [_email(m, OUR_DOMAIN) for m in managers],
            "locale": [words.locales[c] for c in country],
        }
    )


def _company_names(rng: np.random.Generator, n: int, words: Words) -> list[str]:
    forms, qualifiers = words.company_forms, words.qualifiers
    combos = [
        forms[(i + j) % len(forms)].format(p=p, s=s)
        for i, p in enumerate(words.prefixes)
        for j, s in enumerate(words.suffixes)
    ]
    order = rng.permutation(len(combos))
    names = [combos[order[i % len(combos)]] for i in range(n)]
    for i in range(len(combos), n):
        round_ = i // len(combos) - 1
        extra = qualifiers[round_ % len(qualifiers)]
        names[i] += f" {extra}" + (f" {round_ // len(qualifiers) + 2}" if round_ >= len(qualifiers) else "")
    return names


def _managers(rng: np.random.Generator, region: np.ndarray, words: Words) -> np.ndarray:
    """Two to eight account managers per region, each with a book of partners."""
    people = np.array(
        [f"{f} {l}" for f, l in zip(rng.permutation(words.first), rng.permutation(words.last))][:24]
    )
    out = np.empty(len(region), dtype=object)
    for r in range(3):
        mine = np.flatnonzero(region == r)
        k = int(np.clip(np.ceil(len(mine) / 12), 2, 8))
        out[mine] = people[r * 8 + rng.integers(0, k, len(mine))]
    return out


def _ascii(text: str) -> str:
    """Accents dropped, for addresses: 'Hélène Lefèvre' -> 'Helene Lefevre'."""
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", _ascii(text).lower()).strip("-")


def _email(person: str, domain: str) -> str:
    """first.last@domain, letters and digits only in the local part (O'Brien -> obrien,
    Élodie -> elodie)."""
    return ".".join(re.sub(r"[^a-z0-9]", "", part) for part in _ascii(person).lower().split()) + "@" + domain


def _stage_changes(w: _World) -> pd.DataFrame:
    who, stage = np.nonzero(w.entry < NEVER)
    return pd.DataFrame(
        {
            "partner_id": w.partners["partner_id"].to_numpy()[who],
            "changed_on": w.entry[who, stage],
            "stage": np.array(STAGES)[stage],
        }
    ).sort_values(["partner_id", "changed_on"], kind="stable", ignore_index=True)


# ---------------------------------------------------------------- drawing events


def _rate(w: _World, table: str, base: float, *, trend: bool = False) -> np.ndarray:
    """Expected events per partner and month: base x stage x partner x season x stall (x trend)."""
    factors = np.append(STAGE_FACTORS[table], 0.0)  # index -1 (before recruiting) -> 0
    rate = base * factors[w.stage] * w.effect[:, None] * w.season[None, :] * w.stall
    if trend:
        rate = rate * _trend(w)
    return rate


def _trend(w: _World) -> np.ndarray:
    """The growing tier rises and the declining region falls, quarter on quarter."""
    q = w.quarter[None, :].astype(float)
    grow = np.where(w.tier[:, None] == GROWING_TIER, 1.08**q, 1.0)
    fall = np.where(w.region[:, None] == DECLINING_REGION, 0.78**q, 1.0)
    return grow * fall


def _events(w: _World, rate: np.ndarray, table: str, *, ahead: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """Draw Poisson counts per partner-month, spread them over days, keep those in an active stage."""
    months = rate.shape[1] if ahead else w.hist
    counts = w.rng.poisson(rate[:, :months])
    who = np.repeat(np.arange(w.n), counts.sum(axis=1))
    month = np.repeat(np.tile(np.arange(months), w.n), counts.ravel())
    lo, hi = w.month_lo[month], w.month_hi[month]
    if not ahead:
        hi = np.minimum(hi, w.end)
    day = lo + np.floor(w.rng.random(len(month)) * (hi - lo + 1)).astype(np.int64)
    active = np.append(STAGE_FACTORS[table], 0.0)[_stage_on(w.entry, who, day)] > 0
    return who[active], day[active]


def _pick(rng: np.random.Generator, options, size: int, p=None) -> np.ndarray:
    return np.array(options, dtype=object)[rng.choice(len(options), size=size, p=p)]


def _ids(prefix: str, n: int, width: int = 5) -> np.ndarray:
    width = max(width, len(str(n)))
    return np.array([f"{prefix}{i + 1:0{width}d}" for i in range(n)], dtype=object)


def _pid(w: _World, who: np.ndarray) -> np.ndarray:
    return w.partners["partner_id"].to_numpy()[who]


def _person(rng: np.random.Generator, size: int, words: Words) -> np.ndarray:
    first, last = _pick(rng, words.first, size), _pick(rng, words.last, size)
    return np.char.add(np.char.add(first.astype(str), " "), last.astype(str)).astype(object)


# ---------------------------------------------------------------- opportunities and what feeds them


def _opportunities(w: _World) -> pd.DataFrame:
    partner = _partner_opportunities(w)
    direct = _direct_opportunities(w)
    opps = pd.concat([partner, direct], ignore_index=True)
    opps = _close(w, opps)
    opps = _large_deals(w, opps)
    opps = _results_fall(w, opps)
    opps = _accounts(w, opps)
    opps = opps.sort_values(["created", "who"], kind="stable", ignore_index=True)
    return opps.assign(opportunity_id=_ids("O", len(opps)))


def _partner_opportunities(w: _World) -> pd.DataFrame:
    tier_rate = np.array([3.0, 1.2, 0.5])[w.tier][:, None]
    cert_boost = np.where(w.month_lo[None, :] >= w.cert_day[:, None], 1.2, 1.0)
    rate = _rate(w, "opportunities", 1.1, trend=True) * tier_rate * cert_boost
    who, close = _events(w, rate, "opportunities", ahead=True)
    seg = _segments(w.rng, w.tier[who])
    return pd.DataFrame({"who": who, "close": close, "seg": seg})


def _direct_opportunities(w: _World) -> pd.DataFrame:
    counts = w.rng.poisson(0.15 * w.n * w.season)
    month = np.repeat(np.arange(len(counts)), counts)
    lo, hi = w.month_lo[month], w.month_hi[month]
    close = lo + np.floor(w.rng.random(len(month)) * (hi - lo + 1)).astype(np.int64)
    seg = w.rng.choice(3, size=len(month), p=[0.25, 0.4, 0.35])
    return pd.DataFrame({"who": -1, "close": close, "seg": seg})


def _segments(rng: np.random.Generator, tier: np.ndarray) -> np.ndarray:
    cum = np.cumsum(np.array(SEGMENT_BY_TIER)[tier], axis=1)
    return (rng.random(len(tier))[:, None] > cum).sum(axis=1).clip(0, 2)


def _close(w: _World, opps: pd.DataFrame) -> pd.DataFrame:
    """Created before closing (by segment), won or lost by the end, or still open."""
    rng, n = w.rng, len(opps)
    who, seg = opps["who"].to_numpy(), opps["seg"].to_numpy()
    close = _snap_to_quarter_end(w, opps["close"].to_numpy(), rng.random(n) < 0.12)
    cycle = np.array([[60, 200], [40, 120], [15, 60]])[seg]
    created = close - rng.integers(cycle[:, 0], cycle[:, 1])
    partnered = who >= 0
    enabled = np.where(partnered, w.entry[np.maximum(who, 0), ENABLE], w.start)
    floor = np.maximum(enabled, w.start)  # spread, not piled on the first possible day
    created = np.where(
        created < floor, floor + (rng.random(n) * (close - floor + 1)).astype(np.int64), created
    )
    churn = np.where(partnered, w.entry[np.maximum(who, 0), CHURNED], NEVER)
    certified = partnered & (created >= w.cert_day[np.maximum(who, 0)])
    won = rng.random(n) < _win_chance(w, who, seg, certified, close)
    lost_on_churn = close > churn
    close = np.minimum(close, churn)
    open_ = close > w.end
    shrink = np.where(
        (who >= 0) & (w.region[np.maximum(who, 0)] == DECLINING_REGION),
        0.93 ** np.clip((close - w.start) // 91, 0, 7),
        1.0,
    )
    amount = (_amounts(rng, seg) * np.where(certified, 1.15, 1.0) * shrink / 100).round() * 100
    return opps.assign(
        created=created,
        close=np.where(open_, -1, close),
        certified=certified,
        status=np.where(open_, "open", np.where(won & ~lost_on_churn, "won", "lost")),
        amount=amount,
    ).loc[(created <= w.end) & (created <= churn)]  # nothing is created after leaving


def _snap_to_quarter_end(w: _World, close: np.ndarray, snap: np.ndarray) -> np.ndarray:
    """Some deals close on the last day of their quarter (the end-of-quarter push)."""
    qend = _days(pd.DatetimeIndex(pd.to_datetime(close, unit="D")).to_period("Q").end_time.normalize())
    return np.where(snap & (qend <= w.end), qend, close)


def _win_chance(
    w: _World, who: np.ndarray, seg: np.ndarray, certified: np.ndarray, close: np.ndarray
) -> np.ndarray:
    base = np.array([0.28, 0.35, 0.42])[seg] + 0.17 * certified
    idx = np.maximum(who, 0)
    growing = (who >= 0) & (_stage_on(w.entry, idx, close) == GROW)
    quarter = np.clip((close - w.start) // 91, 0, 7)
    falling = (who >= 0) & (w.region[idx] == DECLINING_REGION)
    return base + 0.05 * growing - 0.03 * quarter * falling


def _amounts(rng: np.random.Generator, seg: np.ndarray) -> np.ndarray:
    median = np.array([120_000, 40_000, 10_000])[seg]
    return (median * rng.lognormal(0, 0.5, len(seg)) / 100).round() * 100


def _large_deals(w: _World, opps: pd.DataFrame) -> pd.DataFrame:
    """A few very large enterprise deals (none in the declining region: its deals shrink)."""
    who = opps["who"].to_numpy()
    won = np.flatnonzero(
        (opps["status"] == "won").to_numpy() & (who >= 0) & (w.region[np.maximum(who, 0)] != DECLINING_REGION)
    )
    k = min(len(won), max(3, round(0.005 * len(won))))
    big = w.rng.choice(won, size=k, replace=False)
    amount, seg = opps["amount"].to_numpy().copy(), opps["seg"].to_numpy().copy()
    amount[big] = (w.rng.uniform(400_000, 1_200_000, k) / 1000).round() * 1000
    seg[big] = 0
    return opps.assign(amount=amount, seg=seg)


def _quarter_starts(w: _World) -> tuple[int, int, int]:
    """First days of the last quarter of the history and of the two quarters before it."""
    last = pd.Timestamp(w.end, unit="D").to_period("Q")
    return tuple(_day((last - k).start_time) for k in (2, 1, 0))


def _results_fall(w: _World, opps: pd.DataFrame) -> pd.DataFrame:
    """Some active partners whose results fall while their activity goes on as before:
    Gold partners that lose deals in the last quarter, their revenue down 40-70% on the prior
    quarter, and sell or grow partners with no deal won and nothing open for the last two quarters."""
    before, prior, last = _quarter_starts(w)
    who, close = opps["who"].to_numpy(), opps["close"].to_numpy()
    won = (opps["status"] == "won").to_numpy() & (who >= 0)
    amount = opps["amount"].to_numpy()
    revenue = [
        np.bincount(
            who[won & (close >= lo) & (close < hi)], amount[won & (close >= lo) & (close < hi)], minlength=w.n
        )
        for lo, hi in ((w.start, prior), (prior, last), (last, w.end + 1))
    ]
    large = np.bincount(who[won & (amount >= 400_000) & (close >= prior)], minlength=w.n) > 0
    selling = (
        np.isin(w.partners["lifecycle_stage"].to_numpy(), ("sell", "grow"))
        & (w.entry[:, SELL] < before)
        & ~large
    )
    k = max(1, w.n // 60)
    gold = np.flatnonzero(selling & (w.tier == 0) & (revenue[1] > 0) & (revenue[2] >= 0.6 * revenue[1]))
    falls = w.rng.choice(gold, size=min(k, len(gold)), replace=False)
    dry = np.flatnonzero(selling & ~np.isin(np.arange(w.n), falls) & (revenue[0] > 0))
    dry = w.rng.choice(dry, size=min(k, len(dry)), replace=False)
    status, amount = opps["status"].to_numpy().copy(), amount.copy()
    for p in falls:
        _lose_deals(
            w.rng,
            np.flatnonzero(won & (close >= last) & (who == p)),
            status,
            amount,
            revenue[1][p] * np.array([0.3, 0.45, 0.6]),
        )
    gone = np.isin(who, dry) & ((close >= prior) | (close < 0) | (close > w.end))
    return opps.assign(status=status, amount=amount)[~gone]


def _lose_deals(
    rng: np.random.Generator, deals: np.ndarray, status: np.ndarray, amount: np.ndarray, goal: np.ndarray
) -> None:
    """Turn won `deals` into lost ones until their revenue lies between goal[0] and goal[2]
    (a deal whose loss would undershoot stays won); if that cannot be done, the deals left
    shrink to goal[1] in all."""
    left = amount[deals].sum()
    for d in rng.permutation(deals):
        if left <= goal[2]:
            break
        if left - amount[d] >= goal[0]:
            status[d], left = "lost", left - amount[d]
    if left > goal[2]:
        kept = deals[status[deals] == "won"]
        amount[kept] = np.maximum(100, (amount[kept] * goal[1] / left / 100).round() * 100)


def _accounts(w: _World, opps: pd.DataFrame) -> pd.DataFrame:
    """End customers: each partner works its own patch; the first deal with a new customer is a new logo."""
    rng, n = w.rng, len(opps)
    pool = max(200, 12 * w.n)
    who = opps["who"].to_numpy()
    patch = 16 + np.clip(opps["created"].to_numpy() - w.start, 0, None) // 30  # new customers keep coming
    account = (
        np.where(who >= 0, who * 7 + (rng.random(n) * patch).astype(np.int64), rng.integers(0, pool, n))
        % pool
    )
    existing = rng.random(pool) < 0.5
    category = rng.choice(4, size=n, p=[0.4, 0.25, 0.2, 0.15])
    sku = [SKUS[c][i % len(SKUS[c])] for c, i in zip(category, rng.integers(0, 6, n))]
    out = opps.assign(account=account, product_category=np.array(w.words.categories)[category], sku=sku)
    # a new logo is the first deal *won* with a customer that was not ours before (the rule the
    # workbook derives when is_new_logo is absent), so a lost first deal does not use it up
    won = out[(out["status"] == "won").to_numpy()] if "status" in out else out.iloc[:0]
    first = won.sort_values(["close", "created"], kind="stable").groupby("account").cumcount() == 0
    flag = pd.Series(False, index=out.index)
    flag[first.index[first.to_numpy()]] = True
    return out.assign(
        is_new_logo=flag.to_numpy() & ~existing[account], account_id=[f"A{a + 1:05d}" for a in account]
    )


def _registrations(w: _World, opps: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Registrations converted into partner opportunities, and others approved, rejected or expired."""
    rng = w.rng
    partnered = opps[opps["who"] >= 0]
    chance = np.array([0.6, 0.45, 0.3])[w.tier[partnered["who"].to_numpy()]]
    conv = partnered[rng.random(len(partnered)) < chance]
    converted = pd.DataFrame(
        {
            "who": conv["who"].to_numpy(),
            "submitted_on": np.maximum(conv["created"].to_numpy() - rng.integers(0, 15, len(conv)), w.start),
            "status": "converted",
            "amount": (conv["amount"].to_numpy() * rng.uniform(0.85, 1.15, len(conv)) / 100).round() * 100,
            "opportunity_id": conv["opportunity_id"].to_numpy(),
        }
    )
    who, day = _events(w, _rate(w, "deal_registrations", 0.35, trend=True), "deal_registrations")
    age, n = w.end - day, len(day)
    status = np.select(
        [age < 30, age < REGISTRATION_DAYS],
        [
            _pick(rng, ("submitted", "approved", "rejected"), n, [0.6, 0.3, 0.1]),
            _pick(rng, ("approved", "rejected"), n, [0.8, 0.2]),
        ],
        _pick(rng, ("expired", "rejected"), n, [0.7, 0.3]),
    )
    other = pd.DataFrame(
        {
            "who": who,
            "submitted_on": day,
            "status": status,
            "amount": _amounts(rng, _segments(rng, w.tier[who])),
            "opportunity_id": None,
        }
    )
    regs = pd.concat([converted, other], ignore_index=True).sort_values(
        ["submitted_on", "who"], kind="stable", ignore_index=True
    )
    regs = regs.assign(
        registration_id=_ids("R", len(regs)),
        partner_id=_pid(w, regs["who"].to_numpy()),
        expires_on=regs["submitted_on"] + REGISTRATION_DAYS,
    )
    link = regs.dropna(subset=["opportunity_id"]).set_index("opportunity_id")["registration_id"]
    opps = opps.assign(registration_id=opps["opportunity_id"].map(link))
    return regs[
        ["registration_id", "partner_id", "submitted_on", "status", "amount", "opportunity_id", "expires_on"]
    ], opps


def _leads(w: _World, opps: pd.DataFrame) -> pd.DataFrame:
    """Leads we pass on: some become opportunities, others are accepted, rejected or still new."""
    rng = w.rng
    partnered = opps[(opps["who"] >= 0) & opps["registration_id"].isna()]
    conv = partnered[rng.random(len(partnered)) < 0.3]
    dist = np.maximum(conv["created"].to_numpy() - rng.integers(3, 30, len(conv)), w.start)
    converted = pd.DataFrame(
        {
            "who": conv["who"].to_numpy(),
            "distributed_on": dist,
            "status": "converted",
            "accepted_on": np.minimum(dist + rng.integers(0, 5, len(conv)), conv["created"].to_numpy()),
            "converted_opportunity_id": conv["opportunity_id"].to_numpy(),
        }
    )
    who, day = _events(w, _rate(w, "leads", 0.6), "leads")
    status = _pick(rng, ("accepted", "rejected", "new"), len(day), [0.5, 0.4, 0.1])
    accepted = day + rng.integers(0, 8, len(day))
    status = np.where((day > w.end - 14) | ((status == "accepted") & (accepted > w.end)), "new", status)
    other = pd.DataFrame(
        {
            "who": who,
            "distributed_on": day,
            "status": status,
            "accepted_on": np.where(status == "accepted", accepted, -1),
            "converted_opportunity_id": None,
        }
    )
    leads = pd.concat([converted, other], ignore_index=True).sort_values(
        ["distributed_on", "who"], kind="stable", ignore_index=True
    )
    return leads.assign(lead_id=_ids("L", len(leads)), partner_id=_pid(w, leads["who"].to_numpy()))[
        ["lead_id", "partner_id", "distributed_on", "status", "accepted_on", "converted_opportunity_id"]
    ]


def _mdf(w: _World) -> pd.DataFrame:
    """Market development funds: requested, then approved, claimed and paid (or rejected)."""
    rng = w.rng
    tier_rate = np.array([1.5, 1.0, 0.4])[w.tier][:, None]
    who, day = _events(w, _rate(w, "mdf", 0.25) * tier_rate, "mdf")
    n, age = len(day), w.end - day
    requested = (rng.uniform(5_000, 50_000, n) / 500).round() * 500
    status = np.select(
        [age < 30, age < 90],
        [
            _pick(rng, ("submitted", "approved"), n, [0.7, 0.3]),
            _pick(rng, ("approved", "claimed", "rejected"), n, [0.4, 0.5, 0.1]),
        ],
        _pick(rng, ("paid", "claimed", "rejected"), n, [0.8, 0.1, 0.1]),
    )
    approved = np.where(
        np.isin(status, ("submitted", "rejected")),
        0.0,
        (requested * rng.uniform(0.6, 1.0, n) / 100).round() * 100,
    )
    claimed = np.where(
        np.isin(status, ("claimed", "paid")), (approved * rng.uniform(0.7, 1.0, n) / 100).round() * 100, 0.0
    )
    frame = pd.DataFrame(
        {
            "who": who,
            "requested_on": day,
            "activity": _pick(rng, w.words.mdf_activities, n),
            "amount_requested": requested,
            "amount_approved": approved,
            "amount_claimed": claimed,
            "amount_paid": np.where(status == "paid", claimed, 0.0),
            "status": status,
            "claim_deadline": np.where(approved > 0, day + CLAIM_DAYS, -1),
        }
    ).sort_values(["requested_on", "who"], kind="stable", ignore_index=True)
    return frame.assign(request_id=_ids("M", len(frame), 4), partner_id=_pid(w, frame["who"].to_numpy()))[
        [
            "request_id",
            "partner_id",
            "requested_on",
            "activity",
            "amount_requested",
            "amount_approved",
            "amount_claimed",
            "amount_paid",
            "status",
            "claim_deadline",
            "who",
        ]
    ]


def _link_mdf(w: _World, opps: pd.DataFrame, mdf: pd.DataFrame) -> pd.DataFrame:
    """Some opportunities were sourced by the partner's latest funded activity (within 180 days)."""
    funded = mdf[mdf["status"].isin(["approved", "claimed", "paid"])][
        ["who", "requested_on", "request_id"]
    ].sort_values("requested_on", kind="stable")
    mine = opps[opps["who"] >= 0].reset_index().sort_values("created", kind="stable")
    linked = pd.merge_asof(
        mine,
        funded,
        left_on="created",
        right_on="requested_on",
        by="who",
        direction="backward",
        tolerance=180,
    )
    linked = linked[linked["request_id"].notna() & (w.rng.random(len(linked)) < 0.35)]
    mdf_id = pd.Series(linked["request_id"].to_numpy(), index=linked["index"].to_numpy())
    opps = opps.assign(mdf_request_id=mdf_id.reindex(opps.index))
    return _opportunity_columns(w, opps)


def _opportunity_columns(w: _World, opps: pd.DataFrame) -> pd.DataFrame:
    who = opps["who"].to_numpy()
    ids = np.where(who >= 0, _pid(w, np.maximum(who, 0)), None)
    return pd.DataFrame(
        {
            "opportunity_id": opps["opportunity_id"].to_numpy(),
            "partner_id": ids,
            "account_id": opps["account_id"].to_numpy(),
            "created_on": opps["created"].to_numpy(),
            "closed_on": opps["close"].to_numpy(),
            "status": opps["status"].to_numpy(),
            "amount": opps["amount"].to_numpy(),
            "segment": np.array(w.words.segments)[opps["seg"].to_numpy()],
            "product_category": opps["product_category"].to_numpy(),
            "sku": opps["sku"].to_numpy(),
            "is_new_logo": opps["is_new_logo"].to_numpy(),
            "registration_id": opps["registration_id"].to_numpy(),
            "mdf_request_id": opps["mdf_request_id"].to_numpy(),
        }
    )


# ---------------------------------------------------------------- activity


def _trials(w: _World) -> pd.DataFrame:
    rng = w.rng
    who, day = _events(w, _rate(w, "trials", 0.3, trend=True), "trials")
    n = len(day)
    ended = day + rng.integers(14, 61, n)
    left = ended > w.entry[who, CHURNED]
    ended = np.where(left, w.entry[who, CHURNED], ended)
    certified = day >= w.cert_day[who]
    won = rng.random(n) < 0.35 + 0.2 * certified
    outcome = np.where(left, "abandoned", np.where(won, "won", _pick(rng, ("lost", "abandoned"), n)))
    outcome = np.where(ended > w.end, "open", outcome)
    frame = pd.DataFrame(
        {
            "who": who,
            "account_id": [f"A{a:05d}" for a in rng.integers(1, max(200, 12 * w.n), n)],
            "started_on": day,
            "ended_on": np.where(ended > w.end, -1, ended),
            "outcome": outcome,
        }
    ).sort_values(["started_on", "who"], kind="stable", ignore_index=True)
    return frame.assign(trial_id=_ids("T", len(frame), 4), partner_id=_pid(w, frame["who"].to_numpy()))[
        ["trial_id", "partner_id", "account_id", "started_on", "ended_on", "outcome"]
    ]


def _engagements(w: _World) -> pd.DataFrame:
    """Webinars, trainings (mostly by partners who invest), certifications, in-person events."""
    invests, words = np.where(w.cert_day < NEVER, 1.0, 0.12)[:, None], w.words
    parts = [
        ("webinar", words.webinars, *_events(w, _rate(w, "webinar", 0.7), "webinar")),
        ("training", words.trainings, *_events(w, _rate(w, "training", 1.0) * invests, "training")),
        ("in_person_event", words.events, *_events(w, _rate(w, "in_person_event", 0.08), "in_person_event")),
        ("certification", words.certifications, *_certifications(w)),
    ]
    frames = [
        pd.DataFrame({"who": who, "occurred_on": day, "kind": kind, "name": _pick(w.rng, names, len(day))})
        for kind, names, who, day in parts
    ]
    frame = pd.concat(frames, ignore_index=True).sort_values(
        ["occurred_on", "who", "kind"], kind="stable", ignore_index=True
    )
    who = frame["who"].to_numpy()
    contact = w.rng.integers(0, w.contacts[who]) + 1
    return frame.assign(
        engagement_id=_ids("E", len(frame), 6),
        partner_id=_pid(w, who),
        contact_id=_contact_ids(w, who, contact),
    )[["engagement_id", "partner_id", "contact_id", "kind", "name", "occurred_on"]]


def _certifications(w: _World) -> tuple[np.ndarray, np.ndarray]:
    """One to three certifications per investing partner: the first on its cert_day."""
    who = np.flatnonzero(w.cert_day < NEVER)
    extra = w.rng.integers(0, 3, len(who))
    who = np.repeat(who, extra + 1)
    rank = np.concatenate([np.arange(k + 1) for k in extra]) if len(extra) else np.zeros(0, dtype=int)
    day = w.cert_day[who] + np.where(rank > 0, w.rng.integers(20, 200, len(who)), 0)
    keep = (day <= w.end) & (day < w.entry[who, CHURNED])
    return who[keep], day[keep]


def _contact_ids(w: _World, who: np.ndarray, contact: np.ndarray) -> list[str]:
    pid = _pid(w, who)
    return [f"{p}-C{c:02d}" for p, c in zip(pid, contact)]


def _portal(w: _World) -> pd.DataFrame:
    """Portal logins: one row per user per day, fading as a partner stalls."""
    rng = w.rng
    rate = _rate(w, "portal_activity", 2.5) * w.contacts[:, None]
    who, day = _events(w, rate, "portal_activity")
    contact = rng.integers(0, w.contacts[who]) + 1
    logins = 1 + rng.poisson(0.5, len(day))
    frame = (
        pd.DataFrame(
            {
                "who": who,
                "contact": contact,
                "day": day,
                "logins": logins,
                "page_views": logins * (2 + rng.poisson(5, len(day))),
            }
        )
        .drop_duplicates(["who", "contact", "day"])
        .sort_values(["day", "who", "contact"], kind="stable", ignore_index=True)
    )
    who = frame["who"].to_numpy()
    return frame.assign(
        partner_id=_pid(w, who), contact_id=_contact_ids(w, who, frame["contact"].to_numpy())
    )[["partner_id", "contact_id", "day", "logins", "page_views"]]


def _plans(w: _World) -> pd.DataFrame:
    """Joint business plans, renewed yearly on the anniversary of joining; the latest is active (or draft),
    older ones completed or lapsed."""
    rng = w.rng
    onboard, churn = w.entry[:, ONBOARD], w.entry[:, CHURNED]
    signed = np.where(onboard < NEVER, onboard, NEVER) + rng.integers(
        10, 60, w.n
    )  # a plan a year from joining
    first = np.where(signed < w.start, signed + 365 * -(-(w.start - signed) // 365), signed)
    who = np.repeat(np.arange(w.n), 2)
    day = first[who] + np.tile([0, 365], w.n)
    keeps = rng.random(w.n) < np.array([0.95, 0.7, 0.4])[w.tier]
    keep = (day <= w.end) & (day < churn[who]) & keeps[who] & ~w.silent[who] & (onboard[who] < NEVER)
    who, day = who[keep], day[keep]
    latest = np.append(who[1:] != who[:-1], True)
    churned = churn[who] < NEVER
    status = np.select(
        [churned, latest & (w.end - day < 45), latest],
        ["lapsed", _pick(rng, ("draft", "active"), len(day)), "active"],
        _pick(rng, ("completed", "lapsed"), len(day), [0.7, 0.3]),
    )
    target = (
        np.array([1_200_000, 400_000, 120_000])[w.tier[who]] * rng.lognormal(0, 0.3, len(day)) / 1000
    ).round() * 1000
    frame = pd.DataFrame(
        {"who": who, "created_on": day, "status": status, "revenue_target": target}
    ).sort_values(["created_on", "who"], kind="stable", ignore_index=True)
    return frame.assign(plan_id=_ids("BP", len(frame), 4), partner_id=_pid(w, frame["who"].to_numpy()))[
        ["plan_id", "partner_id", "created_on", "status", "revenue_target"]
    ]


# ---------------------------------------------------------------- what a partner portal holds


def _contacts(w: _World) -> pd.DataFrame:
    """The people behind every contact_id of engagements and portal_activity, at name@partner.example."""
    rng, words = w.rng, w.words
    who = np.repeat(np.arange(w.n), w.contacts)
    number = np.concatenate([np.arange(1, k + 1) for k in w.contacts])
    last = (rng.integers(0, len(words.last), w.n)[who] + 7 * (number - 1)) % len(
        words.last
    )  # distinct within a partner
    names = np.array(
        [f"{f} {words.last[i]}" for f, i in zip(_pick(rng, words.first, len(who)), last)], dtype=object
    )
    domain = np.array([_slug(name) + ".example" for name in w.partners["name"]], dtype=object)[who]
    email = [_email(person, d) for person, d in zip(names, domain)]
    roles = np.where(
        number == 1, words.owner, _pick(rng, [r for r in words.roles if r != words.owner], len(who))
    )
    own_locale = rng.random(len(who)) < 0.15
    locale = np.where(own_locale, _pick(rng, words.contact_locales, len(who)), None)
    return pd.DataFrame(
        {
            "contact_id": _contact_ids(w, who, number),
            "partner_id": _pid(w, who),
            "name": names,
            "email": email,
            "role": roles,
            "locale": locale,
        }
    )


def _mdf_allocations(w: _World, mdf: pd.DataFrame) -> pd.DataFrame:
    """Funds set aside per partner and calendar year, from the day it could use them (enable);
    never less than it was approved that year; claims close a month after the year ends."""
    rng = w.rng
    years = np.arange(pd.Timestamp(w.start, unit="D").year, pd.Timestamp(w.end, unit="D").year + 1)
    first = np.array([_day(pd.Timestamp(int(y), 1, 1)) for y in years])
    who = np.repeat(np.arange(w.n), len(years))
    year = np.tile(np.arange(len(years)), w.n)
    day = np.maximum(np.maximum(first[year], w.start), w.entry[who, ENABLE])
    ends = np.append(first[1:], _day(pd.Timestamp(int(years[-1]) + 1, 1, 1)))
    keep = (day < ends[year]) & (day <= w.end) & (day < w.entry[who, CHURNED]) & ~w.silent[who]
    who, year, day = who[keep], year[keep], day[keep]
    approved = (
        mdf.assign(year=pd.to_datetime(mdf["requested_on"], unit="D").dt.year - years[0])
        .groupby(["who", "year"])["amount_approved"]
        .sum()
    )
    used = approved.reindex(pd.MultiIndex.from_arrays([who, year])).fillna(0).to_numpy()
    base = np.array([60_000, 25_000, 8_000])[w.tier[who]] * rng.lognormal(0, 0.2, len(who))
    amount = np.ceil(np.maximum(base, 1.1 * used) / 1000) * 1000
    frame = pd.DataFrame(
        {"who": who, "allocated_on": day, "amount": amount, "claim_deadline": ends[year] + 30}
    ).sort_values(["allocated_on", "who"], kind="stable", ignore_index=True)
    return frame.assign(allocation_id=_ids("MA", len(frame), 4), partner_id=_pid(w, frame["who"].to_numpy()))[
        ["allocation_id", "partner_id", "allocated_on", "amount", "claim_deadline"]
    ]


OBJECTIVES = (  # catalogue metric, target per deal the revenue target implies
    ("deals_won", 1.0),
    ("deals_registered", 1.3),
    ("certifications", 0.1),
    ("new_logos", 0.4),
    ("opportunities_created", 2.5),
)
OBJECTIVE_TEXTS = {  # {n}: a count, {amount}: the revenue target
    "revenue": "Grow revenue to {n} in the plan year",
    "deals_won": "Win {n} deals in the plan year",
    "deals_registered": "Register {n} deals before the first customer meeting",
    "certifications": "Earn {n} certifications",
    "new_logos": "Win {n} new customers",
    "opportunities_created": "Open {n} new opportunities",
}
DEAL_SIZE = (90_000, 45_000, 20_000)  # rough won deal size by tier, to turn revenue into deals


def _objectives(w: _World, plans: pd.DataFrame) -> pd.DataFrame:
    """Two to four objectives per plan: its revenue target, then one to three other catalogue metrics."""
    rng = w.rng
    tier = w.tier[pd.Index(w.partners["partner_id"]).get_indexer(plans["partner_id"])]
    count = rng.integers(1, 4, len(plans))  # objectives besides revenue
    plan = np.repeat(np.arange(len(plans)), count + 1)
    rank = np.concatenate([np.arange(k + 1) for k in count]) if len(count) else np.zeros(0, dtype=int)
    other = (
        np.concatenate([np.append(-1, rng.permutation(len(OBJECTIVES))[:k]) for k in count])
        if len(count)
        else np.zeros(0, dtype=int)
    )
    metric = np.where(rank == 0, "revenue", np.array([m for m, _ in OBJECTIVES], dtype=object)[other])
    revenue = plans["revenue_target"].to_numpy()[plan]
    deals = revenue / np.array(DEAL_SIZE)[tier[plan]]
    per_deal = np.array([p for _, p in OBJECTIVES])[other]
    target = np.where(rank == 0, revenue, np.maximum(2, np.round(deals * per_deal)))
    weight = np.where(rank == 0, 0.4, 0.6 / count[plan])
    text = [_objective(w.words, m, t) for m, t in zip(metric, target)]
    return pd.DataFrame(
        {
            "objective_id": _ids("OB", len(plan), 4),
            "plan_id": plans["plan_id"].to_numpy()[plan],
            "metric": metric,
            "target": target,
            "weight": weight,
            "description": text,
        }
    )


def _objective(words: Words, metric: str, target: float) -> str:
    """An objective as its plan writes it; a revenue target in the sample's currency."""
    money = _converted(np.array([target]), words.rate, 1000)[0] if metric == "revenue" else target
    return words.objectives[metric].format(n=words.count(money), amount=words.money(money))


ACTIONS = (
    "Book the quarterly business review",
    "Register the open deals in the portal",
    "Certify a second presales engineer",
    "Submit the MDF claim for the last campaign",
    "Plan a joint webinar for next quarter",
    "Share the pipeline forecast for next quarter",
    "Update the joint business plan",
    "Nominate two people for the Partner Summit",
    "Run a Security trial with a reference customer",
    "Agree the Cloud bundle pricing",
)


def _actions(w: _World, contacts: pd.DataFrame) -> pd.DataFrame:
    """Two to five actions agreed with each partner that has begun: older ones mostly done, the latest open."""
    rng = w.rng
    begun = np.flatnonzero((w.entry[:, ONBOARD] < NEVER) & ~w.silent)
    count = np.minimum(2 + rng.poisson(1.2, len(begun)), 5)
    who = np.repeat(begun, count)
    last = np.minimum(w.end, w.entry[who, CHURNED] - 1)
    first = np.maximum(np.maximum(w.entry[who, ONBOARD], w.start), last - 270)
    day = first + (rng.random(len(who)) * (last - first + 1)).astype(np.int64)
    due = day + rng.integers(14, 61, len(who))
    frame = pd.DataFrame({"who": who, "agreed_on": day, "due_on": due}).sort_values(
        ["who", "agreed_on"], kind="stable", ignore_index=True
    )
    who, day, due = frame["who"].to_numpy(), frame["agreed_on"].to_numpy(), frame["due_on"].to_numpy()
    latest = np.append(who[1:] != who[:-1], True)
    done = ~latest & (due < w.end - 10) & (rng.random(len(who)) < 0.85)
    ours = w.partners["account_manager"].to_numpy()[who]
    owner_contact = contacts.groupby("partner_id")["name"].first().reindex(_pid(w, who)).to_numpy()
    owner = np.where(rng.random(len(who)) < 0.5, ours, owner_contact)
    frame = frame.assign(
        status=np.where(done, "done", "open"), owner=owner, description=_pick(rng, w.words.actions, len(who))
    ).sort_values(["agreed_on", "who"], kind="stable", ignore_index=True)
    return frame.assign(action_id=_ids("AC", len(frame), 4), partner_id=_pid(w, frame["who"].to_numpy()))[
        ["action_id", "partner_id", "agreed_on", "owner", "description", "due_on", "status"]
    ]


# ---------------------------------------------------------------- the partners' voice


def _stories(w: _World, opps: pd.DataFrame) -> pd.DataFrame:
    """Quotes, win stories and portal posts from partners, and a few programme-wide ones."""
    rng = w.rng
    names = w.partners["name"].to_numpy()
    q_who, q_day = _events(w, _rate(w, "quote", 0.05), "quote")
    p_who, p_day = _events(w, _rate(w, "portal_post", 0.03), "portal_post")
    won = opps[(opps["status"] == "won") & opps["partner_id"].notna()]
    big = won[won["amount"] >= won["amount"].quantile(0.75)]
    big = big[rng.random(len(big)) < 0.15]
    b_who = big["partner_id"].map(pd.Series(np.arange(w.n), index=w.partners["partner_id"])).to_numpy()
    b_day = np.minimum(
        big["closed_on"].to_numpy() + rng.integers(3, 30, len(big)),
        np.minimum(w.end, w.entry[b_who, CHURNED]),
    )
    win = w.words.win_story
    win_text = [
        win["text"].format(
            partner=names[p],
            c=c,
            s=s,
            customer=win["new_customer" if new else "existing_customer"],
            how=win["trial" if t % 2 else "early"],
        )
        for p, c, s, new, t in zip(
            b_who, big["product_category"], big["segment"], big["is_new_logo"], rng.integers(0, 2, len(big))
        )
    ]
    mood = np.where(rng.random(len(q_day)) < 0.6, 2, rng.integers(0, 2, len(q_day)))
    posts = [
        post.format(c=c, i=i, n=k)
        for post, c, i, k in zip(
            _pick(rng, w.words.portal_posts, len(p_day)),
            _pick(rng, w.words.categories, len(p_day)),
            _pick(rng, w.words.industries, len(p_day)),
            rng.integers(2, 7, len(p_day)),
        )
    ]
    partner = pd.concat(
        [
            pd.DataFrame(
                {"who": q_who, "told_on": q_day, "kind": "quote", "text": _comments(rng, mood, w.words)}
            ),
            pd.DataFrame({"who": p_who, "told_on": p_day, "kind": "portal_post", "text": posts}),
            pd.DataFrame({"who": b_who, "told_on": b_day, "kind": "win_story", "text": win_text}),
        ],
        ignore_index=True,
    ).drop_duplicates("text", ignore_index=True)  # nobody says it word for word again
    partner = partner.assign(
        author=_person(rng, len(partner), w.words) + " (" + names[partner["who"].to_numpy()] + ")"
    )
    frame = pd.concat([partner, _programme_stories(w)], ignore_index=True).sort_values(
        ["told_on", "who", "kind"], kind="stable", ignore_index=True
    )
    who = frame["who"].to_numpy()
    return frame.assign(
        story_id=_ids("S", len(frame), 4), partner_id=np.where(who >= 0, _pid(w, np.maximum(who, 0)), None)
    )[["story_id", "partner_id", "told_on", "author", "kind", "text"]]


def _programme_stories(w: _World) -> pd.DataFrame:
    rng = w.rng
    month = np.repeat(np.arange(w.hist), rng.poisson(0.7, w.hist))
    day = np.minimum(w.month_lo[month] + rng.integers(0, 28, len(month)), w.end)
    return pd.DataFrame(
        {
            "who": -1,
            "told_on": day,
            "kind": _pick(rng, ("quote", "portal_post"), len(month), [0.7, 0.3]),
            "text": _pick(rng, w.words.programme_quotes, len(month)),
            "author": _pick(rng, w.words.programme_authors, len(month)),
        }
    )


def _surveys(w: _World) -> pd.DataFrame:
    """Quarterly survey waves: happier when certified or growing, sour when stalling or in APAC."""
    rng = w.rng
    waves = w.month_lo[1 : w.hist : 3] + 10
    who = np.repeat(np.arange(w.n), len(waves) * 3)
    day = np.tile(np.repeat(waves, 3), w.n) + rng.integers(0, 14, len(who))
    stage = _stage_on(w.entry, who, day)
    answers = (rng.random(len(who)) < 0.2) & (stage >= ONBOARD) & (stage < CHURNED) & ~w.silent[who]
    who, day, stage = who[answers], day[answers], stage[answers]
    mood = (
        7.8
        + 1.2 * (day >= w.cert_day[who])
        + 0.6 * (stage == GROW)
        - 3.5 * (w.entry[who, CHURNED] - day < 150)
        - 0.12 * (w.region[who] == DECLINING_REGION) * (day - w.start) / 91
    )
    score = np.clip(np.round(rng.normal(mood, 1.4)), 0, 10).astype(int)
    band = np.select([score <= 6, score <= 8], [0, 1], 2)
    comment = np.where(rng.random(len(day)) < 0.7, _comments(rng, band, w.words), None)
    frame = pd.DataFrame(
        {
            "who": who,
            "answered_on": day,
            "score": score,
            "respondent": _pick(rng, w.words.roles, len(day)),
            "comment": comment,
        }
    ).sort_values(["answered_on", "who"], kind="stable", ignore_index=True)
    frame["comment"] = frame["comment"].mask(frame["comment"].duplicated() & frame["comment"].notna())
    return frame.assign(response_id=_ids("SV", len(frame), 4), partner_id=_pid(w, frame["who"].to_numpy()))[
        ["response_id", "partner_id", "answered_on", "respondent", "score", "comment"]
    ]


def _comments(rng: np.random.Generator, band: np.ndarray, words: Words) -> np.ndarray:
    """One or two themes of the score's band, each said one of its ways, often with a detail of
    the partner's own: complaints below 9 (the strong ones below 7), praise at 9 and 10."""
    near = [[said for b, said in words.themes.values() if (b < 2) == (band_ < 2)] for band_ in range(3)]
    pick = rng.random((len(band), 7))
    out = np.empty(len(band), dtype=object)
    for i, (b, r) in enumerate(zip(band, pick)):
        first = int(r[0] * len(near[b]))
        parts = [near[b][first][int(r[1] * len(near[b][first]))]]
        if r[2] < 0.4:
            second = (first + 1 + int(r[3] * (len(near[b]) - 1))) % len(near[b])
            parts.append(near[b][second][int(r[4] * len(near[b][second]))])
        if r[5] < 0.85:
            detail = words.details[b][int(r[6] * len(words.details[b]))]
            parts.append(detail.format(c=words.categories[int(r[6] * 24) % len(words.categories)]))
        out[i] = " ".join(parts)
    return out


# ---------------------------------------------------------------- out

DATE_COLUMNS = (
    "joined_on",
    "churned_on",
    "changed_on",
    "created_on",
    "closed_on",
    "submitted_on",
    "distributed_on",
    "accepted_on",
    "started_on",
    "ended_on",
    "occurred_on",
    "day",
    "requested_on",
    "told_on",
    "answered_on",
    "expires_on",
    "claim_deadline",
    "allocated_on",
    "agreed_on",
    "due_on",
)


ROUNDED_TO = {("business_plans", "revenue_target"): 1000, ("mdf_allocations", "amount"): 1000}


def _priced(name: str, frame: pd.DataFrame, rate: float) -> pd.DataFrame:
    """Money in the sample's currency: every amount times `rate`, rounded as it was drawn (to
    100, plan targets and allocations to 1000: allocations up, so they still cover what was
    approved); a plan objective's target only when it is revenue. Unchanged at rate 1."""
    if rate == 1.0:
        return frame
    out = frame.copy()
    for col in TABLES[name].columns:
        if col.kind != "money" or col.name not in out:
            continue
        rows = (out["metric"] == "revenue").to_numpy() if name == "plan_objectives" else slice(None)
        step = 1000 if name == "plan_objectives" else ROUNDED_TO.get((name, col.name), 100)
        values = out[col.name].to_numpy(dtype=float).copy()
        values[rows] = _converted(values[rows], rate, step, up=name == "mdf_allocations")
        out[col.name] = values
    return out


def _converted(values: np.ndarray, rate: float, step: int, *, up: bool = False) -> np.ndarray:
    scaled = values * rate / step
    return (np.ceil(scaled) if up else np.round(scaled)) * step


def _dates_out(frame: pd.DataFrame) -> pd.DataFrame:
    """Day numbers become Timestamps (-1 means empty); helper columns are dropped."""
    out = frame.drop(columns=[c for c in ("who",) if c in frame.columns])
    for col in DATE_COLUMNS:
        if col in out.columns:
            days = pd.to_numeric(out[col], errors="coerce").to_numpy(dtype=float)
            days[days < 0] = np.nan
            out[col] = pd.to_datetime(days, unit="D")
    return out.reset_index(drop=True)
