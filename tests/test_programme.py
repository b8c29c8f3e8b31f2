"""programme: program.yaml loaded and checked once, errors naming file and key; the JSON
Schema shipped beside it is the one the code generates, and the shipped file passes it."""
import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from partnerbook import programme, programme_schema
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


@pytest.mark.parametrize("text,message", [
    ("program:\n  fiscal_year_start_month: 13\n",
     "program.yaml: program.fiscal_year_start_month: expected an integer from 1 to 12, found 13"),
    ("program:\n  peer_minimum: five\n", "program.yaml: program.peer_minimum: expected an integer, found 'five'"),
    ("program:\n  peer_minimum: 0\n", "program.yaml: program.peer_minimum: expected an integer of at least 1, found 0"),
    ("program:\n  currency: 978\n", "program.yaml: program.currency: expected a text, found 978"),
    ("program:\n  curency: EUR\n", "program.yaml: program.curency: unknown key; did you mean 'currency'?"),
    ("objectivs: []\n", "program.yaml.objectivs: unknown key; did you mean 'objectives'?"),
])
def test_every_error_names_the_file_and_the_key(tmp_path, text, message):
    with pytest.raises(ParamsError) as err:
        programme.load(_write(tmp_path, text))
    assert str(err.value).startswith(message)


def test_the_programme_reads_as_the_dict_of_the_file(tmp_path):
    path = _write(tmp_path, "program:\n  currency: EUR\ntargets: {min_history_quarters: 3}\n")
    prog = programme.load(path)
    assert prog == {"program": {"currency": "EUR"}, "targets": {"min_history_quarters": 3}, "_path": str(path)}
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
    schema = json.loads((ROOT / "params" / "program.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    assert list(jsonschema.Draft202012Validator(schema).iter_errors(yaml.safe_load(text))) == []


def test_the_schema_flags_what_the_loader_refuses():
    schema = programme_schema.schema()
    bad = {"program": {"fiscal_year_start_month": 13}, "targets": {"defaultz": {}},
           "channel_goals": [{"id": "g", "metric": "revenu"}]}
    paths = sorted(e.json_path for e in jsonschema.Draft202012Validator(schema).iter_errors(bad))
    assert paths == ["$.channel_goals[0].metric", "$.program.fiscal_year_start_month", "$.targets"]
