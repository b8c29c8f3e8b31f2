"""programme: program.yaml loaded and checked once, errors naming file and key; the JSON
Schema shipped beside it is the one the code generates, and the shipped file passes it."""

import json
import pickle
from dataclasses import fields
from pathlib import Path

import jsonschema
import pytest
import yaml

from partnerbook import programme, programme_schema, recipients
from partnerbook.errors import ParamsError

ROOT = Path(__file__).resolve().parents[1]


def _write(tmp_path, text: str) -> Path:
    path = tmp_path / "program.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_program_section_is_typed_with_defaults(tmp_path):
    prog = programme.load(_write(tmp_path, "program:\n  name: North\n  fiscal_year_start_month: 4\n"))
    assert (prog.name, prog.currency, prog.fy_start_month, prog.peer_minimum) == ("North", "USD", 4, 5)
    assert prog.file == "program.yaml"
    assert prog.section("targets") == {} and prog.section("objectives") == []
    with pytest.raises(KeyError, match="no section 'goals'"):
        prog.section("goals")


@pytest.mark.parametrize(
    "text,message",
    [
        (
            "program:\n  fiscal_year_start_month: 13\n",
            "program.yaml: program.fiscal_year_start_month: expected an integer from 1 to 12, found 13",
        ),
        (
            "program:\n  peer_minimum: five\n",
            "program.yaml: program.peer_minimum: expected an integer, found 'five'",
        ),
        (
            "program:\n  peer_minimum: 0\n",
            "program.yaml: program.peer_minimum: expected an integer of at least 1, found 0",
        ),
        ("program:\n  currency: 978\n", "program.yaml: program.currency: expected a text, found 978"),
        (
            "program:\n  curency: EUR\n",
            "program.yaml: program.curency: unknown key; did you mean 'currency'?",
        ),
        ("objectivs: []\n", "program.yaml.objectivs: unknown key; did you mean 'objectives'?"),
    ],
)
def test_every_error_names_the_file_and_the_key(tmp_path, text, message):
    with pytest.raises(ParamsError) as err:
        programme.load(_write(tmp_path, text))
    assert str(err.value).startswith(message)


def test_the_programme_reads_as_the_dict_of_the_file(tmp_path):
    path = _write(tmp_path, "program:\n  currency: EUR\ntargets: {min_history_quarters: 3}\n")
    prog = programme.load(path)
    assert prog == {
        "program": {"currency": "EUR"},
        "targets": {"min_history_quarters": 3},
        "_path": str(path),
    }
    assert prog.as_dict() == dict(prog) and prog.get("reporting") is None
    assert programme.of(prog) is prog
    assert programme.of(prog.as_dict()).targets == prog.targets


def test_the_shipped_schema_is_the_generated_one():
    shipped = (ROOT / "params" / "program.schema.json").read_text(encoding="utf-8")
    assert shipped == programme_schema.text(), "run `make schema`"
    assert list(json.loads(shipped)["properties"]) == list(programme.SECTIONS)


def test_program_yaml_points_editors_at_the_schema_and_passes_it():
    text = (ROOT / "params" / "program.yaml").read_text(encoding="utf-8")
    assert text.splitlines()[0] == "# yaml-language-server: $schema=program.schema.json"


