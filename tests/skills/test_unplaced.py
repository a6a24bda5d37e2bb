"""What a text names that the reading could not place: skills items, names listed with technologies, near misses."""

import pytest

from bestdev.skills.matcher import SkillMatcher
from bestdev.skills.unplaced import Unplaced
from bestdev.skills.vocabulary import load_vocabulary


@pytest.fixture(scope="module")
def matcher() -> SkillMatcher:
    return SkillMatcher(load_vocabulary())


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Kubernets operator", [Unplaced("Kubernets", "Kubernetes")]),
        ("Our stack: Gleam, Kafka and DB2", [Unplaced("Gleam"), Unplaced("DB2")]),
        ("A linter plugin\n\nRecommended skills: Kotlin, Gradle, Detekt", [Unplaced("Detekt")]),
        ("Recommended skills: Go, teamwork", [Unplaced("teamwork")]),
        ("Write it in Terraform and Ansibel", [Unplaced("Ansibel", "Ansible")]),
    ],
)
def test_what_is_named_but_unknown_is_reported(matcher: SkillMatcher, text: str, expected: list[Unplaced]) -> None:
    assert matcher.read(text).unrecognised == expected


@pytest.mark.parametrize(
    "text",
    [
        "We go live in May with Python.",  # an ordinary word, placed as one
        "Pythons and Dockers everywhere",  # inflections are no near misses
        "a scalar value in Java",  # an ordinary lower-case word near "Scala"
        "The team, in Helsinki, builds it with React",  # a capitalised word not listed with a technology
        "See https://example.org/Kubernets for more",  # web addresses are not read
    ],
)
def test_ordinary_words_are_not_reported(matcher: SkillMatcher, text: str) -> None:
    assert matcher.read(text).unrecognised == []


def test_a_near_miss_is_worked_out_once_per_word(matcher: SkillMatcher) -> None:
    unplacer = matcher._unplacer
    assert unplacer.suggestion("Kubernets") == "Kubernetes"
    assert "kubernets" in unplacer._near
