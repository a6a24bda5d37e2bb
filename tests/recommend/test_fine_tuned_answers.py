"""Grounding, exactly: how many developers come back, in which order, with which fault when the pool says no.

Real openai SDK -> real HTTP -> the fake model on 127.0.0.1, as in test_fine_tuned.py; here each outcome is
compared with what the pool itself says (the local ranking), not just checked for a shape.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

import pytest

from bestdev import template
from bestdev.model.client import build_client
from bestdev.model.faults import ModelFault
from bestdev.model.fine_tuned import FineTunedModel
from bestdev.pool import Pool
from bestdev.recommend.factory import rebuild_recommender
from bestdev.recommend.fine_tuned import FineTunedRecommender
from bestdev.recommend.local import LocalRecommender
from bestdev.settings import Settings
from tests.fakes.openai_model import FakeModel, Reply
from tests.grounding import assert_grounded

PYTHON_SQL = "Python and SQL services"
REACT_NATIVE = "A React Native app with Firebase for a coffee chain"


def names(outcome: object) -> list[str]:
    return [item.name for item in outcome.recommendations]  # type: ignore[attr-defined]


@pytest.mark.parametrize("top_k", [1, 2, 3, 5, 10])
async def test_exactly_top_k_come_back_the_pick_first_then_the_pools_ranking(
    recommender: Callable[..., FineTunedRecommender], fake_model: FakeModel, local: LocalRecommender, top_k: int
) -> None:
    ranked = local.outcome(PYTHON_SQL, 20).recommendations
    ranking = [item.name for item in ranked]
    assert len(ranking) > 10
    pick = ranking[3]  # in the pool's ranking, but not its first choice; it claims what the pool lists for them
    fake_model.script(Reply.answer(f" {pick}, because {template.reason(ranked[3].matched_skills).lower()}"))
    outcome = await recommender().recommend(PYTHON_SQL, top_k)
    assert outcome.backend == "azure-openai"
    assert outcome.model == "bestdev-ft"
    assert names(outcome) == [pick, *[name for name in ranking if name != pick][: top_k - 1]]
    for item in outcome.recommendations:
        assert_grounded(local, item.name, item.matched_skills, item.reason)


async def test_fewer_come_back_only_when_fewer_fit(
    recommender: Callable[..., FineTunedRecommender], fake_model: FakeModel, local: LocalRecommender
) -> None:
    fake_model.script(Reply.answer(" Oskar Nilsson, because they know Firebase."))
    outcome = await recommender().recommend(REACT_NATIVE, 5)
    assert names(outcome) == ["Oskar Nilsson", "Chen Wei", "Sofia Rossi"]
    assert sorted(names(outcome)) == sorted(names(local.outcome(REACT_NATIVE, 5)))


@pytest.mark.parametrize("top_k", [1, 3])
async def test_nobody_fits_is_refused_when_the_pool_has_someone_even_for_top_k_1(
    recommender: Callable[..., FineTunedRecommender], fake_model: FakeModel, top_k: int
) -> None:
    fake_model.default = Reply.answer(f" {template.NO_MATCH}: {template.no_match_reason()}")
    try:
        outcome = await recommender().recommend(REACT_NATIVE, top_k)
        assert outcome.backend == "local"
        assert outcome.fallback_reason == "the model said nobody fits, but the pool has developers with matching skills"
        assert names(outcome) == ["Chen Wei", "Oskar Nilsson", "Sofia Rossi"][:top_k]
        with pytest.raises(ModelFault) as caught:
            await recommender(BESTDEV_FALLBACK="none").recommend(REACT_NATIVE, top_k)
        assert caught.value.cause == "ungrounded"
    finally:
        fake_model.default = Reply.answer(" Chen Wei.")


@pytest.mark.parametrize("top_k", [1, 3])
async def test_nobody_fits_is_kept_when_the_pool_agrees(
    recommender: Callable[..., FineTunedRecommender], fake_model: FakeModel, local: LocalRecommender, top_k: int
) -> None:
    fake_model.script(Reply.answer(f" {template.NO_MATCH}: {template.no_match_reason()}"))
    outcome = await recommender().recommend("A mainframe batch system in COBOL", top_k)
    assert outcome.recommendations == ()
    assert outcome.backend == "azure-openai"
    assert outcome.model == "bestdev-ft"
    assert outcome.fallback_reason is None
    assert outcome.message == local.outcome("A mainframe batch system in COBOL", top_k).message


BOTH = ("React Native", "Firebase")


@pytest.mark.parametrize(
    ("answer", "shown"),
    [
        (" Chen Wei. Because they have experience with React Native and Firebase.", BOTH),
        (" Chen Wei BECAUSE they have experience with React Native and Firebase", BOTH),
        (" Chen Wei, because they know React Native, because they built Firebase apps.", BOTH),
        (" Chen Wei.", BOTH),
        ("   chen   wei ,   because   they know React Native.  ", ("React Native",)),
        (" CHEN WEI: because React Native", ("React Native",)),
    ],
    ids=["full-stop-Because", "BECAUSE", "because-twice", "name-only", "extra-spaces", "upper-case-colon"],
)
async def test_answers_in_the_shapes_real_models_produce_are_grounded(
    recommender: Callable[..., FineTunedRecommender],
    fake_model: FakeModel,
    local: LocalRecommender,
    answer: str,
    shown: tuple[str, ...],
) -> None:
    """The pick is shown with the pool's names for what the answer claims (all it holds that is asked for, when
    it claims nothing)."""
    fake_model.script(Reply.answer(answer))
    outcome = await recommender().recommend(REACT_NATIVE, 2)
    assert outcome.backend == "azure-openai"
    assert outcome.fallback_reason is None
    assert names(outcome) == ["Chen Wei", "Oskar Nilsson"]
    pick = outcome.recommendations[0]
    assert pick.matched_skills == shown
    assert pick.reason == template.reason(shown)
    assert_grounded(local, pick.name, pick.matched_skills, pick.reason)


@pytest.mark.parametrize(
    ("answer", "cause", "message"),
    [
        (
            " Mallory Evil, because she knows React Native.",
            "not_in_pool",
            "the model named someone who is not in the pool",
        ),
        (
            " Kim Kimsson, because they know React Native.",
            "ungrounded",
            "the model claimed React Native for Kim Kimsson, which the pool does not list for them",
        ),
        (" Kim Kimsson.", "ungrounded", "the model picked Kim Kimsson, whom the pool lists with none of these skills"),
        (
            "I am sorry, I cannot help with recommending anyone for this particular request today",
            "unparsable",
            "the model's answer did not name a developer",
        ),
    ],
)
async def test_an_answer_the_pool_does_not_back_falls_back_saying_why(
    recommender: Callable[..., FineTunedRecommender],
    fake_model: FakeModel,
    caplog: pytest.LogCaptureFixture,
    answer: str,
    cause: str,
    message: str,
) -> None:
    fake_model.default = Reply.answer(answer)
    try:
        with caplog.at_level(logging.WARNING, logger="bestdev.recommend.fine_tuned"):
            outcome = await recommender().recommend(REACT_NATIVE, 2)
        assert (outcome.backend, outcome.fallback_reason) == ("local", message)
        assert names(outcome) == ["Chen Wei", "Oskar Nilsson"]
        assert [record.getMessage() for record in caplog.records] == [
            f"model fault ({cause}), answering locally: {message}"
        ]
        caplog.clear()
        with (
            caplog.at_level(logging.WARNING, logger="bestdev.recommend.fine_tuned"),
            pytest.raises(ModelFault) as caught,
        ):
            await recommender(BESTDEV_FALLBACK="none").recommend(REACT_NATIVE, 2)
        assert (caught.value.cause, caught.value.message) == (cause, message)
        assert [record.getMessage() for record in caplog.records] == [
            f"model fault ({cause}), answering with an error: {message}"
        ]
    finally:
        fake_model.default = Reply.answer(" Chen Wei.")


async def test_the_log_carries_what_the_service_said(
    recommender: Callable[..., FineTunedRecommender], fake_model: FakeModel, caplog: pytest.LogCaptureFixture
) -> None:
    fake_model.script(Reply.error(500, message="boom"))
    with caplog.at_level(logging.WARNING, logger="bestdev.recommend.fine_tuned"):
        outcome = await recommender(BESTDEV_MODEL_MAX_RETRIES=0).recommend(REACT_NATIVE, 1)
    assert outcome.fallback_reason == "the model service failed (500)"
    assert [record.getMessage() for record in caplog.records] == [
        "model fault (unavailable), answering locally: the model service failed (500) "
        "[500 from the service; it said: 'boom'; 1 call]"
    ]


async def test_the_model_status_is_the_models(
    recommender: Callable[..., FineTunedRecommender], fake_model: FakeModel
) -> None:
    chosen = recommender(BESTDEV_MODEL_MAX_RETRIES=0, BESTDEV_MODEL_BREAKER_FAILURES=1)
    assert chosen.model_status() == chosen.model.status()  # type: ignore[attr-defined]
    assert chosen.model_status().state == "available"
    fake_model.script(Reply.error(500))
    await chosen.recommend(REACT_NATIVE, 1)
    status = chosen.model_status()
    assert status == chosen.model.status()  # type: ignore[attr-defined]
    assert status.state == "backing_off"


async def test_the_default_is_to_fall_back_and_closing_closes_the_model(
    model_settings: Callable[..., Settings],
    fake_model: FakeModel,
    local: LocalRecommender,
    caplog: pytest.LogCaptureFixture,
) -> None:
    settings = model_settings()
    model = FineTunedModel(build_client(settings), settings)
    chosen = FineTunedRecommender(model, local)
    fake_model.script(Reply.answer(" Mallory Evil, because she knows React Native."))
    with caplog.at_level(logging.WARNING, logger="bestdev.recommend.fine_tuned"):
        outcome = await chosen.recommend(REACT_NATIVE, 1)
    assert (outcome.backend, names(outcome)) == ("local", ["Chen Wei"])
    assert [record.getMessage() for record in caplog.records] == [
        "model fault (not_in_pool), answering locally: the model named someone who is not in the pool"
    ]
    await chosen.aclose()
    assert model.client.is_closed()


@pytest.mark.parametrize(
    "answer",
    [
        " Chen Wei, because they have experience with React Native, which is relevant to the project.",
        " Nobody, because they know COBOL.",  # not in the pool: the local answer, from the same reading
        f" {template.NO_MATCH}: {template.no_match_reason()}",  # refused: the pool has someone
    ],
)
async def test_the_description_is_read_once_per_request_whatever_the_model_says(
    recommender: Callable[..., FineTunedRecommender],
    fake_model: FakeModel,
    monkeypatch: pytest.MonkeyPatch,
    answer: str,
) -> None:
    chosen = recommender()
    reads: list[str] = []
    read = chosen.local.matcher.read
    monkeypatch.setattr(chosen.local.matcher, "read", lambda text, **kw: reads.append(text) or read(text, **kw))
    fake_model.script(Reply.answer(answer), Reply.answer(answer))
    outcome = await chosen.recommend(REACT_NATIVE, 3)
    assert outcome.recommendations
    team = await chosen.team(REACT_NATIVE, 2)
    assert team.members
    assert reads.count(REACT_NATIVE) == 2  # once for the recommendation, once for the team


async def test_a_model_served_on_this_machine_is_named_local_model_and_keeps_that_name_for_a_new_pool(
    recommender: Callable[..., FineTunedRecommender], fake_model: FakeModel, local: LocalRecommender, pool: Pool
) -> None:
    ranked = local.outcome(PYTHON_SQL, 3).recommendations
    fake_model.script(Reply.answer(f" {ranked[0].name}, because {template.reason(ranked[0].matched_skills).lower()}"))
    served = recommender(BESTDEV_MODEL_BACKEND="local-model")
    outcome = await served.recommend(PYTHON_SQL, 3)
    assert outcome.backend == "local-model"
    assert outcome.recommendations[0].name == ranked[0].name
    rebuilt = rebuild_recommender(served, pool)
    assert isinstance(rebuilt, FineTunedRecommender)
    assert rebuilt.backend == "local-model"
    fake_model.script(Reply.answer(" Nobody Known, because they have experience with Python."))
    refused = await served.recommend(PYTHON_SQL, 3)
    assert refused.backend == "local"  # a refused pick is the local recommender's answer, whoever served the model
