"""Staffing a project: the smallest team covering the most must-haves, then the most of the rest."""

from __future__ import annotations

import asyncio
import itertools
import random

import pytest

from bestdev.pool import Developer, Pool, Project
from bestdev.recommend import team as team_module
from bestdev.recommend.base import Team
from bestdev.recommend.explain import Checklist
from bestdev.recommend.local import LocalRecommender
from bestdev.recommend.skill_index import knowledge

FOUR_PEOPLE = "React Native app, Go gRPC backend on Kubernetes, Terraform, Power BI reports"


def staffed(local: LocalRecommender, description: str, max_size: int = 4) -> Team:
    return asyncio.run(local.team(description, max_size))


def assert_members_hold_what_they_cover(local: LocalRecommender, team: Team) -> None:
    concepts = {item.technology for item in team.understood if item.via == "concept"}
    for member in team.members:
        developer = local.pool.find(member.name)
        assert developer is not None
        held = knowledge(developer, local.matcher)
        assert member.covers, member
        for name in member.covers:
            assert name in concepts or local.matcher.canonical(name) in held, (member, name)


def test_a_stack_spanning_four_people_is_covered_by_at_most_four(local: LocalRecommender) -> None:
    team = staffed(local, FOUR_PEOPLE)
    covered = [name for member in team.members for name in member.covers]
    assert sorted(covered) == sorted(item.technology for item in team.understood)
    assert len(covered) == len(set(covered)), "each requirement is one member's"
    assert len(team.members) <= 4
    assert (team.uncovered, team.left_out, team.exact, team.message) == ((), (), True, None)
    assert_members_hold_what_they_cover(local, team)


def test_one_developer_holding_everything_is_the_whole_team(local: LocalRecommender) -> None:
    team = staffed(local, "A React Native app with Firebase")
    assert [(member.name, member.covers) for member in team.members] == [("Chen Wei", ("React Native", "Firebase"))]


def test_a_smaller_limit_says_what_it_leaves_out(local: LocalRecommender) -> None:
    team = staffed(local, FOUR_PEOPLE, max_size=2)
    assert len(team.members) == 2
    assert len(team.left_out) == 6 - sum(len(member.covers) for member in team.members)
    assert team.message == f"A team of 2 people cannot also cover {' and '.join(team.left_out)}."


def test_what_nobody_holds_is_uncovered(local: LocalRecommender) -> None:
    team = staffed(local, "Svelte and Supabase frontend, Kafka streams")
    assert team.uncovered == ("Svelte", "Supabase")
    assert "Kafka" in {name for member in team.members for name in member.covers}
    assert team.message is not None
    assert team.message.startswith("Nobody in the pool lists Svelte or Supabase.")


def test_nothing_read_is_an_empty_team_with_a_message(local: LocalRecommender) -> None:
    team = staffed(local, "Someone friendly, please")
    assert (team.members, team.uncovered, team.understood) == ((), (), ())
    assert team.message is not None
    assert "No technologies were recognised" in team.message


def person(name: str, *skills: str) -> Developer:
    return Developer(name=name, skills=list(skills), projects=[Project(name="Work", technologies=list(skills[:1]))])


def test_must_haves_come_before_any_number_of_others() -> None:
    pool = Pool(
        company="Musts",
        developers=[person("Ada Broad", "Redis", "Kafka", "Docker"), person("Bea Must", "Python")],
    )
    local = LocalRecommender(pool)
    team = staffed(local, "Python is required. We also use Redis, Kafka and Docker.", max_size=1)
    assert [member.name for member in team.members] == ["Bea Must"]
    assert team.left_out == ("Redis", "Kafka", "Docker")


def test_the_same_pool_in_any_order_gives_the_same_team(pool: Pool) -> None:
    shuffled = list(pool.developers)
    random.Random(3).shuffle(shuffled)
    teams = [
        staffed(LocalRecommender(Pool(company=pool.company, developers=developers)), FOUR_PEOPLE)
        for developers in (pool.developers, shuffled)
    ]
    assert teams[0] == teams[1]


