"""Term sets scanned together find what one regex of all their terms finds."""

from __future__ import annotations

import random

import pytest

from bestdev.skills.term_pattern import PLURAL, VERSION, TermPattern, TermSet

VOCABULARY = ["azure", "react", "react native", "go", "kafka", "node.js", "c#", "sql server", "ml"]
Found = tuple[tuple[int, int], str, tuple[str, ...]]
POOL_OWN = ["azure billing engine", "react native web kit", "kafka streams pro", "go tools", "node", "ml ops"]


def scans(text: str, *, fold: bool, suffix: str) -> tuple[list[Found], list[Found]]:
    """What the vocabulary's and the pool's sets scanned together find, and what one set of all the terms finds."""
    terms = {term: (term,) for term in VOCABULARY}
    extra = {term: (term,) for term in POOL_OWN}
    together = TermPattern(
        TermSet.compile(terms, fold=fold, suffix=suffix), TermSet.compile(extra, fold=fold, suffix=suffix), fold=fold
    )
    one = TermPattern(TermSet.compile({**terms, **extra}, fold=fold, suffix=suffix), fold=fold)
    found = [(match.span(), match.group(), keys) for match, keys in together.scan(text)]
    return found, [(match.span(), match.group(), keys) for match, keys in one.scan(text)]


@pytest.mark.parametrize(
    "text",
    [
        "Azure Billing Engine on Azure",
        "React Native Web Kit, React Native and React 18",
        "Kafka Streams Pro or plain Kafka 3.5",
        "Go tools for Go; Node.js and node",
        "ML Ops with ML, C# and SQL Server 2022",
        "azure billing engines azure-billing engine",
        "",
    ],
)
def test_two_sets_find_what_one_regex_finds(text: str) -> None:
    for fold, suffix in ((True, VERSION), (False, VERSION), (True, PLURAL)):
        found, expected = scans(text, fold=fold, suffix=suffix)
        assert found == expected
    assert scans(text, fold=True, suffix=VERSION)[0] or not text


def test_two_sets_find_what_one_regex_finds_in_random_text() -> None:
    rng = random.Random(8)
    words = [*VOCABULARY, *POOL_OWN, "and", "with", "3", "v2", "s", "billing", "engine", "native", "web"]
    glue = [" ", ", ", "/", "-", ".", " (", ") ", "+", "#", "s "]
    for _ in range(500):
        text = "".join(rng.choice(words).title() + rng.choice(glue) for _ in range(rng.randint(1, 9)))
        for fold, suffix in ((True, VERSION), (False, PLURAL)):
            found, expected = scans(text, fold=fold, suffix=suffix)
            assert found == expected, text


def test_a_pattern_of_no_sets_finds_nothing() -> None:
    assert list(TermPattern(TermSet.compile({}, fold=True, suffix=VERSION), fold=True).scan("Azure")) == []
