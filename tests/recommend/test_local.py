import pytest

from bestdev.pool import Developer, Pool, Project
from bestdev.recommend.explain import LITTLE_COVERED
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


def test_the_role_decides_between_equals_but_never_outweighs_a_requirement() -> None:
    recommender = pool_of(
        Developer(name="Ann", title="Frontend Developer", skills=["Kafka"]),
        Developer(name="Zoe", title="Data Streaming Analytics Engineer", skills=["Kafka"]),
        Developer(name="Max", title="Backend Developer", skills=["Kafka", "Redis"]),
    )
    assert names(recommender, "Kafka for the data streaming analytics team")[0] == "Zoe"
    assert names(recommender, "Kafka and Redis for the data streaming analytics team") == ["Max", "Zoe", "Ann"]


def test_scores_are_shares_of_a_full_fit_where_each_tier_outweighs_the_ones_below() -> None:
    """Kafka and Redis are equally rare here. A nice-to-have counts 0.3 of a named technology, and the least named
    one outweighs everything below it: Kafka 1 x (1 + 0.3), Redis 0.3, a full fit 1.6. A must-have outweighs the
    rest the same way: Redis 1 x (1 + 1), Kafka 1, a full fit 3."""
    recommender = pool_of(
        Developer(name="Ann", skills=["Kafka"]),
        Developer(name="Ben", skills=["Redis"]),
        Developer(name="Cy", skills=["Kafka", "Redis"]),
    )
    nice = recommender.rank("Kafka. Nice to have: Redis.", 3)
    assert [(r.name, r.score) for r in nice] == [("Cy", 1.0), ("Ann", 0.8125), ("Ben", 0.1875)]
    must = recommender.rank("Kafka. Must have: Redis.", 3)
    assert [(r.name, r.score) for r in must] == [("Cy", 1.0), ("Ben", 0.6667)]  # Ann lacks the must-have


def test_with_three_tiers_each_outweighs_all_below_it_together() -> None:
    """Equally rare again: PostgreSQL (nice) 0.3, Redis 1 x (1 + 0.3), Kafka (must) 1 x (1 + 0.3 + 1.3); a full
    fit 4.2, and Fay, without the nice-to-have, 3.9 of it."""
    recommender = pool_of(
        Developer(name="Dee", skills=["Kafka", "Redis", "PostgreSQL"]),
        Developer(name="Fay", skills=["Kafka", "Redis"]),
        Developer(name="Gus", skills=["PostgreSQL"]),
    )
    ranked = recommender.rank("Must have: Kafka. Redis. Nice to have: PostgreSQL.", 3)
    assert [(r.name, r.score) for r in ranked] == [("Dee", 1.0), ("Fay", 0.9286)]


def test_a_broader_technology_is_another_way_to_meet_the_named_one_not_a_requirement_of_its_own() -> None:
    recommender = pool_of(Developer(name="Ann", skills=["AKS"]), Developer(name="Ben", skills=["Kubernetes"]))
    ranked = recommender.rank("Migrating to AKS", 3)
    assert [(r.name, r.matched_skills) for r in ranked] == [("Ann", ("AKS",)), ("Ben", ("Kubernetes",))]
    assert ranked[0].score == 1.0
    assert ranked[1].score < 0.5


def test_a_description_naming_only_nice_to_haves_is_met_by_those_who_hold_them() -> None:
    recommender = pool_of(Developer(name="Ann", skills=["Redis"]), Developer(name="Ben", skills=["Kafka"]))
    assert names(recommender, "Nice to have: Redis.") == ["Ann"]


def test_a_text_naming_no_technology_is_read_through_its_concepts_only_when_it_is_about_them() -> None:
    """One concept per 40 words: a short brief is about it, a long story that passes it by is not."""
    recommender = pool_of(Developer(name="Ann", skills=["PyTorch"]), Developer(name="Ben", skills=["Kafka"]))
    brief = "machine learning " + "word " * 38  # 40 words
    assert names(recommender, brief) == ["Ann"]
    story = brief + "more"  # 41 words
    outcome = recommender.outcome(story, 3)
    assert outcome.recommendations == ()
    assert outcome.message == NOTHING_RECOGNISED


