"""A report's cells ask the scorecard for the same frames several times: worked out once per
partner object and locale."""

from types import SimpleNamespace

from partnerbook import i18n, scorecard, workbook


def test_once_computes_each_key_once_per_partner_and_locale():
    calls = []

    def compute(value):
        def run():
            calls.append(value)
            return value

        return run

    p, other = SimpleNamespace(), SimpleNamespace()
    assert scorecard._once(p, ("actions",), compute("a")) == "a"
    assert scorecard._once(p, ("actions",), compute("not again")) == "a"
    assert scorecard._once(p, ("claims", 1), compute("c1")) == "c1"
    assert scorecard._once(p, ("claims", 2), compute("c2")) == "c2"
    assert scorecard._once(other, ("actions",), compute("b")) == "b"  # another partner: its own
    with i18n.using("fr_FR"):  # another language: its own (the texts in a frame differ)
        assert scorecard._once(p, ("actions",), compute("fr")) == "fr"
    assert calls == ["a", "c1", "c2", "b", "fr"]


def test_quarters_are_a_new_list_each_time():
    p = workbook.Partner(None, "A", {})
    p.keep(("quarters", 2), lambda: ("2026-Q2", "2026-Q3"))
    first = scorecard.quarters(p, 2)
    first.append("changed by a caller")
    assert scorecard.quarters(p, 2) == ["2026-Q2", "2026-Q3"]
