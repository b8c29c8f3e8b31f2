import re

import pandas as pd
import pytest

from partnerbook import runner
from partnerbook.errors import ParamsError, PartnerbookError
from partnerbook.render import html


def test_file_names_safe_ids_kept_unsafe_hashed():
    names = html.file_names(["P001", "p-2_x", "../etc/passwd", "Ab", "aB", "a b"])
    assert names["P001"] == "P001" and names["p-2_x"] == "p-2_x"
    for unsafe, slug in (("../etc/passwd", "etc-passwd-"), ("Ab", "Ab-"), ("aB", "aB-"), ("a b", "a-b-")):
        assert names[unsafe].startswith(slug) and len(names[unsafe]) == len(slug) + 8
        assert "/" not in names[unsafe] and "." not in names[unsafe]
    assert names["Ab"] != names["aB"]


def _partners():
    return pd.DataFrame(
        {
            "partner_id": ["P001", "P0011", "P002", "P003"],
            "name": ["Acme", "Acme Cloud", "Northwind", "Zeta & Co"],
            "tier": ["Gold", "Silver", "Gold", "Registered"],
            "region": ["EMEA", "EMEA", "APAC", "EMEA"],
        }
    )


def test_leaks_finds_other_ids_and_names_as_whole_words():
    names = html.Names(_partners())
    page = "<h1>Acme</h1><p>P001 beat Northwind</p><p>see P0011</p>"
    assert names.leaks(page, "P001") == ["Northwind", "P0011"]


def test_leaks_own_name_containing_another_name_is_not_a_leak():
    names = html.Names(_partners())
    assert names.leaks("<h1>Acme Cloud</h1><p>P0011</p>", "P0011") == []
    assert names.leaks("<p>Acme Cloud and Acme</p>", "P0011") == ["Acme"]


def test_leaks_ignores_css_data_uris_and_reads_alt_text_and_entities():
    names = html.Names(_partners())
    page = (
        '<style>.P002 {}</style><img src="data:image/png;base64,AAA+P002/B" alt="vs Northwind">'
        "<p>Zeta &amp; Co</p>"
    )
    assert names.leaks(page, "P001") == ["Northwind", "Zeta & Co"]


def test_select_ids_filter_and_errors():
    partners = _partners()
    assert list(runner.select(partners, "P002,P003")["partner_id"]) == ["P002", "P003"]
    assert list(runner.select(partners, "tier=Gold,region=EMEA")["partner_id"]) == ["P001"]
    assert list(runner.select(partners, "tier=gold,tier=Silver")["partner_id"]) == ["P001", "P0011", "P002"]
    with pytest.raises(PartnerbookError, match="P999"):
        runner.select(partners, "P001,P999")
    with pytest.raises(ParamsError, match="tierr=Gold"):
        runner.select(partners, "tierr=Gold")
    with pytest.raises(PartnerbookError, match="no partner matches"):
        runner.select(partners, "region=LATAM")


def test_redact_removes_passwords_and_tokens():
    assert runner.redact("postgresql://ann:s3cret@db:5432/crm") == "postgresql://ann:***@db:5432/crm"
    assert runner.redact("https://x/api?token=abc&x=1") == "https://x/api?token=***&x=1"
    assert runner.redact("data/sample.duckdb") == "data/sample.duckdb"


def test_by_partner_fingerprint_ignores_row_order_and_sees_changes():
    frame = pd.DataFrame({"partner_id": pd.array(["P1", "P2", "P1"], dtype="string"), "v": [1.0, 2.0, 3.0]})
    a = runner._by_partner(frame)
    b = runner._by_partner(frame.iloc[::-1])
    c = runner._by_partner(frame.assign(v=[1.0, 2.0, 4.0]))
    assert a == b and a["P2"] == c["P2"] and a["P1"] != c["P1"]