def test_the_case_for_one_developer_is_scored_as_the_ranking_scores_them(local: LocalRecommender) -> None:
    description = "Kubernetes and Docker on Azure IoT Hub with Terraform"
    ranked = local.rank(description, 5)
    assert any(r.score < 1 for r in ranked)
    for entry in ranked:
        position = local.pool.position(entry.name)
        assert position is not None
        case = local.case_for(position, list(entry.matched_skills), local.read(description))
        assert case == entry
    assert case.title is not None


def test_the_case_for_a_ranked_developer_is_their_place_in_the_ranking_and_others_are_worked_out(
    local: LocalRecommender,
) -> None:
    description = "Kubernetes and Docker on Azure IoT Hub with Terraform"
    reading = local.read(description)
    ranked = local.ranked(reading, 5)
    for entry in ranked:
        position = local.pool.position(entry.name)
        assert position is not None
        assert local.case_for(position, list(entry.matched_skills), reading, ranked) is entry
        fewer = list(entry.matched_skills[:1])  # other skills shown: the same score, its own reason
        case = local.case_for(position, fewer, reading, ranked)
        assert case == local.case_for(position, fewer, reading)
        assert (case.matched_skills, case.score) == (tuple(fewer), entry.score)


def test_a_score_is_never_above_a_full_fit_however_well_the_role_fits() -> None:
    recommender = pool_of(Developer(name="Zoe", title="Data Streaming Analytics Engineer", skills=["Kafka"]))
    description = "Kafka for the data streaming analytics team"
    assert [r.score for r in recommender.rank(description, 1)] == [1.0]
    assert recommender.case_for(0, ["Kafka"], recommender.read(description)).score == 1.0


def test_a_title_alone_never_makes_a_fit() -> None:
    recommender = pool_of(
        Developer(name="Aaron", title="Data Streaming Analytics Engineer", skills=["Java"]),
        Developer(name="Ben", skills=["Kafka"]),
    )
    assert names(recommender, "Kafka for the data streaming analytics team") == ["Ben"]


def test_what_nobody_holds_does_not_lower_the_score_of_who_holds_the_rest() -> None:
    recommender = pool_of(Developer(name="Ann", skills=["Kafka"]))
    assert [(r.name, r.score) for r in recommender.rank("Kafka and COBOL", 3)] == [("Ann", 1.0)]


@pytest.mark.parametrize(
    ("description", "message"),
    [
        ("Must have: COBOL. Kafka for events.", "Nobody in the pool lists COBOL."),
        ("Must have: COBOL. Fortran for the rest.", "Nobody in the pool lists COBOL."),
        ("Machine learning", "Nobody in the pool has experience with the technologies this project mentions."),
        (
            "A nice team",
            "No technologies were recognised in the description: name the languages, frameworks or services the "
            "project uses.",
        ),
    ],
)
def test_the_message_when_nobody_fits_says_why(description: str, message: str) -> None:
    recommender = pool_of(Developer(name="Ann", skills=["Kafka"]))
    outcome = recommender.outcome(description, 3)
    assert outcome.recommendations == ()
    assert outcome.message == message


def test_the_case_for_a_developer_reads_the_description_leniently() -> None:
    recommender = pool_of(Developer(name="Ann", title="Gopher", skills=["Go"]), Developer(name="Ben", skills=["Java"]))
    assert recommender.rank("Go is what we use.", 3) == []  # the first word of a sentence: undecided
    go = recommender.read("Go is what we use.")
    assert recommender.case_for(0, ["Go"], go).score == 1.0
    assert recommender.case_for(1, ["Java"], go).score == 0.0  # holds nothing asked for
    assert recommender.case_for(0, ["Go"], recommender.read("We plan to go live in March.")).score == 0.0


def test_the_required_are_the_must_haves_someone_in_the_pool_holds() -> None:
    recommender = pool_of(Developer(name="Ann", skills=["Kafka", "Redis"]))
    reading = recommender.read("Must have: Kafka and COBOL. Redis for caching.")
    assert recommender.required(reading) == ["kafka"]


