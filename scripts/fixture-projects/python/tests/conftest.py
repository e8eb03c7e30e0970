import pytest

from shopcalc import Inventory


@pytest.fixture
def stocked():
    inv = Inventory()
    inv.add("apple", 5)
    inv.add("pear", 2)
    return inv


@pytest.fixture
def broken_db():
    # Deliberate fixture error: every test using this fixture is reported as an ERROR.
    raise RuntimeError("database fixture failed to start")
