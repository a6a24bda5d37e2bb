import pytest

from bestdev.pool import Developer, Pool, Project
from bestdev.recommend.local import NOTHING_RECOGNISED, LocalRecommender


def names(recommender: LocalRecommender, description: str, top_k: int = 3) -> list[str]:
    return [r.name for r in recommender.rank(description, top_k)]


def pool_of(*developers: Developer) -> LocalRecommender:
    return LocalRecommender(Pool(company="Zure", developers=list(developers)))


@pytest.mark.parametrize(
    ("description", "first"),
    [
        ("A React Native app with Firebase", "Chen Wei"),
        ("Kubernetes and Docker on Azure IoT Hub", "Kim Kimsson"),
        ("Our payments backend is written in Golang and stores everything in Postgres.", "Mikko Heikkinen"),
        ("Migrating our cluster to AKS", "Leila Ahmadi"),
    ],
)
def test_the_sample_pool_gets_the_obvious_pick(local: LocalRecommender, description: str, first: str) -> None:
    assert names(local, description)[0] == first


@pytest.mark.parametrize(
    ("description", "missing"),
    [
        ("COBOL", "COBOL"),
        ("We need a Fortran developer", "Fortran"),
        ("Salesforce Apex triggers", "Salesforce Apex"),
        ("A frontend in htmx and Qwik", "htmx or Qwik"),
    ],
)
def test_technologies_nobody_has_give_no_recommendation_and_name_what_is_missing(
    local: LocalRecommender, description: str, missing: str
) -> None:
    outcome = local.outcome(description, 3)
    assert outcome.recommendations == ()
    assert outcome.message == f"Nobody in the pool lists {missing}."


def test_a_description_without_technologies_says_so(local: LocalRecommender) -> None:
    outcome = local.outcome("We plan to go live with a swift delivery.", 3)
    assert outcome.recommendations == ()
    assert outcome.message == NOTHING_RECOGNISED


def test_reasons_name_only_the_developers_own_skills_in_the_template_wording(local: LocalRecommender) -> None:
    (first, *_) = local.rank("Python, TensorFlow, and Pandas for image recognition", 3)
    assert first.name == "Bob Bobsson"
    assert first.matched_skills[:3] == ("Python", "TensorFlow", "Pandas")
    assert first.reason.startswith("They have experience with Python, TensorFlow, Pandas")
    assert first.reason.endswith("which are relevant to the project.")
    for recommendation in local.rank("Kubernetes, Terraform, Python and Kafka on Azure", 32):
        developer = local.pool.find(recommendation.name)
        assert developer is not None
        listed = set(developer.skills) | {t for p in developer.projects for t in p.technologies}
        assert set(recommendation.matched_skills) <= listed


def test_a_specialist_is_reached_through_the_broader_technology(local: LocalRecommender) -> None:
    leila = next(r for r in local.rank("Kubernetes", 32) if r.name == "Leila Ahmadi")
    assert leila.matched_skills == ("Azure Kubernetes Service",)


def test_rarer_skills_weigh_more() -> None:
    recommender = pool_of(
        Developer(name="Common", skills=["Python", "SQL"]),
        Developer(name="Rare", skills=["Snowflake"]),
        Developer(name="Other", skills=["Python", "SQL"]),
        Developer(name="Third", skills=["Python"]),
    )
    assert names(recommender, "Python and Snowflake")[0] == "Rare"


def test_covering_more_of_the_project_wins() -> None:
    recommender = pool_of(
        Developer(name="One", skills=["Kafka"]),
        Developer(name="Two", skills=["Kafka", "Redis"]),
    )
    assert names(recommender, "Kafka and Redis") == ["Two", "One"]


def test_project_history_counts_as_experience() -> None:
    recommender = pool_of(
        Developer(name="Aaron", skills=["Go"]),
        Developer(name="Bea", skills=["Go"], projects=[Project(name="Gateway", technologies=["Go"])]),
        Developer(name="Cid", skills=["Rust"], projects=[Project(name="Payments", technologies=["Go"])]),
    )
    assert names(recommender, "A service in Go") == ["Bea", "Aaron", "Cid"]


def test_ties_break_by_name_whatever_the_pool_order() -> None:
    developers = [Developer(name=name, skills=["Kafka"]) for name in ("Zed", "Ann", "Mia")]
    assert names(pool_of(*developers), "Kafka") == ["Ann", "Mia", "Zed"]
    assert names(pool_of(*reversed(developers)), "Kafka") == ["Ann", "Mia", "Zed"]