TECHNOLOGIES = ["Python", "Java", "Kafka", "Redis", "Docker", "Terraform", "Go", "PostgreSQL"]


def random_pool(seed: int) -> Pool:
    rng = random.Random(seed)
    developers = [
        person(f"Dev {number:02d}", *rng.sample(TECHNOLOGIES, rng.randint(1, 3)))
        for number in range(rng.randint(3, 14))
    ]
    return Pool(company=f"Random {seed}", developers=developers)


def brute_force(
    checklist: Checklist, size: int, max_size: int, first: int | None = None
) -> tuple[tuple[int, ...], int]:
    """The best (covered per tier, most first) and, for it, the fewest members, over every team (with `first`)."""
    best: tuple[tuple[int, ...], int] = ((-1,), 0)
    for count in range(1, max_size + 1):
        for team in itertools.combinations(range(size), count):
            if first is not None and first not in team:
                continue
            covered = [number for number, mask in enumerate(checklist.held) if any(mask >> bit & 1 for bit in team)]
            value = tuple(sum(1 for number in covered if checklist.tiers[number] == tier) for tier in (2, 1, 0))
            if value > best[0]:
                best = (value, count)
    return best


@pytest.mark.parametrize("seed", range(12))
@pytest.mark.parametrize("forced", [False, True])
def test_the_search_is_exact_against_every_possible_team(seed: int, forced: bool) -> None:
    pool = random_pool(seed)
    local = LocalRecommender(pool)
    rng = random.Random(seed)
    named = rng.sample(TECHNOLOGIES, 6)
    description = f"{named[0]} is required. The stack: {', '.join(named[1:4])}. {named[4]} would be nice to have."
    max_size = rng.randint(1, 3)
    reading = local.read(description)
    checklist = Checklist.of(reading, local.index)
    first = local.index.bit(rng.randrange(len(pool.developers))) if forced else None
    found = team_module.search(reading, local.index, checklist, max_size, first)
    if first is not None:
        assert found.bits[0] == first  # the model's pick leads the team
    covered = 0
    for covers in found.covers:
        covered |= covers
    value = tuple(
        sum(1 for number in range(len(checklist.held)) if covered >> number & 1 and checklist.tiers[number] == tier)
        for tier in (2, 1, 0)
    )
    assert (value, len(found.bits)) == brute_force(checklist, len(pool.developers), max_size, first)
    assert found.exact
    for bit, covers in zip(found.bits, found.covers, strict=True):
        assert all(checklist.held[number] >> bit & 1 for number in range(len(checklist.held)) if covers >> number & 1)


def test_a_bounded_search_says_so_and_stays_grounded(local: LocalRecommender, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(team_module, "MAX_PROFILES", 2)
    monkeypatch.setattr(team_module, "PER_REQUIREMENT", 1)
    team = staffed(local, FOUR_PEOPLE)
    assert not team.exact
    assert_members_hold_what_they_cover(local, team)
    covered = {name for member in team.members for name in member.covers}
    assert covered | set(team.left_out) == {item.technology for item in team.understood}


def test_a_chosen_first_member_leads_even_holding_nothing_read(local: LocalRecommender) -> None:
    """The model's grounded pick leads the team; when the strict reading finds nothing they hold, its reason shows."""
    position = local.pool.position("Emma Johansson")
    grounded = "They have experience with Power BI, which is relevant to the project."
    team = team_module.staff(
        local.read("Go gRPC backend"), local.index, local.pool, 3, "azure-openai", position, grounded
    )
    assert [(member.name, member.covers, member.reason) for member in team.members] == [
        ("Emma Johansson", (), grounded),
        (
            "Mikko Heikkinen",
            ("Go", "gRPC"),
            "They have experience with Go and gRPC, which are relevant to the project.",
        ),
    ]
