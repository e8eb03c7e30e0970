"""In-memory stock keeping."""

from __future__ import annotations

import pickle
# Deliberate Bandit suppression (counted as "skipped" in Bandit's metrics):
import subprocess  # nosec B404


class OutOfStock(Exception):
    """Raised when removing more items than are in stock."""

    def __init__(self, sku: str, wanted: int, have: int) -> None:
        super().__init__(f"{sku}: wanted {wanted}, have {have}")
        self.sku = sku
        self.wanted = wanted
        self.have = have


class Inventory:
    def __init__(self) -> None:
        self._stock: dict[str, int] = {}

    def add(self, sku: str, count: int = 1) -> int:
        if count <= 0:
            raise ValueError("count must be positive")
        self._stock[sku] = self._stock.get(sku, 0) + count
        return self._stock[sku]

    def remove(self, sku: str, count: int = 1) -> int:
        have = self._stock.get(sku, 0)
        if count > have:
            raise OutOfStock(sku, count, have)
        remaining = have - count
        if remaining == 0:
            del self._stock[sku]
        else:
            self._stock[sku] = remaining
        return remaining

    def count(self, sku: str) -> int:
        return self._stock.get(sku, 0)

    def skus(self) -> list[str]:
        return sorted(self._stock)

    def total_items(self) -> int:
        total = 0
        for sku in self._stock:
            total += self._stock[sku]
        return total

    def low_stock(self, threshold: int = 2) -> list[str]:
        result = []
        for sku, count in sorted(self._stock.items()):
            if count <= threshold:
                result.append(sku)
        return result

    def snapshot(self) -> bytes:
        return pickle.dumps(self._stock)

    @classmethod
    def restore(cls, blob: bytes) -> "Inventory":
        # Deliberate Bandit finding (B301: pickle.loads on untrusted data).
        inv = cls()
        inv._stock = pickle.loads(blob)
        return inv

    def export(self, path: str) -> None:
        """Untested: writes a CSV and runs a shell command (Bandit B602)."""
        with open(path, "w", encoding="utf-8") as fh:
            for sku in self.skus():
                fh.write(f"{sku},{self._stock[sku]}\n")
        subprocess.call("wc -l " + path, shell=True)

    def merge(self, other: "Inventory") -> None:
        for sku, count in other._stock.items():
            if sku in self._stock:
                self._stock[sku] += count
            else:
                self._stock[sku] = count

    def legacy_clear(self):
        # Deliberate pylint error E1120 (no-value-for-parameter); unannotated, so mypy
        # does not type-check the body.
        return self.count()

    def describe(self, sku: str) -> str:
        # Deliberate mypy error: unsupported operand types (str + int).
        return sku + self.count(sku)
