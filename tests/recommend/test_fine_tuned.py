"""The fine-tuned path end to end: real openai SDK -> real HTTP -> fake model on 127.0.0.1."""

from __future__ import annotations

import socket
from collections.abc import Callable

import pytest

from bestdev import template
from bestdev.model.faults import ModelFault
from bestdev.pool import Pool
from bestdev.recommend.fine_tuned import FineTunedRecommender
from tests.fakes.credential import FakeCredential
from tests.fakes.openai_model import FakeModel, Reply

REACT_NATIVE = "A React Native app with Firebase for a coffee chain"
CHEN = " Chen Wei, because they have experience with React Native and Firebase.<END_OUTPUT>"


@pytest.mark.parametrize("api", ["chat", "completions"])
async def test_model_pick_comes_first_grounded_in_the_pool(
    recommender: Callable[..., FineTunedRecommender], fake_model: FakeModel, api: str
) -> None:
    fake_model.script(Reply.answer(CHEN))
    outcome = await recommender(BESTDEV_MODEL_API=api).recommend(REACT_NATIVE, 3)
    assert outcome.backend == "azure-openai"
    assert outcome.model == "bestdev-ft"
    assert outcome.fallback_reason is None
    assert outcome.recommendations[0].name == "Chen Wei"
    assert outcome.recommendations[0].matched_skills == ("React Native", "Firebase")
    assert len(outcome.recommendations) <= 3
    call = fake_model.calls[0]
    assert call.path.endswith("/chat/completions" if api == "chat" else "/completions")
    assert call.path.startswith("/openai/deployments/bestdev-ft/")
    assert call.body["stop"] == [template.STOP]
    assert call.body["temperature"] == 0
    assert call.prompt == template.prompt("Zure", REACT_NATIVE)
    assert call.headers["api-key"] == "test-key"
    if api == "chat":
        assert call.body["messages"][0] == {"role": "system", "content": template.SYSTEM_MESSAGE}


@pytest.mark.parametrize("api", ["chat", "completions"])
async def test_openai_compatible_server_over_plain_http(
    recommender: Callable[..., FineTunedRecommender], fake_model: FakeModel, fake_model_url: str, api: str
) -> None:
    fake_model.script(Reply.answer(CHEN))
    chosen = recommender(
        BESTDEV_MODEL_API=api, BESTDEV_MODEL_PROVIDER="openai-compatible", AZURE_OPENAI_ENDPOINT=f"{fake_model_url}/v1"
    )
    outcome = await chosen.recommend(REACT_NATIVE, 1)
    assert [r.name for r in outcome.recommendations] == ["Chen Wei"]
    assert fake_model.calls[0].path.startswith("/v1/")
    assert fake_model.calls[0].body["model"] == "bestdev-ft"


async def test_name_is_matched_without_case_or_diacritics(
    recommender: Callable[..., FineTunedRecommender], fake_model: FakeModel
) -> None:
    fake_model.script(Reply.answer(" olli makinen, because they know Kotlin."))
    outcome = await recommender().recommend("An Android app in Kotlin", 2)
    assert outcome.recommendations[0].name == "Olli Mäkinen"
    assert outcome.fallback_reason is None


async def test_the_model_can_reorder_but_the_rest_comes_from_the_pool(
    recommender: Callable[..., FineTunedRecommender], fake_model: FakeModel
) -> None:
    fake_model.script(Reply.answer(" Oskar Nilsson, because they have experience with Firebase."))
    outcome = await recommender().recommend(REACT_NATIVE, 3)
    assert [r.name for r in outcome.recommendations][:2] == ["Oskar Nilsson", "Chen Wei"]
    assert len({r.name for r in outcome.recommendations}) == len(outcome.recommendations)


async def test_hallucinated_skills_are_never_attributed(
    recommender: Callable[..., FineTunedRecommender], fake_model: FakeModel, pool: Pool
) -> None:
    fake_model.script(Reply.answer(" Chen Wei, because they have 10 years of COBOL, Kubernetes and Fortran at NASA."))
    outcome = await recommender().recommend(REACT_NATIVE, 1)
    pick = outcome.recommendations[0]
    chen = pool.find("Chen Wei")
    assert chen is not None
    assert set(pick.matched_skills) <= {*chen.skills, *chen.experience}
    for claim in ("COBOL", "Kubernetes", "Fortran", "NASA"):
        assert claim not in pick.reason


