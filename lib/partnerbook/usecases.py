"""The programme's use cases, one table read by the partner scorecard and the story.

    USE_CASES["mdf"].title, .table, .not_supplied, .metrics, .main, .second
    NAMES                      # the names program.yaml `reporting.audiences[].use_cases` may list

`title` and `not_supplied` are messages (marked with N_): translate them where they are shown,
`_(case.title)`.
"""

from __future__ import annotations

from dataclasses import dataclass

from .i18n import N_


@dataclass(frozen=True)
class UseCase:
    name: str
    title: str  # the section's heading
    table: str  # the source table
    not_supplied: str  # the sentence when the table was not supplied
    metrics: tuple[str, ...]  # what the scorecard shows, in order
    main: str  # the story's chart and sentence: main metric, then the second
    second: str


USE_CASES = {
    case.name: case
    for case in (
        UseCase(
            "deal_registration",
            N_("Deal registration"),
            "deal_registrations",
            N_("No deal registration data supplied."),
            ("deals_registered", "registered_pipeline"),
            "deals_registered",
            "registered_pipeline",
        ),
        UseCase(
            "lead_distribution",
            N_("Lead distribution"),
            "leads",
            N_("No lead data supplied."),
            ("leads_distributed", "lead_acceptance_rate", "lead_conversion_rate"),
            "leads_distributed",
            "lead_conversion_rate",
        ),
        UseCase(
            "mdf",
            N_("Market development funds"),
            "mdf",
            N_("No MDF data supplied."),
            ("mdf_requested", "mdf_approved", "mdf_claimed", "mdf_roi"),
            "mdf_claimed",
            "mdf_approved",
        ),
        UseCase(
            "training",
            N_("Training and certification"),
            "engagements",
            N_("No engagement data supplied."),
            ("trainings_attended", "certifications", "webinars_attended", "events_attended"),
            "trainings_attended",
            "certifications",
        ),
        UseCase(
            "onboarding",
            N_("Onboarding"),
            "business_plans",
            N_("No business plan data supplied."),
            ("business_plans", "time_to_first_deal_days", "portal_logins", "active_portal_users"),
            "business_plans",
            "active_portal_users",
        ),
    )
}
NAMES = tuple(USE_CASES)
