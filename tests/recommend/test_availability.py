"""Levels break ties between equal fits; with a start day, nobody busy ranks above someone free who covers as
much; every answer says when its developers are free."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from bestdev.pool import Pool
from bestdev.recommend.factory import build_recommender
from bestdev.recommend.local import LocalRecommender
from bestdev.settings import Settings
from tests.fakes.openai_model import FakeModel, Reply

START = date(2027, 3, 1)
STACK = "A Go service on Kubernetes, provisioned with Terraform"


def pool_of(*developers: dict[str, Any]) -> Pool:
    return Pool.model_validate({"company": "X", "developers": list(developers)})


def dev(name: str, skills: list[Any], **availability: Any) -> dict[str, Any]:
    return {"name": name, "skills": skills, **availability}


async def test_a_higher_level_ranks_ahead_between_equal_fits_and_shows() -> None:
    local = LocalRecommender(
        pool_of(
            dev("Ann", [{"name": "Go", "level": 2}]),
            dev("Ben", ["Go"]),
            dev("Cid", [{"name": "Go", "level": 5}]),
        )
    )
    outcome = await local.recommend("A Go service", 3)
    assert [item.name for item in outcome.recommendations] == ["Cid", "Ben", "Ann"]
    assert [item.levels for item in outcome.recommendations] == [(("Go", 5),), (), (("Go", 2),)]
    best = await local.recommend("A Go service", 1)
    assert [item.name for item in best.recommendations] == ["Cid"]


async def test_a_level_never_outranks_a_better_fit() -> None:
    local = LocalRecommender(pool_of(dev("Ann", ["Go", "Kubernetes"]), dev("Ben", [{"name": "Go", "level": 5}])))
    outcome = await local.recommend("Go on Kubernetes", 2)
    assert [item.name for item in outcome.recommendations] == ["Ann", "Ben"]


BOOKED = {"available_from": "2027-06-01", "allocation": 100}
POOL = pool_of(
    dev("Ann", ["Go", "Kubernetes"], **BOOKED),
    dev("Ben", ["Go", "Kubernetes"]),
    dev("Cid", ["Go"], available_from="2027-02-01"),
    dev("Dan", ["Go", "Kubernetes", "Terraform"], **BOOKED),
    dev("Eve", ["Go"], allocation=100),
)


async def test_with_a_start_day_the_free_rank_ahead_of_the_busy_who_cover_no_more() -> None:
    local = LocalRecommender(POOL)
    without = await local.recommend(STACK, 5)
    assert [item.name for item in without.recommendations] == ["Dan", "Ann", "Ben", "Cid", "Eve"]
    assert {item.free for item in without.recommendations} == {None}
    outcome = await local.recommend(STACK, 5, START)
    assert [item.name for item in outcome.recommendations] == ["Dan", "Ben", "Ann", "Cid", "Eve"]
    free = {item.name: item.free for item in outcome.recommendations}
    assert free == {"Dan": False, "Ben": True, "Ann": False, "Cid": True, "Eve": False}
    ann = outcome.recommendations[2]
    assert (ann.available_from, ann.allocation) == (date(2027, 6, 1), 100)
    top = await local.recommend(STACK, 2, START)
    assert [item.name for item in top.recommendations] == ["Dan", "Ben"]
    assert [item.name for item in (await local.recommend(STACK, 5, date(2027, 6, 1))).recommendations][:3] == [
        "Dan",
        "Ann",
        "Ben",
    ]


@pytest.mark.parametrize("top_k", [3, 10])
async def test_nobody_busy_ranks_above_someone_free_who_covers_as_much(pool: Pool, top_k: int) -> None:
    """Half the sample pool booked, across descriptions of every kind: the rule holds for every pair."""
    booked = [
        {**developer.document(), "available_from": "2027-09-01", "allocation": 100}
        if index % 2
        else developer.document()
        for index, developer in enumerate(pool.developers)
    ]
    local = LocalRecommender(Pool.model_validate({"company": pool.company, "developers": booked}))
    descriptions = [
        "React Native app with Firebase",
        "Python data pipelines on Azure with Databricks and Power BI",
        "Kubernetes, Terraform, Go and PostgreSQL",
        "TypeScript frontend, Node.js API, PostgreSQL",
        "C# .NET backend on Azure Functions with Service Bus",
    ]
    checked = 0
    for description in descriptions:
        ranked = (await local.recommend(description, top_k, START)).recommendations
        everyone = (await local.recommend(description, len(pool.developers), START)).recommendations
        assert [item.name for item in ranked] == [item.name for item in everyone[:top_k]]
        for position, item in enumerate(everyone):
            for later in everyone[position + 1 :]:
                if not item.free and later.free:
                    checked += 1
                    assert (later.coverage or 0) < (item.coverage or 0), (description, item.name, later.name)
    assert checked > 0


async def test_a_team_takes_the_free_one_of_equal_profiles_and_says_when_each_is_free() -> None:
    local = LocalRecommender(POOL)
    team = await local.team("A Go service on Kubernetes", 2, START)
    assert [(member.name, member.free) for member in team.members] == [("Ben", True)]
    booked = await local.team("A Go service on Kubernetes", 2)
    assert [(m.name, m.available_from, m.allocation, m.free) for m in booked.members] == [
        ("Ann", date(2027, 6, 1), 100, None)
    ]


async def test_the_model_s_pick_stays_first_unless_busy_and_someone_free_covers_as_much(
    model_settings: Callable[..., Settings], fake_model: FakeModel
) -> None:
    model = build_recommender(model_settings(), POOL)
    try:
        fake_model.script(Reply.answer(" Ann, because they have experience with Go and Kubernetes.<END_OUTPUT>"))
        without = await model.recommend(STACK, 3)
        assert [item.name for item in without.recommendations] == ["Ann", "Dan", "Ben"]
        fake_model.script(Reply.answer(" Ann, because they have experience with Go and Kubernetes.<END_OUTPUT>"))
        outcome = await model.recommend(STACK, 3, START)
        assert outcome.backend == "azure-openai"
        # Ann, busy, goes after Ben, free with her coverage; Dan, busy too, covers more than anyone free
        assert [(item.name, item.free) for item in outcome.recommendations] == [
            ("Dan", False),
            ("Ben", True),
            ("Ann", False),
        ]
        fake_model.script(Reply.answer(" Ann, because they have experience with Go and Kubernetes.<END_OUTPUT>"))
        team = await model.team(STACK, 2, START)
        assert team.members[0].name == "Ann"  # the model's pick ...
        assert team.members[0].free is False  # ... said to be busy
    finally:
        await model.aclose()