@pytest.mark.parametrize(
    ("reply", "cause"),
    [
        (Reply.answer(" Mallory Evil, because she knows React Native."), "not_in_pool"),
        (Reply.answer(" Kim Kimsson, because they know Kubernetes."), "ungrounded"),
        (Reply.answer(f" {template.NO_MATCH}."), "ungrounded"),
        (Reply.answer(""), "empty"),
        (Reply.answer("   "), "empty"),
        (Reply.answer("lorem ipsum dolor sit amet consectetur adipiscing elit sed do"), "unparsable"),
        (Reply.answer(" Chen Wei", finish_reason="content_filter"), "content_filter"),
        (Reply.error(400, code="content_filter", message="filtered"), "content_filter"),
        (Reply.error(500), "unavailable"),
        (Reply.error(503), "unavailable"),
        (Reply.error(429, headers={"retry-after": "0"}), "rate_limited"),
        (Reply.error(401, message="bad key"), "rejected"),
        (Reply(raw=b"{not json"), "unparsable"),
        (Reply(delay=2.5), "timeout"),
    ],
    ids=lambda value: value if isinstance(value, str) else None,
)
async def test_every_model_fault_falls_back_to_the_local_recommender_and_says_why(
    recommender: Callable[..., FineTunedRecommender], fake_model: FakeModel, reply: Reply, cause: str
) -> None:
    fake_model.default = reply
    try:
        outcome = await recommender(BESTDEV_MODEL_MAX_RETRIES=0, BESTDEV_MODEL_TIMEOUT=1).recommend(REACT_NATIVE, 3)
        assert outcome.backend == "local"
        assert outcome.fallback_reason
        assert outcome.recommendations[0].name == "Chen Wei"

        fake_model.reset()
        with pytest.raises(ModelFault) as caught:
            await recommender(BESTDEV_MODEL_MAX_RETRIES=0, BESTDEV_MODEL_TIMEOUT=1, BESTDEV_FALLBACK="none").recommend(
                REACT_NATIVE, 3
            )
        assert caught.value.cause == cause
    finally:
        fake_model.default = Reply.answer(CHEN)


async def test_a_refused_connection_falls_back(recommender: Callable[..., FineTunedRecommender]) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    chosen = recommender(AZURE_OPENAI_ENDPOINT=f"http://127.0.0.1:{port}", BESTDEV_MODEL_MAX_RETRIES=0)
    outcome = await chosen.recommend(REACT_NATIVE, 1)
    assert outcome.backend == "local"
    assert outcome.fallback_reason == "the model endpoint could not be reached"


async def test_rate_limits_are_retried_honoring_retry_after(
    recommender: Callable[..., FineTunedRecommender], fake_model: FakeModel
) -> None:
    fake_model.script(Reply.error(429, headers={"retry-after": "0.2"}), Reply.error(503), Reply.answer(CHEN))
    outcome = await recommender(BESTDEV_MODEL_MAX_RETRIES=2).recommend(REACT_NATIVE, 1)
    assert outcome.backend == "azure-openai"
    assert len(fake_model.calls) == 3


async def test_the_total_deadline_bounds_a_trickling_body(
    recommender: Callable[..., FineTunedRecommender], fake_model: FakeModel
) -> None:
    fake_model.script(Reply.answer(CHEN, trickle_seconds=5))
    outcome = await recommender(BESTDEV_REQUEST_DEADLINE=0.5).recommend(REACT_NATIVE, 1)
    assert outcome.backend == "local"
    assert outcome.fallback_reason == "the model did not answer within 0.5 s"


async def test_keyless_auth_sends_an_entra_token_fetched_by_the_warm_up(
    recommender: Callable[..., FineTunedRecommender], fake_model: FakeModel
) -> None:
    credential = FakeCredential()
    chosen = recommender(credential=credential, AZURE_OPENAI_API_KEY="")
    assert credential.scopes == []  # building the client fetches nothing
    await chosen.warm_up()
    assert credential.scopes == [("https://cognitiveservices.azure.com/.default",)]  # before serving, not per request
    assert fake_model.calls == []
    fake_model.script(Reply.answer(CHEN), Reply.answer(CHEN))
    for _ in range(2):
        outcome = await chosen.recommend(REACT_NATIVE, 1)
        assert outcome.backend == "azure-openai"
    assert [call.headers["authorization"] for call in fake_model.calls] == ["Bearer fake-entra-token"] * 2
    assert "api-key" not in fake_model.calls[0].headers
    assert len(credential.scopes) == 1  # cached


async def test_a_credential_that_fails_falls_back_with_its_reason(
    recommender: Callable[..., FineTunedRecommender], fake_model: FakeModel
) -> None:
    credential = FakeCredential(fail=True)
    chosen = recommender(credential=credential, AZURE_OPENAI_API_KEY="")
    await chosen.warm_up()  # only logs the failure
    outcome = await chosen.recommend(REACT_NATIVE, 1)
    assert len(credential.scopes) == 2  # the request asked again
    assert outcome.backend == "local"
    assert outcome.fallback_reason is not None
    assert "token" in outcome.fallback_reason
    assert fake_model.calls == []


async def test_nobody_fits_is_an_honest_empty_answer(
    recommender: Callable[..., FineTunedRecommender], fake_model: FakeModel
) -> None:
    fake_model.script(Reply.answer(f" {template.NO_MATCH}: {template.no_match_reason()}"))
    outcome = await recommender().recommend("A mainframe batch system in COBOL", 3)
    assert outcome.recommendations == ()
    assert outcome.backend == "azure-openai"
    assert outcome.message
