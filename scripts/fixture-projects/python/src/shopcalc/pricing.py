"""Price arithmetic with discounts and taxes."""

from __future__ import annotations

import os, sys  # deliberate: ruff E401 (two imports on one line) + F401 (sys unused)
from dataclasses import dataclass
from typing import TYPE_CHECKING

TAX_RATES = {"standard": 0.20, "reduced": 0.05, "zero": 0.0}

if TYPE_CHECKING:
    from typing import reveal_type

    # mypy prints a "note" here, which its "Found N errors" summary does not count.
    reveal_type(TAX_RATES)


@dataclass
class Line:
    sku: str
    unit_price: float
    quantity: int = 1
    tax_class: str = "standard"


def line_total(line: Line) -> float:
    """Gross price of one order line, tax included."""
    if line.quantity < 0:
        raise ValueError("negative quantity")
    if line.tax_class not in TAX_RATES:
        raise KeyError(line.tax_class)
    net = line.unit_price * line.quantity
    return round(net * (1 + TAX_RATES[line.tax_class]), 2)


def apply_discount(amount: float, percent: float) -> float:
    """Apply a percentage discount, clamped to [0, 100]."""
    if percent <= 0:
        return amount
    if percent >= 100:
        return 0.0
    return round(amount * (100 - percent) / 100, 2)


def order_total(lines: list[Line], coupon: str | None = None) -> float:
    total = 0.0
    for line in lines:
        total += line_total(line)
    if coupon is None:
        return round(total, 2)
    if coupon == "HALF":
        return apply_discount(total, 50)
    elif coupon == "TENOFF":
        return max(0.0, round(total - 10, 2))
    else:
        raise ValueError("unknown coupon: " + coupon)


def shipping_cost(weight_kg: float, express: bool = False) -> float:
    """Untested on purpose: reported as missed lines and branches."""
    if weight_kg <= 0:
        raise ValueError("weight must be positive")
    if weight_kg < 1:
        cost = 4.5
    elif weight_kg < 10:
        cost = 9.0
    else:
        cost = 9.0 + (weight_kg - 10) * 0.5
    if express:
        cost *= 2
    return round(cost, 2)


def parse_price(text: str) -> float:
    # Deliberate Bandit finding (B307: use of eval) and mypy-clean signature.
    return float(eval(text))


def currency_label(code: str) -> str:
    labels = {"EUR": "euro", "USD": "dollar", "GBP": "pound"}
    if code in labels:
        return labels[code]
    return code.lower()


def debug_dump(obj: object) -> str:
    # Deliberate mypy error: returns int where str is declared.
    if os.environ.get("SHOPCALC_DEBUG"):
        return len(repr(obj))
    return repr(obj)
