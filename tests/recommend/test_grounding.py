"""The model's reading counts, grounding still holds: its pick is kept only when its reason holds up.

Real openai SDK -> real HTTP -> fake model on 127.0.0.1, as in test_fine_tuned; and `ground` itself, on a small pool.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from bestdev.pool import Developer, Pool
from bestdev.recommend.fine_tuned import FineTunedRecommender
from bestdev.recommend.grounding import Refused, ground
from bestdev.recommend.local import LocalRecommender
from bestdev.recommend.reading import Reading
from tests.fakes.openai_model import FakeModel, Reply

GO_GRPC = "a backend in go with grpc services, plus some postgres"


async def ask(recommender: FineTunedRecommender, fake_model: FakeModel, answer: str, description: str, top_k: int = 3):  # type: ignore[no-untyped-def]
    fake_model.script(Reply.answer(f" {answer}<END_OUTPUT>"))
    return await recommender.recommend(description, top_k)


async def test_a_pick_with_made_up_experience_is_refused_and_never_placed_above_the_grounded_one(
    recommender: Callable[..., FineTunedRecommender], fake_model: FakeModel
) -> None:
    outcome = await ask(
        recommender(), fake_model, "Markus Weber, because they have experience with Go and gRPC.", GO_GRPC
    )
    assert outcome.backend == "local"
    assert outcome.fallback_reason == (
        "the model claimed Go and gRPC for Markus Weber, which the pool does not list for them"
    )
    assert outcome.recommendations[0].name == "Mikko Heikkinen"
    assert outcome.recommendations[0].matched_skills == ("Go", "gRPC", "PostgreSQL")
    assert "Markus Weber" not in [r.name for r in outcome.recommendations]


@pytest.mark.parametrize(
    ("description", "answer", "name", "skills"),
    [
        (
            "Tarvitsemme verkkopalvelun Reactilla ja Node.js:llä",
            "Jonas Berg, because they have experience with Node.js.",
            "Jonas Berg",
            ("Node.js",),
        ),
        (
            GO_GRPC,
            "mikko heikkinen, because they have experience with go, grpc and postgres.",
            "Mikko Heikkinen",
            ("Go", "gRPC", "PostgreSQL"),
        ),
        (
            "a Vue-Express-Mongo stack",
            "Jonas Berg, because they know Vue, Express and Mongo.",
            "Jonas Berg",
            ("Vue.js", "Express", "MongoDB"),
        ),
        (
            "Etsimme Kotlin-osaajaa Android-sovellukseen",
            "Olli Mäkinen, because they know Kotlin.",
            "Olli Mäkinen",
            ("Kotlin",),
        ),
    ],
)
async def test_a_model_that_reads_real_text_correctly_is_used(
    recommender: Callable[..., FineTunedRecommender],
    fake_model: FakeModel,
    description: str,
    answer: str,
    name: str,
    skills: tuple[str, ...],
) -> None:
    outcome = await ask(recommender(), fake_model, answer, description)
    assert outcome.backend == "azure-openai"
    assert outcome.fallback_reason is None
    assert outcome.recommendations[0].name == name
    assert outcome.recommendations[0].matched_skills == skills, "the skills claimed, as the pool names them"


async def test_a_pick_citing_what_the_description_never_mentions_is_refused(
    recommender: Callable[..., FineTunedRecommender], fake_model: FakeModel
) -> None:
    outcome = await ask(recommender(), fake_model, "Mikko Heikkinen, because they know Go and Kafka.", GO_GRPC)
    assert outcome.backend == "local"
    assert outcome.fallback_reason == "the model cited Kafka, which the description does not mention"


async def test_a_word_used_as_an_ordinary_word_is_no_evidence(
    recommender: Callable[..., FineTunedRecommender], fake_model: FakeModel
) -> None:
    outcome = await ask(
        recommender(), fake_model, "Mikko Heikkinen, because they know Go.", "We go live in May with the Kafka feed."
    )
    assert outcome.backend == "local"
    assert outcome.fallback_reason == "the model cited Go, which the description does not mention"


async def test_a_pick_without_a_claim_needs_something_they_hold_in_the_description(
    recommender: Callable[..., FineTunedRecommender], fake_model: FakeModel
) -> None:
    accepted = await ask(recommender(), fake_model, "Mikko Heikkinen", GO_GRPC)
    assert accepted.backend == "azure-openai"
    assert accepted.recommendations[0].matched_skills == ("Go", "gRPC", "PostgreSQL")
    refused = await ask(recommender(), fake_model, "Nina Holm", GO_GRPC)
    assert refused.backend == "local"
    assert refused.fallback_reason == "the model picked Nina Holm, whom the pool lists with none of these skills"


async def test_a_pick_lacking_every_must_have_that_others_hold_is_refused(
    recommender: Callable[..., FineTunedRecommender], fake_model: FakeModel
) -> None:
    description = "Lead Rust engineer (6+ years of Rust). Bonus: Python, Docker, Kubernetes"
    outcome = await ask(recommender(), fake_model, "Kim Kimsson, because they know Docker and Kubernetes.", description)
    assert outcome.backend == "local"
    assert outcome.fallback_reason == "the model picked Kim Kimsson, who lacks what the project requires (Rust)"
    assert outcome.recommendations[0].name == "Tomás Silva"


async def test_an_accepted_pick_shows_only_the_pools_names_for_its_skills(
    recommender: Callable[..., FineTunedRecommender], fake_model: FakeModel, pool: Pool
) -> None:
    outcome = await ask(
        recommender(), fake_model, "Leila Ahmadi, because they run AKS clusters.", "Migrating our cluster to aks"
    )
    pick = outcome.recommendations[0]
    assert (pick.name, pick.matched_skills) == ("Leila Ahmadi", ("Azure Kubernetes Service",))
    leila = pool.find("Leila Ahmadi")
    assert leila is not None
    assert set(pick.matched_skills) <= set(leila.skills)


async def test_the_reason_is_read_leniently_so_an_undecided_claim_still_counts(
    recommender: Callable[..., FineTunedRecommender], fake_model: FakeModel
) -> None:
    """'Rust.' alone starts a sentence (undecided for the strict reading), but it is still a claim to check."""
    outcome = await ask(recommender(), fake_model, "Mikko Heikkinen, because Rust.", GO_GRPC)
    assert outcome.backend == "local"
    assert (
        outcome.fallback_reason == "the model claimed Rust for Mikko Heikkinen, which the pool does not list for them"
    )


async def test_the_description_is_read_leniently_so_an_undecided_name_is_evidence(
    recommender: Callable[..., FineTunedRecommender], fake_model: FakeModel
) -> None:
    outcome = await ask(recommender(), fake_model, "Tomás Silva, because they know Rust.", "Rust is what we use.")
    assert outcome.backend == "azure-openai"
    assert outcome.recommendations[0].matched_skills == ("Rust",)


async def test_a_concept_is_not_the_technology_it_leads_to(
    recommender: Callable[..., FineTunedRecommender], fake_model: FakeModel
) -> None:
    outcome = await ask(recommender(), fake_model, "Lauri Lehman, because PyTorch.", "A machine learning platform")
    assert outcome.backend == "local"
    assert outcome.fallback_reason == "the model cited PyTorch, which the description does not mention"


def test_a_claim_holds_when_the_description_names_it_or_something_narrower_that_implies_it() -> None:
    local = LocalRecommender(
        Pool(company="X", developers=[Developer(name="Ann", skills=["SQL", "PostgreSQL", "Python"])])
    )
    ann = local.pool.developers[0]
    postgres = local.read("A PostgreSQL backend in Python")
    sql = local.read("Some SQL reports in Python")

    def grounded(reason: str, reading: Reading) -> tuple[str, ...]:
        return ground(ann, reason, reading.lenient_mentions, local.matcher, reading.required, local.knowledge(0)).skills

    assert grounded("They have experience with SQL, which is relevant to the project.", postgres) == ("SQL",)
    assert grounded("", postgres) == ("PostgreSQL", "Python")  # no claim: what they hold that the text names
    with pytest.raises(Refused, match="cited PostgreSQL, which the description does not mention"):
        grounded("They have experience with PostgreSQL, which is relevant to the project.", sql)
    with pytest.raises(Refused, match="claimed Kotlin for Ann, which the pool does not list for them"):
        grounded("They have experience with Kotlin and Python, which are relevant to the project.", postgres)
