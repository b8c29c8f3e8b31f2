"""The canonical tables of the data model, as data.

This is the one place that says which tables and columns exist, their types, which
are optional and which values are allowed. `schema` turns it into pandera schemas;
`store` uses it to give absent tables their columns; docs/data-model.md explains it.

Kinds: "id" (text, non-empty), "text", "date" (ISO YYYY-MM-DD), "money" (>= 0),
"count" (integer >= 0), "share" (0..1), "score" (0..10 integer), "bool",
"email" (one address, name@domain), "locale" (a language tag such as en-US).

A date column marked `planned` holds a date set in advance (a deadline, an expiry, a due
day): it may lie after the last day of the data and does not say how far the data goes.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import numbers
from .i18n import pgettext

# a number as a source file may write it (the data model checks it: schema.py)
NUMBER = r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?"

STAGES = ("recruit", "onboard", "enable", "sell", "grow", "churned")


def stage_label(stage: object) -> str:
    """A stage as readers see it, in the language in force ('sell'; 'vente' in French); the
    keys (STAGES) stay in the data. '' for a missing stage; an unknown one as it is."""
    key = numbers.text(stage)
    labels = {
        "recruit": pgettext("lifecycle stage", "recruit"),
        "onboard": pgettext("lifecycle stage", "onboard"),
        "enable": pgettext("lifecycle stage", "enable"),
        "sell": pgettext("lifecycle stage", "sell"),
        "grow": pgettext("lifecycle stage", "grow"),
        "churned": pgettext("lifecycle stage", "churned"),
    }
    return labels.get(key, key)


@dataclass(frozen=True)
class Column:
    name: str
    kind: str
    optional: bool = False  # the column may be left out of the file
    nullable: bool = False  # a cell may be empty
    allowed: tuple[str, ...] = ()  # allowed values for text columns
    references: str = ""  # "partners.partner_id": must exist there
    doc: str = ""
    planned: bool = False  # a date set in advance (deadline, expiry): may be in the future


@dataclass(frozen=True)
class Table:
    name: str
    columns: tuple[Column, ...]
    key: tuple[str, ...] = ()  # unique id column(s)
    required: bool = False  # the table must be present
    doc: str = ""
    by_partner: str = "partner_id"  # the column that says whose row it is
    date_column: str = ""  # the column that places a row in time

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.columns]


def _c(name: str, kind: str, doc: str = "", **kw) -> Column:
    return Column(name, kind, doc=doc, **kw)


def _opt(name: str, kind: str, doc: str = "", **kw) -> Column:
    return Column(name, kind, optional=True, nullable=True, doc=doc, **kw)


PARTNER = "partners.partner_id"
PLAN = "business_plans.plan_id"

TABLES: dict[str, Table] = {
    t.name: t
    for t in (
        Table(
            "partners",
            (
                _c("partner_id", "id", "Unique id of the partner (a reseller or integrator)."),
                _c("name", "text", "The partner's name as people know it."),
                _c("tier", "text", "Programme tier, e.g. Gold, Silver, Registered."),
                _c("region", "text", "Sales region, e.g. AMER, EMEA, APAC."),
                _opt("country", "text", "Country of the partner's head office."),
                _opt(
                    "lifecycle_stage",
                    "text",
                    "Current stage, when there is no stage history.",
                    allowed=STAGES,
                ),
                _opt("joined_on", "date", "Day the partner signed; empty while still being recruited."),
                _opt("churned_on", "date", "Day the partner left the programme; empty while active."),
                _opt("capacity_share", "share", "Share (0-1) of the partner's selling capacity given to us."),
                _opt("account_manager", "text", "Our channel account manager for this partner."),
                _opt("account_manager_email", "email", "The account manager's e-mail address."),
                _opt("locale", "locale", "The partner's language and formats, a tag such as en-US or de-DE."),
            ),
            key=("partner_id",),
            required=True,
            by_partner="partner_id",
            date_column="joined_on",
            doc="One row per partner in the programme, past or present.",
        ),
        Table(
            "stage_changes",
            (
                _c("partner_id", "id", "The partner.", references=PARTNER),
                _c("changed_on", "date", "Day the partner entered the stage."),
                _c("stage", "text", "The stage entered.", allowed=STAGES),
            ),
            key=("partner_id", "changed_on", "stage"),
            date_column="changed_on",
            doc="The history behind lifecycle_stage: one row per move into a stage.",
        ),
        Table(
            "opportunities",
            (
                _c("opportunity_id", "id", "Unique id of the opportunity."),
                _opt(
                    "partner_id",
                    "id",
                    "The partner on the deal; empty for a direct deal.",
                    references=PARTNER,
                ),
                _opt(
                    "account_id",
                    "id",
                    "The end customer; empty when the deal has none yet (such a deal counts "
                    "in pipeline and results, never as a new logo).",
                ),
                _c("created_on", "date", "Day the opportunity was created."),
                _opt("closed_on", "date", "Day it was won or lost; empty while open."),
                _c("status", "text", "open, won or lost.", allowed=("open", "won", "lost")),
                _c("amount", "money", "Deal value in the programme currency."),
                _c("segment", "text", "Customer segment, e.g. ENT, MM, SMB."),
                _c("product_category", "text", "Product category, e.g. Cloud, Security."),
                _c("sku", "text", "Product code (SKU) of the main line."),
                _opt("is_new_logo", "bool", "True when the customer is new to us."),
                _opt("registration_id", "id", "The deal registration behind it, if any."),
                _opt("mdf_request_id", "id", "The MDF request that sourced it, if any."),
            ),
            key=("opportunity_id",),
            required=True,
            date_column="created_on",
            doc="Every sales opportunity, partner-led or direct.",
        ),
        Table(
            "deal_registrations",
            (
                _c("registration_id", "id", "Unique id of the registration."),
                _c("partner_id", "id", "The registering partner.", references=PARTNER),
                _c("submitted_on", "date", "Day it was submitted."),
                _c(
                    "status",
                    "text",
                    "Where it stands.",
                    allowed=("submitted", "approved", "rejected", "expired", "converted"),
                ),
                _c("amount", "money", "Registered deal value."),
                _opt("opportunity_id", "id", "The opportunity it became, if any."),
                _opt(
                    "expires_on",
                    "date",
                    "Last day the registration protects the deal, if it has an expiry.",
                    planned=True,
                ),
            ),
            key=("registration_id",),
            date_column="submitted_on",
            doc="Deals partners register to protect them.",
        ),
        Table(
            "leads",
            (
                _c("lead_id", "id", "Unique id of the lead."),
                _c("partner_id", "id", "The partner the lead was passed to.", references=PARTNER),
                _c("distributed_on", "date", "Day the lead was passed on."),
                _c(
                    "status", "text", "Where it stands.", allowed=("new", "accepted", "rejected", "converted")
                ),
                _opt("accepted_on", "date", "Day the partner accepted it."),
                _opt("converted_opportunity_id", "id", "The opportunity it became, if any."),
            ),
            key=("lead_id",),
            date_column="distributed_on",
            doc="Leads we distribute to partners.",
        ),
        Table(
            "trials",
            (
                _c("trial_id", "id", "Unique id of the trial or proof of concept."),
                _c("partner_id", "id", "The partner running it.", references=PARTNER),
                _c("account_id", "id", "The prospect."),
                _c("started_on", "date", "Day it started."),
                _opt("ended_on", "date", "Day it ended; empty while running."),
                _c(
                    "outcome",
                    "text",
                    "open, won, lost or abandoned.",
                    allowed=("open", "won", "lost", "abandoned"),
                ),
            ),
            key=("trial_id",),
            date_column="started_on",
            doc="Trials and proofs of concept run by partners.",
        ),
        Table(
            "engagements",
            (
                _c("engagement_id", "id", "Unique id of the attendance."),
                _c("partner_id", "id", "The partner whose person attended.", references=PARTNER),
                _c("contact_id", "id", "The person."),
                _c(
                    "kind",
                    "text",
                    "What it was.",
                    allowed=("webinar", "training", "certification", "in_person_event"),
                ),
                _c("name", "text", "Name of the webinar, course, exam or event."),
                _c("occurred_on", "date", "Day it happened."),
            ),
            key=("engagement_id",),
            date_column="occurred_on",
            doc="Webinars, trainings, certifications and in-person events attended.",
        ),
        Table(
            "portal_activity",
            (
                _c("partner_id", "id", "The partner.", references=PARTNER),
                _c("contact_id", "id", "The portal user."),
                _c("day", "date", "The day."),
                _c("logins", "count", "Logins that day."),
                _opt("page_views", "count", "Pages viewed that day."),
            ),
            key=("partner_id", "contact_id", "day"),
            date_column="day",
            doc="Partner portal use, one row per user per day.",
        ),
        Table(
            "business_plans",
            (
                _c("plan_id", "id", "Unique id of the joint business plan."),
                _c("partner_id", "id", "The partner.", references=PARTNER),
                _c("created_on", "date", "Day the plan was created."),
                _c("status", "text", "Where it stands.", allowed=("draft", "active", "completed", "lapsed")),
                _opt("revenue_target", "money", "Revenue the plan aims at."),
            ),
            key=("plan_id",),
            date_column="created_on",
            doc="Joint business plans agreed with partners.",
        ),
        Table(
            "mdf",
            (
                _c("request_id", "id", "Unique id of the market development fund request."),
                _c("partner_id", "id", "The requesting partner.", references=PARTNER),
                _c("requested_on", "date", "Day it was requested."),
                _c("activity", "text", "What the money is for."),
                _c("amount_requested", "money", "Amount asked for."),
                _c("amount_approved", "money", "Amount approved."),
                _c("amount_claimed", "money", "Amount claimed after the activity."),
                _c("amount_paid", "money", "Amount paid out."),
                _c("status", "text", "Where it stands, e.g. submitted, approved, claimed, paid, rejected."),
                _opt("claim_deadline", "date", "Last day to claim the approved amount.", planned=True),
            ),
            key=("request_id",),
            date_column="requested_on",
            doc="Market development funds (MDF) requested, approved, claimed and paid.",
        ),
        Table(
            "stories",
            (
                _c("story_id", "id", "Unique id of the story."),
                _opt(
                    "partner_id", "id", "The partner; empty for a programme-wide story.", references=PARTNER
                ),
                _c("told_on", "date", "Day it was told or posted."),
                _c("author", "text", "Who told it."),
                _c(
                    "kind",
                    "text",
                    "quote, win_story or portal_post.",
                    allowed=("quote", "win_story", "portal_post"),
                ),
                _c("text", "text", "The words, shown as text."),
            ),
            key=("story_id",),
            date_column="told_on",
            doc="Anecdotes, win stories and portal excerpts for the narrative.",
        ),
        Table(
            "surveys",
            (
                _c("response_id", "id", "Unique id of the answer."),
                _c("partner_id", "id", "The answering partner.", references=PARTNER),
                _c("answered_on", "date", "Day of the answer."),
                _c("respondent", "text", "Who answered (role or name)."),
                _c("score", "score", "0-10: would you recommend working with us?"),
                _opt("comment", "text", "Free-text comment."),
            ),
            key=("response_id",),
            date_column="answered_on",
            doc="Partner survey answers: the partners' own voice.",
        ),
        Table(
            "contacts",
            (
                _c(
                    "contact_id",
                    "id",
                    "Unique id of the person (the contact_id of engagements and portal_activity).",
                ),
                _c("partner_id", "id", "The partner the person works for.", references=PARTNER),
                _c("name", "text", "The person's name."),
                _c("email", "email", "The person's e-mail address: one address, no display name."),
                _opt("role", "text", "Their role, e.g. Sales Director."),
                _opt("locale", "locale", "Their language and formats, when not the partner's."),
            ),
            key=("contact_id",),
            doc="People at the partners: who attends, logs in and receives the partner's report.",
        ),
        Table(
            "mdf_allocations",
            (
                _c("allocation_id", "id", "Unique id of the allocation."),
                _c("partner_id", "id", "The partner the funds are set aside for.", references=PARTNER),
                _c("allocated_on", "date", "Day the funds were allocated."),
                _c("amount", "money", "Market development funds allocated."),
                _opt("claim_deadline", "date", "Last day to claim against the allocation.", planned=True),
            ),
            key=("allocation_id",),
            date_column="allocated_on",
            doc="Market development funds set aside for a partner, usually per year; requests draw on them.",
        ),
        Table(
            "plan_objectives",
            (
                _c("objective_id", "id", "Unique id of the objective."),
                _c("plan_id", "id", "The joint business plan it belongs to.", references=PLAN),
                _c("metric", "id", "What it is measured by: a metric name of the catalogue, e.g. revenue."),
                _c("target", "money", "The value aimed at over the plan's year, in the metric's unit."),
                _opt("weight", "share", "Its weight in the plan (0-1; a plan's weights add up to 1)."),
                _opt("description", "text", "The objective in words."),
            ),
            key=("objective_id",),
            by_partner="",
            doc="The objectives of each joint business plan, each measured by one metric.",
        ),
        Table(
            "actions",
            (
                _c("action_id", "id", "Unique id of the action."),
                _c("partner_id", "id", "The partner it was agreed with.", references=PARTNER),
                _c("agreed_on", "date", "Day it was agreed."),
                _c("owner", "text", "Who does it: a person, ours or the partner's."),
                _c("description", "text", "What is to be done."),
                _opt("due_on", "date", "Day it is due.", planned=True),
                _c("status", "text", "open or done.", allowed=("open", "done")),
            ),
            key=("action_id",),
            date_column="agreed_on",
            doc="Next actions agreed with a partner, e.g. at a business review.",
        ),
    )
}

REQUIRED_TABLES = tuple(name for name, t in TABLES.items() if t.required)
