import sys

import pytest

from shopcalc.pricing import Line, apply_discount, line_total, order_total


def test_line_total_standard():
    assert line_total(Line("a", 10.0, 2)) == 24.0


def test_line_total_reduced():
    assert line_total(Line("b", 10.0, 1, "reduced")) == 10.5


def test_line_total_negative_quantity():
    with pytest.raises(ValueError):
        line_total(Line("c", 1.0, -1))


@pytest.mark.parametrize(
    ("amount", "percent", "expected"),
    [(100.0, 0, 100.0), (100.0, 25, 75.0), (100.0, 100, 0.0), (80.0, 12.5, 70.0)],
)
def test_apply_discount(amount, percent, expected):
    assert apply_discount(amount, percent) == expected


def test_order_total_half_coupon():
    lines = [Line("a", 10.0, 1), Line("b", 5.0, 2, "zero")]
    assert order_total(lines, "HALF") == 11.0


def test_order_total_tenoff_coupon():
    # Deliberate failure: 22.0 - 10 is 12.0, not 13.0.
    lines = [Line("a", 10.0, 1), Line("b", 5.0, 2, "zero")]
    assert order_total(lines, "TENOFF") == 13.0


@pytest.mark.skip(reason="shipping rules not final")
def test_shipping_cost():
    raise AssertionError("never runs")


@pytest.mark.skipif(sys.version_info >= (3, 0), reason="only relevant on Python 2")
def test_python2_rounding():
    raise AssertionError("never runs")


@pytest.mark.xfail(reason="floating point rounding is not banker's rounding")
def test_bankers_rounding():
    assert apply_discount(0.125, 0) == 0.12


@pytest.mark.xfail(reason="expected to fail, but it passes (XPASS, non-strict)")
def test_discount_is_rounded():
    assert apply_discount(10.0, 33) == 6.7
