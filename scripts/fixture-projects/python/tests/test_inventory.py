import pytest

from shopcalc import Inventory, OutOfStock


def test_add_and_count(stocked):
    assert stocked.count("apple") == 5
    assert stocked.skus() == ["apple", "pear"]


def test_remove_to_zero_deletes(stocked):
    assert stocked.remove("pear", 2) == 0
    assert stocked.skus() == ["apple"]


def test_remove_too_many(stocked):
    with pytest.raises(OutOfStock):
        stocked.remove("apple", 6)


def test_total_items(stocked):
    assert stocked.total_items() == 7


def test_low_stock(stocked):
    # Deliberate failure: pear (2) is at the threshold and is reported.
    assert stocked.low_stock() == []


def test_snapshot_roundtrip(stocked):
    restored = Inventory.restore(stocked.snapshot())
    assert restored.skus() == stocked.skus()


def test_add_rejects_zero():
    with pytest.raises(ValueError):
        Inventory().add("x", 0)


def test_sync_with_database(broken_db, stocked):
    # Errors in setup: the broken_db fixture raises.
    assert stocked.count("apple") == 5


@pytest.mark.skip(reason="merge semantics under review")
def test_merge():
    raise AssertionError("never runs")
