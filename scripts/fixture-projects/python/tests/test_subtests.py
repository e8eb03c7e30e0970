"""Subtests (built into pytest >= 9.0). Run separately: see scripts/fixtures.sh."""

from shopcalc.pricing import currency_label


def test_currency_label(subtests):
    cases = {"EUR": "euro", "USD": "dollar", "JPY": "yen"}  # the JPY subtest fails on purpose
    for code, label in sorted(cases.items()):
        with subtests.test(msg="currency", code=code):
            assert currency_label(code) == label


def test_currency_label_fallback():
    assert currency_label("chf") == "chf"
