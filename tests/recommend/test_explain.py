"""What was read, what each developer lacks, how much they cover, and who comes closest when nobody fits."""

from __future__ import annotations

import pytest

from bestdev.pool import Developer, Pool, Project
from bestdev.recommend.explain import WEIGHTS, Checklist
from bestdev.recommend.local import LocalRecommender
from bestdev.recommend.skill_index import knowledge

JAVA = "Java, Spring Boot, Kafka and a Postgres database"
TIERED = "Python is required. We also use Redis. Docker would be nice to have."


def lacks(local: LocalRecommender, name: str, technologies: list[str]) -> list[str]:
    """The technologies (canonical names) the pool does not list for `name`, checked against the pool itself."""
    developer = local.pool.find(name)
    assert developer is not None
    held = knowledge(developer, local.matcher)
    return [technology for technology in technologies if local.matcher.canonical(technology) not in held]


def test_understood_lists_what_was_read_in_order_of_appearance(local: LocalRecommender) -> None:
    outcome = local.outcome(JAVA, 3)
    assert [(item.technology, item.text, item.weight, item.via) for item in outcome.understood] == [
        ("Java", "Java", "normal", "name"),
        ("Spring Boot", "Spring Boot", "normal", "name"),
        ("Kafka", "Kafka", "normal", "name"),
        ("PostgreSQL", "Postgres", "normal", "alias"),
    ]


def test_understood_marks_must_haves_nice_to_haves_and_concepts(local: LocalRecommender) -> None:
    outcome = local.outcome("A machine learning platform. Must have Python; Docker is nice to have.", 3)
    read = {item.technology: (item.weight, item.via) for item in outcome.understood}
    assert read == {"machine learning": ("normal", "concept"), "Python": ("must", "name"), "Docker": ("nice", "name")}


def test_missing_names_exactly_what_each_developer_lacks(local: LocalRecommender) -> None:
    outcome = local.outcome(JAVA, 3)
    technologies = [item.technology for item in outcome.understood]
    assert len(outcome.recommendations) == 3
    for item in outcome.recommendations:
        assert list(item.missing) == lacks(local, item.name, technologies), item
    second, third = outcome.recommendations[1:]
    assert second.missing
    assert third.missing
    assert second.coverage is not None
    assert third.coverage is not None
    assert 0 < third.coverage <= second.coverage < 1


def test_a_developer_holding_everything_named_covers_one(local: LocalRecommender) -> None:
    first = local.outcome("A React Native app with Firebase", 3).recommendations[0]
    assert (first.name, first.missing, first.coverage) == ("Chen Wei", (), 1.0)


@pytest.mark.parametrize(
    "description",
    [JAVA, "React Native app, Go gRPC backend on Kubernetes, Terraform, Power BI reports", "Python and SQL"],
)
def test_coverage_is_one_exactly_when_nothing_is_missing(local: LocalRecommender, description: str) -> None:
    for item in local.outcome(description, 10).recommendations:
        assert item.coverage is not None
        assert 0 <= item.coverage <= 1
        assert (item.coverage == 1.0) == (not item.missing), item


def developer(name: str, *skills: str) -> Developer:
    return Developer(name=name, skills=list(skills), projects=[Project(name="Work", technologies=list(skills[:1]))])


def test_coverage_weighs_must_haves_over_others_over_nice_to_haves() -> None:
    pool = Pool(
        company="Tiers",
        developers=[
            developer("Mia Must", "Python"),
            developer("Nora Normal", "Redis"),
            developer("Nils Nice", "Docker"),
        ],
    )
    local = LocalRecommender(pool)
    outcome = local.outcome(TIERED, 3)
    assert [item.weight for item in outcome.understood] == ["must", "normal", "nice"]
    total = WEIGHTS["must"] + WEIGHTS["normal"] + WEIGHTS["nice"]
    checklist = Checklist.of(local.read(TIERED), local.index)
    coverage = {
        person.name: checklist.coverage(local.index.bit(position)) for position, person in enumerate(pool.developers)
    }
    assert coverage == {
        "Mia Must": round(WEIGHTS["must"] / total, 4),
        "Nora Normal": round(WEIGHTS["normal"] / total, 4),
        "Nils Nice": round(WEIGHTS["nice"] / total, 4),
    }
    assert outcome.recommendations[0].name == "Mia Must"
    assert outcome.recommendations[0].coverage == coverage["Mia Must"]


def test_nobody_fits_names_what_nobody_has_and_the_closest_people(local: LocalRecommender) -> None:
    outcome = local.outcome("A Svelte frontend with Supabase", 3)
    assert outcome.recommendations == ()
    assert outcome.message == "Nobody in the pool lists Svelte or Supabase."
    assert 0 < len(outcome.closest) <= 3
    for person in outcome.closest:
        assert {"Svelte", "Supabase"} <= set(person.missing)
        assert person.reason.startswith("Not a fit: lacks Svelte and Supabase.")
        assert person.holds
        assert person.coverage < 1
        developer_ = local.pool.find(person.name)
        assert developer_ is not None
        assert set(person.holds) <= {*developer_.skills, *developer_.experience}


def test_closest_hold_the_rest_when_nobody_holds_a_must_have(local: LocalRecommender) -> None:
    outcome = local.outcome("Svelte is a must. The backend uses Kafka.", 3)
    assert outcome.recommendations == ()
    assert outcome.message == "Nobody in the pool lists Svelte."
    assert outcome.closest
    for person in outcome.closest:
        assert person.holds == ("Kafka",)
        assert person.missing == ("Svelte",)
        assert person.coverage == round(WEIGHTS["normal"] / (WEIGHTS["must"] + WEIGHTS["normal"]), 4)


def test_closest_is_empty_when_someone_fits(local: LocalRecommender) -> None:
    assert local.outcome(JAVA, 3).closest == ()


def test_nothing_read_gives_nothing_to_explain(local: LocalRecommender) -> None:
    outcome = local.outcome("We need someone nice for our team", 3)
    assert outcome.understood == ()
    assert outcome.closest == ()
    assert outcome.message
