"""Small text helpers."""

import hashlib
import random

# Deliberate mypy error: str assigned to an int-annotated name.
DEFAULT_WIDTH: int = "80"


def slugify(text: str) -> str:
    out = []
    for ch in text.lower():
        if ch.isalnum():
            out.append(ch)
        elif out and out[-1] != "-":
            out.append("-")
    return "".join(out).strip("-")


def truncate(text: str, width: int, ellipsis: str = "...") -> str:
    if width <= 0:
        return ""
    if len(text) <= width:
        return text
    if width <= len(ellipsis):
        return ellipsis[:width]
    return text[: width - len(ellipsis)] + ellipsis


def checksum(text: str) -> str:
    # Deliberate Bandit finding (B324: md5 used for security-like purpose).
    return hashlib.md5(text.encode()).hexdigest()


def make_token(length: int = 8) -> str:
    # Deliberate Bandit finding (B311: standard pseudo-random generator).
    alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"
    return "".join(random.choice(alphabet) for _ in range(length))


def word_count(text: str) -> int:
    count = 0
    in_word = False
    for ch in text:
        if ch.isspace():
            in_word = False
        elif not in_word:
            in_word = True
            count += 1
    return count


def title_case(text, keep=[]):
    # Deliberate problems: mutable default (ruff B006, pylint W0102), missing annotations.
    words = []
    for w in text.split():
        if w in keep:
            words.append(w)
        else:
            words.append(w.capitalize())
    return " ".join(words)


def wrap(text: str, width: int) -> list[str]:
    """Untested: greedy word wrap."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        if not current:
            current = word
        elif len(current) + 1 + len(word) <= width:
            current += " " + word
        else:
            lines.append(current)
            current = word
    if current:
        lines.append(current)
    return lines


def compare(a, b):
    try:
        return a == b
    except:  # deliberate bare except: ruff E722, pylint W0702
        return False