async def test_a_team_is_staffed_from_the_pool() -> None:
    recommender = pool_of(Developer(name="Ann", skills=["Kafka"]), Developer(name="Ben", skills=["Redis"]))
    team = await recommender.team("Kafka and Redis", 3)
    assert team.backend == "local"
    assert sorted((member.name, member.covers) for member in team.members) == [
        ("Ann", ("Kafka",)),
        ("Ben", ("Redis",)),
    ]


async def test_the_local_recommender_stands_in_for_itself_and_has_no_model(local: LocalRecommender) -> None:
    assert local.stand_in is local
    assert local.model_status() is None
    await local.warm_up()  # nothing to warm: it answers from memory
    assert local.outcome("A React Native app with Firebase", 1).recommendations[0].name == "Chen Wei"


def test_a_headline_must_have_nobody_holds_leaves_nobody_fitting() -> None:
    recommender = pool_of(Developer(name="Cee", skills=["C", "C++"]), Developer(name="Kai", skills=["Kotlin"]))
    outcome = recommender.outcome("Quantum simulation\n\nRecommended skills: Julia, C/C++", 3)
    assert outcome.recommendations == ()
    assert outcome.message == "Nobody in the pool lists Julia."
    assert [closest.name for closest in outcome.closest] == ["Cee"]
    assert [r.name for r in recommender.outcome("Recommended skills: C, Julia", 3).recommendations] == ["Cee"]


def test_the_headline_is_the_first_listed_must_have_not_a_modal_must_in_the_prose() -> None:
    recommender = pool_of(Developer(name="Lauri", skills=["Rust", "WebAssembly"]))
    text = "A crate\n\nThe application must convert images to TFLite.\n\nRecommended skills: Rust, TensorFlow"
    assert [r.name for r in recommender.outcome(text, 3).recommendations] == ["Lauri"]


def test_a_concept_is_held_through_a_technology_the_text_names_too() -> None:
    recommender = pool_of(Developer(name="Kaj", skills=["Kafka"]), Developer(name="Sam", skills=["RabbitMQ"]))
    outcome = recommender.outcome("Kafka for event streaming", 3)
    kaj = outcome.recommendations[0]
    assert (kaj.name, kaj.missing, kaj.coverage, kaj.score) == ("Kaj", (), 1.0, 1.0)


def test_a_broader_technology_is_a_partial_fit_not_a_full_one() -> None:
    recommender = pool_of(Developer(name="Pia", skills=["PHP"]))
    (pia,) = recommender.outcome("A Drupal site for a museum", 3).recommendations
    assert (pia.score, pia.coverage, pia.missing) == (0.5, 0.5, ("Drupal",))


def test_holding_too_little_of_what_was_asked_is_no_fit_but_the_closest() -> None:
    recommender = pool_of(
        Developer(name="Ann", skills=["Java", "Spring Boot", "Kafka", "PostgreSQL", "Docker"]),
        Developer(name="Bob", skills=["Docker"]),
    )
    outcome = recommender.outcome("Java, Spring Boot, Kafka, PostgreSQL and Docker", 3)
    assert [r.name for r in outcome.recommendations] == ["Ann"]
    assert [(c.name, c.coverage) for c in outcome.closest] == [("Bob", 0.2)]
    assert outcome.closest[0].reason.startswith("Not a fit: lacks Java, Spring Boot, Kafka and PostgreSQL.")


def test_when_everyone_holds_too_little_nobody_fits_and_the_message_says_so() -> None:
    recommender = pool_of(Developer(name="Bob", skills=["Docker"]))
    outcome = recommender.outcome("Java, Spring Boot, Kafka, PostgreSQL and Docker", 3)
    assert outcome.recommendations == ()
    assert [c.name for c in outcome.closest] == ["Bob"]
    assert outcome.message == LITTLE_COVERED