@pytest.mark.parametrize("path", sorted((ROOT / "params").glob("*.yaml")), ids=lambda p: p.name)
def test_every_programme_file_passes_the_schema_and_loads(path):
    # params/program.yaml and any other programme beside it (params/program.fr.yaml...)
    schema = json.loads((ROOT / "params" / "program.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    errors = jsonschema.Draft202012Validator(schema).iter_errors(
        yaml.safe_load(path.read_text(encoding="utf-8"))
    )
    assert [f"{e.json_path}: {e.message}" for e in errors] == []
    assert programme.load(path).file == path.name


def test_every_section_is_typed_with_defaults(tmp_path):
    prog = programme.load(_write(tmp_path, "targets: {by_tier: {Gold: {growth: 0.2}}}\n"))
    # the built-in defaults of each section, with Gold's growth over the default 0.10
    assert prog.targets.factors_for("Gold", "sell")["growth"] == 0.2
    assert prog.targets.factors_for("Silver", "sell")["capacity"] == 0.5
    assert prog.lifecycle.recommended("sell") is None and prog.lifecycle.inference.onboard_days == 90
    assert (prog.health.at_risk_signals, prog.health.signals.revenue_drop) == (2, 0.3)
    assert (prog.values, prog.objectives, prog.channel_goals) == ((), (), ())
    assert (prog.reporting.cadence, prog.reporting.change_threshold, prog.reporting.audiences) == (
        "quarterly",
        0.02,
        (),
    )
    assert (prog.tiers.window_quarters, prog.tiers.levels) == (4, ())
    assert (prog.surveys.min_respondents, prog.surveys.attributable, prog.deal_registrations.valid_days) == (
        3,
        False,
        90,
    )
    assert prog.delivery is None


def test_the_shipped_programme_reads_through_typed_accessors():
    prog = programme.load(ROOT / "params" / "program.yaml")
    # targets: Gold growth 0.08 then by_stage grow 0.15 wins; capacity from Gold (0.60)
    assert prog.targets.factors_for("Gold", "grow") == {
        "growth": 0.15,
        "capacity": 0.60,
        "margin_adj": 0.94,
        "mix_adj": 0.99,
        "attach_adj": 0.97,
        "predictability": 0.95,
        "solution_completeness": 0.95,
    }
    assert prog.targets.metrics_for("churned") == ()
    assert [level.name for level in prog.tiers.levels] == ["Registered", "Silver", "Gold"]
    assert prog.tiers.levels[2].criteria["deals_registered"] == 20
    assert [o.id for o in prog.objectives][:2] == ["grow_revenue", "new_markets"]
    assert prog.objectives[3].inputs == {"programme_costs": 1400000, "gross_margin": 0.45}
    assert prog.channel_goals[2].supports == ("launch_ready",)
    assert prog.reporting.audience("marketing").use_cases == ("mdf", "lead_distribution")
    assert prog.health.signals.lapsed_plan is True and prog.delivery.partners.formats == ("pdf",)


@pytest.mark.parametrize(
    "text,message",
    [
        (
            "targets: {defaults: {capacity: 1.5}}\n",
            "program.yaml: targets.defaults.capacity: expected a share from 0 to 1, found 1.5",
        ),
        (
            "lifecycle: {recommended_metrics: {sell: [revenu]}}\n",
            "program.yaml: lifecycle.recommended_metrics.sell: unknown metric 'revenu'; did you mean 'revenue'?",
        ),
        (
            "health: {signals: {low_survey_score: 11}}\n",
            "program.yaml: health.signals.low_survey_score: expected a score from 0 to 10 or false, found 11",
        ),
        (
            "reporting: {audiences: [{slug: x, use_cases: [webinars]}]}\n",
            "program.yaml: reporting.audiences[0].use_cases: unknown use case 'webinars'",
        ),
        (
            "reporting: {movers: many}\n",
            "program.yaml: reporting.movers: expected a whole number of 0 or more, found 'many'",
        ),
        (
            "tiers: {window_quarters: 0}\n",
            "program.yaml: tiers.window_quarters: expected a whole number of quarters >= 1",
        ),
        (
            "values: [Grow]\nobjectives: [{id: a, name: A, kind: sales_growth, value: Shrink}]\n",
            "program.yaml: objectives[0].value: 'Shrink' is not one of the values (allowed: Grow)",
        ),
    ],
)
def test_each_section_is_checked_at_load(tmp_path, text, message):
    with pytest.raises(ParamsError) as err:
        programme.load(_write(tmp_path, text))
    assert str(err.value).startswith(message), str(err.value)


def test_the_delivery_section_described_is_the_one_recipients_reads():
    assert [f.name for f in fields(programme.Delivery)] == list(recipients.PLAN_KEYS)
    assert [f.name for f in fields(programme.PartnerDelivery)] == list(recipients.PARTNER_KEYS)


def test_a_loaded_programme_is_not_checked_again_and_pickles():
    prog = programme.load(ROOT / "params" / "program.yaml")
    assert programme.section_of(prog, "targets") is prog.targets
    again = pickle.loads(pickle.dumps(prog))  # the runner's context carries it to the notebooks
    assert again == prog and again.targets == prog.targets and again.name == "Northwind Partner Programme"


def test_the_schema_flags_what_the_loader_refuses():
    schema = programme_schema.schema()
    bad = {
        "program": {"fiscal_year_start_month": 13},
        "targets": {"defaultz": {}},
        "channel_goals": [{"id": "g", "metric": "revenu"}],
    }
    paths = sorted(e.json_path for e in jsonschema.Draft202012Validator(schema).iter_errors(bad))
    assert paths == ["$.channel_goals[0].metric", "$.program.fiscal_year_start_month", "$.targets"]