def test_related_concepts_rank_below_exact_matches() -> None:
    recommender = pool_of(
        Developer(name="Ann", skills=["PyTorch"]),
        Developer(name="Ben", skills=["scikit-learn"]),
    )
    ranked = recommender.rank("machine learning with scikit-learn", 2)
    assert [r.name for r in ranked] == ["Ben", "Ann"]
    assert ranked[1].score < ranked[0].score
    concept_only = recommender.rank("machine learning", 2)
    assert {r.name for r in concept_only} == {"Ann", "Ben"}
    assert all(r.score <= 0.5 for r in concept_only), "a concept alone is never shown as a full fit"


def test_a_concept_never_outranks_a_named_technology_however_rare() -> None:
    recommender = pool_of(
        *(Developer(name=f"Kafka {number}", skills=["Kafka"]) for number in range(8)),
        Developer(name="Torch", skills=["PyTorch", "TensorFlow", "JAX"]),
    )
    assert names(recommender, "machine learning on events from Kafka", 9)[-1] == "Torch"


def test_a_concept_alone_is_no_fit_when_the_named_stack_is_missing() -> None:
    recommender = pool_of(Developer(name="Ann", skills=["React", "Vue.js"]))
    outcome = recommender.outcome("A frontend in htmx", 3)
    assert outcome.recommendations == ()
    assert outcome.message == "Nobody in the pool lists htmx."


def test_top_k_limits_the_answer(local: LocalRecommender) -> None:
    assert len(local.rank("Python", 2)) == 2
    assert len(local.rank("Python", 32)) == len({d.name for d in local.pool.developers if "Python" in d.skills})


def test_scores_are_between_zero_and_one_best_first(local: LocalRecommender) -> None:
    ranked = local.rank("Python, SQL, Databricks and Power BI", 10)
    scores = [r.score for r in ranked]
    assert scores == sorted(scores, reverse=True)
    assert all(0 < score <= 1 for score in scores)


async def test_recommend_is_the_outcome(local: LocalRecommender) -> None:
    outcome = await local.recommend("Flutter app with Firebase", 2)
    assert outcome.backend == "local"
    assert outcome.recommendations[0].name == "Oskar Nilsson"
    await local.aclose()


def test_several_specific_skills_add_up_to_the_broader_one() -> None:
    recommender = pool_of(
        Developer(name="Ann", skills=["iOS"]),
        Developer(name="Ben", skills=["SwiftUI", "Xcode", "Core Data", "HealthKit"]),
        Developer(name="Cy", skills=["Xcode"]),
    )
    assert names(recommender, "We need an iOS developer.") == ["Ben", "Ann", "Cy"]


def test_a_listed_skill_is_named_rather_than_a_skill_implying_it() -> None:
    recommender = pool_of(Developer(name="Ann", skills=["Azure", "Bicep", "Azure Functions", "Azure Service Bus"]))
    (only,) = recommender.rank("Hosted on Azure", 1)
    assert only.matched_skills == ("Azure",)


def test_knowing_more_of_a_concept_ranks_higher_but_below_an_exact_match() -> None:
    recommender = pool_of(
        Developer(name="Ann", skills=["React Native"]),
        Developer(name="Ben", skills=["Swift", "SwiftUI", "Xcode", "Objective-C"]),
    )
    assert names(recommender, "An app for iPhone users.") == ["Ben", "Ann"]
    assert names(recommender, "A React Native app for iPhone users.") == ["Ann", "Ben"]


@pytest.mark.parametrize(
    "description",
    [
        "A React Native app with Firebase",
        "Kubernetes and Docker on Azure IoT Hub with Terraform",
        "A data warehouse with dashboards for the finance team",
        "machine learning on Databricks with Python and SQL",
    ],
)
def test_assessing_one_developer_agrees_with_the_full_ranking(local: LocalRecommender, description: str) -> None:
    reading = local.read(description)
    ranked = local.ranked(reading, len(local.pool.developers))
    assert ranked
    for entry in ranked:
        position = local.pool.position(entry.name)
        assert position is not None
        assessed = local.index.assess(reading.searched, position)
        assert assessed is not None
        assert round(min(1.0, assessed.score / reading.possible), 4) == entry.score
    unranked = {d.name for d in local.pool.developers} - {entry.name for entry in ranked}
    for name in unranked:
        position = local.pool.position(name)
        assert position is not None
        assessed = local.index.assess(reading.searched, position)
        assert assessed is None or reading.eligible is not None