def test_a_choice_is_one_requirement_met_by_any_of_its_alternatives() -> None:
    recommender = pool_of(
        Developer(name="Pia", skills=["Python", "React"]),
        Developer(name="Gus", skills=["Go"]),
        Developer(name="Vic", skills=["Vue.js", "Go"]),
    )
    outcome = recommender.outcome("Python or Go, and React or Vue", 3)
    assert [u.technology for u in outcome.understood] == ["Python or Go", "React or Vue.js"]
    assert [(r.name, r.score, r.coverage) for r in outcome.recommendations] == [
        ("Pia", 1.0, 1.0),
        ("Vic", 1.0, 1.0),
        ("Gus", 0.5, 0.5),
    ]
    assert outcome.recommendations[2].missing == ("React or Vue.js",)


def test_between_near_equals_the_headline_of_a_skills_section_decides() -> None:
    recommender = pool_of(Developer(name="Ann", skills=["Go"]), Developer(name="Zed", skills=["Rust"]))
    assert [r.name for r in recommender.outcome("Recommended skills: Rust, Go", 2).recommendations] == ["Zed", "Ann"]
    assert [r.name for r in recommender.outcome("Recommended skills: Go, Rust", 2).recommendations] == ["Ann", "Zed"]


def test_every_alternative_of_a_required_choice_is_required() -> None:
    recommender = pool_of(Developer(name="Gus", skills=["Go"]), Developer(name="Pia", skills=["Python"]))
    assert recommender.required(recommender.read("Must know Python or Go")) == ["python", "go"]


@pytest.mark.parametrize(
    "description",
    [
        "Implement a Node.js client\n\nClients exist in Java and Python.\nRecommended skills: TypeScript",
    ],
)
def test_between_near_equals_whose_title_names_the_headline_technology_comes_first(description: str) -> None:
    both = ["Node.js", "TypeScript"]
    recommender = pool_of(
        Developer(name="Ann", title="Full Stack Java Developer", skills=[*both, "Java"]),
        Developer(name="Zed", title="Node.js Developer", skills=both),
    )
    assert names(recommender, description, 2) == ["Zed", "Ann"]


def test_the_headline_is_the_first_sentence_of_a_one_line_text_and_its_technology_named_in_a_title() -> None:
    recommender = pool_of(
        Developer(name="Ann", title="Backend Developer", skills=["JavaScript", "Docker"]),
        Developer(name="Zed", title="Senior JS Developer", skills=["JavaScript", "Docker"]),
    )
    assert names(recommender, "A JavaScript SDK for our API. It ships with Docker.", 2) == ["Zed", "Ann"]
    assert names(recommender, "A Docker image for our API. It runs JavaScript.", 2) == ["Ann", "Zed"]


def test_a_title_naming_the_headline_never_outweighs_a_requirement() -> None:
    recommender = pool_of(
        Developer(name="Ann", title="Backend Developer", skills=["Node.js", "TypeScript"]),
        Developer(name="Zed", title="Node.js Developer", skills=["Node.js"]),
    )
    assert names(recommender, "A Node.js service\n\nRecommended skills: Node.js, TypeScript", 2) == ["Ann", "Zed"]


def _c_and_python() -> LocalRecommender:
    return pool_of(
        Developer(name="Cee", skills=["C", "Linux"]), Developer(name="Pia", skills=["Python", "Docker", "C"])
    )


@pytest.mark.parametrize(
    "description",
    [
        "Wrap libfoo for Julia. The wrapper is written in Julia over the C library, with Julia tests and docs.",
        "Speed up Foo.jl and Bar.jl on Linux: profile the Julia code and its calls into C.",  # packages name it
    ],
)
def test_work_in_a_language_nobody_holds_has_no_fit_among_side_skills(description: str) -> None:
    outcome = _c_and_python().outcome(description, 2)
    assert outcome.recommendations == ()


@pytest.mark.parametrize(
    ("description", "first"),
    [
        (
            "Port the Julia solver to Python; the Julia and Julia-C code is the reference.\nRecommended skills: Python",
            "Pia",
        ),
        ("A C library with Julia bindings; Julia users call it.", "Cee"),  # named twice: not what the work is in
        ("Julia, Julia, Julia! A tool in Python and C, with Python tests and Python docs, Python CLI", "Pia"),
    ],
)
def test_a_language_nobody_holds_does_not_block_what_the_brief_asks_for(description: str, first: str) -> None:
    assert names(_c_and_python(), description, 2)[0] == first