def test_leaks_agrees_with_one_regular_expression_of_every_name():
    """The token scan finds what the plain rule finds: every name as a whole word, ignoring
    case and spacing, the longest name first at each place (written here as one regex)."""
    import random

    rng = random.Random(7)
    words = ["acme", "Acme", "cloud", "P1", "P11", "&", "co.", "-x", "(n)", "été", "a_b"]
    names = sorted({" ".join(rng.sample(words, rng.randint(1, 3))) for _ in range(40)})
    partners = pd.DataFrame({"partner_id": [f"P{i}" for i in range(len(names))], "name": names})
    checker = html.Names(partners)
    tokens = sorted({t.lower(): t for t in [*partners["partner_id"], *names]}.values(), key=len, reverse=True)
    rule = re.compile("|".join(rf"(?<!\w){re.escape(t)}(?!\w)" for t in tokens), re.I)
    owner = {}
    for pid, name in zip(partners["partner_id"], names):
        owner.setdefault(pid.lower(), set()).add(pid)
        owner.setdefault(name.lower(), set()).add(pid)
    for _ in range(300):
        text = "".join(rng.choice([*words, " ", "  ", ",", "x", "_"]) for _ in range(rng.randint(1, 25)))
        me = rng.choice(list(partners["partner_id"]))
        text = " ".join(text.split())
        expected = {m.group(0).lower() for m in rule.finditer(text) if me not in owner[m.group(0).lower()]}
        got = {t.lower() for t in checker.leaks(f"<p>{html.html_mod.escape(text)}</p>", me)}
        assert got == expected, (text, me)


def test_report_links_are_the_partners_rendered_now_or_already_published(tmp_path):
    from types import SimpleNamespace

    partners = pd.DataFrame({"partner_id": ["P1", "P2", "P3", "../x"], "name": ["A", "B", "C", "D"]})
    (tmp_path / "partners").mkdir()
    (tmp_path / "partners" / "P3.html").write_text("<p>an earlier run</p>")
    links = runner.report_links(
        SimpleNamespace(partners=partners), partners[partners["partner_id"] == "P1"], tmp_path
    )
    assert links == {"P1": "partners/P1.html", "P3": "partners/P3.html"}
    odd = runner.report_links(SimpleNamespace(partners=partners), partners.tail(1), tmp_path)
    assert sorted(odd) == ["../x", "P3"] and odd["../x"].startswith("partners/x-") and ".." not in odd["../x"]


def _with_dates():
    return _partners().assign(
        joined_on=pd.to_datetime(["2024-01-01", "2024-01-01", None, "2026-10-05"]),
        churned_on=pd.to_datetime(["2026-06-15", "2026-08-01", None, None]),
    )


def test_select_chooses_among_the_members_and_names_those_outside():
    from partnerbook import membership, periods

    everyone = _with_dates()
    # 2026-Q3: P001 left 15 Jun (before), P0011 left 1 Aug (during: in), P002 (no joined_on:
    # a recruit, in), P003 joins 5 Oct (after): members P0011, P002
    members = membership.members(everyone, periods.parse("2026-Q3"))
    assert list(runner.select(members, None, everyone=everyone)["partner_id"]) == ["P0011", "P002"]
    assert list(runner.select(members, "tier=Gold", everyone=everyone)["partner_id"]) == ["P002"]
    assert list(runner.select(members, "P0011", everyone=everyone)["partner_id"]) == ["P0011"]
    with pytest.raises(PartnerbookError) as err:
        runner.select(members, "P002,P001,P003", everyone=everyone, period_name="2026-Q3")
    assert str(err.value) == (
        "--partners: not in the programme in 2026-Q3, so no report: "
        "P001 (left on 2026-06-15); P003 (joined on 2026-10-05)"
    )
    assert "\n" not in str(err.value)
    with pytest.raises(PartnerbookError, match="unknown partner id.*P999"):
        runner.select(members, "P999", everyone=everyone)
    # a filter only former or future partners match (P003, Registered, joins in October)
    with pytest.raises(PartnerbookError) as err:
        runner.select(members, "tier=Registered", everyone=everyone, period_name="2026-Q3")
    assert str(err.value) == (
        "--partners tier=Registered: no partner matches in the programme in 2026-Q3 "
        "(only former or future partners do)"
    )


