"""shopcalc: a tiny shop arithmetic package (sample project for shipgate fixtures)."""

from shopcalc.pricing import apply_discount, line_total, order_total
from shopcalc.inventory import Inventory, OutOfStock

__all__ = [
    "apply_discount",
    "line_total",
    "order_total",
    "Inventory",
    "OutOfStock",
]
