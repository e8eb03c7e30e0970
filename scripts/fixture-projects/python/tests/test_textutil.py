import pytest

from shopcalc.textutil import checksum, make_token, slugify, truncate, word_count


@pytest.mark.parametrize(
    ("text", "slug"),
    [("Hello World", "hello-world"), ("  a--b  ", "a-b"), ("Crème brûlée!", "crème-brûlée")],
)
def test_slugify(text, slug):
    assert slugify(text) == slug


def test_truncate():
    assert truncate("abcdefgh", 5) == "ab..."
    assert truncate("abc", 5) == "abc"
    assert truncate("abcdef", 2) == ".."


def test_checksum_is_stable():
    assert checksum("abc") == "900150983cd24fb0d6963f7d28e17f72"


def test_token_length():
    assert len(make_token(12)) == 12


def test_word_count():
    assert word_count("  two words ") == 2