def test_remove_former_deletes_an_earlier_runs_reports_of_former_partners(tmp_path):
    from types import SimpleNamespace
    from partnerbook import membership, periods

    everyone = _with_dates()
    q3 = periods.parse("2026-Q3")
    wb = SimpleNamespace(partners=everyone, members=membership.members(everyone, q3), period=q3)
    for rel in (
        "partners/P001.html",
        "notebooks/partner-P001.ipynb",
        "for-partners/P001.html",
        "partners/P0011.html",
        "notebooks/partner-P0011.ipynb",
        "for-partners/P0011.html",
        "notebooks/for-partner-P0011.ipynb",
        "partners/P002.html",
        "for-partners/P002.html",
    ):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("an earlier run")
    removed = runner.remove_former(wb, tmp_path)
    # P001 left before Q3: its report, partner edition and notebook go; P0011 left during Q3:
    # its account manager's page stays, its partner edition goes (nothing to send a leaver);
    # P002 keeps both; P003 had none
    assert sorted(removed) == [
        "for-partners/P001.html",
        "for-partners/P0011.html",
        "notebooks/for-partner-P0011.ipynb",
        "notebooks/partner-P001.ipynb",
        "partners/P001.html",
    ]
    assert sorted(p.name for p in (tmp_path / "partners").iterdir()) == ["P0011.html", "P002.html"]
    assert sorted(p.name for p in (tmp_path / "for-partners").iterdir()) == ["P002.html"]
    assert runner.left_by_the_end(wb) == {"P0011"}


def test_a_changed_plan_objective_changes_only_its_partners_fingerprint():
    # plan_objectives has no partner_id: its rows belong to the partner of their business plan
    from types import SimpleNamespace

    from partnerbook import runner

    class Data(dict):
        tables = property(lambda self: dict(self))

    def fingerprints(target):
        plans = pd.DataFrame({"plan_id": ["BP1", "BP2"], "partner_id": ["P1", "P2"]})
        objectives = pd.DataFrame(
            {
                "objective_id": ["O1", "O2"],
                "plan_id": ["BP1", "BP2"],
                "metric": ["revenue", "revenue"],
                "target": [100.0, target],
            }
        )
        empty = pd.DataFrame({"partner_id": pd.Series([], dtype=object)})
        wb = SimpleNamespace(
            dataset=Data(business_plans=plans, plan_objectives=objectives),
            metrics=empty,
            history=empty,
            health=empty,
            stages=pd.Series([], dtype=object),
            targets=None,
            attainment=None,
            peers=empty.set_index("partner_id"),
        )
        return runner.partner_fingerprints(wb)

    before, after = fingerprints(200.0), fingerprints(250.0)  # O2 is in BP2, P2's plan
    assert before["P1"] == after["P1"] and before["P2"] != after["P2"]


def test_the_cache_key_of_a_partner_report_includes_the_locale_of_each_edition(tmp_path):
    from types import SimpleNamespace

    from partnerbook.render.pool import Job

    class Data(dict):
        tables = property(lambda self: dict(self))

        def has(self, name):
            return True

    empty = pd.DataFrame({"partner_id": pd.Series([], dtype=object)})
    wb = SimpleNamespace(
        dataset=Data(partners=pd.DataFrame({"partner_id": ["P1"], "name": ["Alpha"]})),
        metrics=empty,
        history=empty,
        health=empty,
        stages=pd.Series([], dtype=object),
        targets=None,
        attainment=None,
        peers=empty.set_index("partner_id"),
        program={},
    )
    notebook = tmp_path / "scorecard.ipynb"
    notebook.write_text("{}")
    job = Job(
        "partner:P1",
        "partner",
        "Partner scorecard: Alpha",
        str(notebook),
        {"partner_id": "P1"},
        "partners/P1.html",
        "notebooks/partner-P1.ipynb",
        "P1",
        partner_html="for-partners/P1.html",
        locale="en_US",
    )
    french = Job(**{**job.__dict__, "partner_locale": "fr_FR"})
    canadian = Job(**{**job.__dict__, "partner_locale": "fr_CA"})
    keys = [runner.cache_keys(wb, [j], {})[j.key] for j in (job, french, canadian, job)]
    assert keys[0] == keys[3] and len(set(keys)) == 3


def test_fixed_phrases_are_blanked_as_whole_words_left_to_right():
    """html._blank finds a fixed phrase with str.find (fast) and blanks it only as a whole
    word, as the regular expression (?<!\\w)phrase(?!\\w) did."""
    from partnerbook.render.html import _blank

    # "best" before "-" is a whole word; inside "bestbest" it is not
    assert _blank("the best best-seller", "best") == "the " + " " * 4 + " " + " " * 4 + "-seller"
    assert _blank("bestbest best", "best") == "bestbest " + " " * 4
    # an occurrence overlapping one already blanked is not blanked again: left to right
    assert _blank("a a a", "a a") == " " * 3 + " a"
    # no letter or digit or underscore may touch it, on either side
    assert _blank("_acme acme1 acme.", "acme") == "_acme acme1 " + " " * 4 + "."
