"""What a text names that the reading could not place: skills items, names listed with technologies, near misses."""

import pytest

from bestdev.skills.matcher import SkillMatcher
from bestdev.skills.unplaced import Unplaced


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


@pytest.mark.parametrize(
    ("text", "read"),
    [
        ("Recommended skills: Kubernets, Pyhton", {"kubernetes": "Kubernets", "python": "Pyhton"}),
        ("Required skills: Kuberentes and Terrafrom", {"kubernetes": "Kuberentes", "terraform": "Terrafrom"}),
        ("Skills required:\n- Elasticsaerch\n- Go", {"elasticsearch": "Elasticsaerch", "go": "Go"}),
    ],
)
def test_a_misspelt_skills_item_is_read_as_the_technology_and_says_so(
    matcher: SkillMatcher, text: str, read: dict[str, str]
) -> None:
    found = matcher.read(text)
    assert {mention.key: mention.text for mention in found.strict if not mention.related} == read
    assert {mention.key for mention in found.strict if mention.via == "spelling"} == {
        key for key, written in read.items() if written.lower() != key
    }
    assert found.unrecognised == []


@pytest.mark.parametrize(
    ("text", "unrecognised"),
    [
        ("A Kubernets operator", [Unplaced("Kubernets", "Kubernetes")]),  # in prose it is only suggested
        ("Recommended skills: OpenAPI, Go", [Unplaced("OpenAPI", "OpenAI API")]),  # capitals inside: a name
        ("Recommended skills: Dockr, Go", [Unplaced("Dockr", "Docker")]),  # too short to be sure
        ("Recommended skills: Testing, Go", [Unplaced("Testing")]),  # not near any name
    ],
)
def test_a_near_miss_is_only_suggested_where_it_is_not_beyond_doubt(
    matcher: SkillMatcher, text: str, unrecognised: list[Unplaced]
) -> None:
    found = matcher.read(text)
    assert not [mention for mention in found.strict if mention.via == "spelling"]
    assert found.unrecognised == unrecognised


def test_a_misspelling_close_to_two_technologies_is_not_read_as_either() -> None:
    from bestdev.skills.unplaced import Unplacer

    unplacer = Unplacer({"cassandra": "Cassandra", "cassandre": "Cassandre"})
    assert unplacer.misspelt("Skills: Cassandrx", [], [(8, 17)]) == []
    assert unplacer.misspelt("Skills: Casandra", [], [(8, 16)]) == []  # one letter off one, two off the other
    alone = Unplacer({"cassandra": "Cassandra"})
    assert alone.misspelt("Skills: Casandra", [], [(8, 16)]) == [(8, 16, "cassandra")]


@pytest.mark.parametrize(
    ("one", "other", "limit", "expected"),
    [("pyhton", "python", 2, 1), ("kubernets", "kubernetes", 2, 1), ("docker", "python", 2, 3), ("go", "go", 1, 0)],
)
def test_edits_counts_a_swap_of_neighbours_as_one(one: str, other: str, limit: int, expected: int) -> None:
    from bestdev.skills.unplaced import edits

    assert edits(one, other, limit) == expected


def test_a_misspelling_is_worked_out_once_per_word(matcher: SkillMatcher) -> None:
    unplacer = matcher._unplacer
    assert unplacer.misspelt("Skills: Kubernets", [], [(8, 17)]) == [(8, 17, "kubernetes")]
    assert unplacer._spelt["kubernets"] == "kubernetes"
