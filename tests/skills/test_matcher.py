import pytest

from bestdev.skills.matcher import Mention, SkillMatcher
from bestdev.skills.vocabulary import Technology, load_vocabulary


@pytest.fixture(scope="module")
def matcher() -> SkillMatcher:
    return SkillMatcher(load_vocabulary(), ["Internal Billing Engine"])


def keys(matcher: SkillMatcher, text: str) -> list[str]:
    return [mention.key for mention in matcher.find(text) if not mention.related]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Deploy to k8s", "kubernetes"),
        ("We use Kubernetes", "kubernetes"),
        ("Everything runs in Postgres", "postgresql"),
        ("A service written in Golang", "go"),
        ("Churn model in sklearn", "scikit-learn"),
        ("Files land in ADLS Gen2", "azure data lake storage"),
        ("Sign-in through Entra ID", "microsoft entra id"),
        ("Sign-in through Azure AD", "microsoft entra id"),
        ("Compiled to WASM", "webassembly"),
        ("A Rails monolith", "ruby on rails"),
        ("Frontend in Vue 3", "vue.js"),
        ("Migrate to .NET 8 this year", ".net"),
        ("An API on Node.js", "node.js"),
        ("Scripts in Python 3.12", "python"),
    ],
)
def test_aliases_and_versions_reach_the_technology(matcher: SkillMatcher, text: str, expected: str) -> None:
    assert expected in keys(matcher, text)


@pytest.mark.parametrize(
    "text",
    [
        "We plan to go live in March.",
        "Our R&D team is growing.",
        "If that fails we fall back to plan C.",
        "The client expects a swift delivery.",
        "Swift delivery matters most.",
        "We want to spark interest in the product.",
        "Spark some new ideas.",
        "Express delivery of the parcels.",
        "Unity of the team matters.",
        "Rust on the pipes is not our problem.",
        "Our C-suite wants a report.",
        "We launch in Spring 2026.",
    ],
)
def test_ordinary_words_do_not_read_as_technologies(matcher: SkillMatcher, text: str) -> None:
    assert keys(matcher, text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("A backend in Go that exposes gRPC endpoints.", ["go", "grpc"]),
        ("Go developer needed.", ["go"]),
        ("Statistics in R.", ["r"]),
        ("A C/C++ developer for the controller.", ["c", "c++"]),
        ("Python, Go and Rust", ["python", "go", "rust"]),
        ("A Spark streaming job.", ["apache spark"]),
        ("A mobile game in Unity.", ["unity"]),
        ("Deliver the Go microservice before the go-live date.", ["go"]),
        ("A team member to write Solidity smart contracts.", ["solidity"]),
        ("Looking for Rust expertise.", ["rust"]),
        ("Unity or Unreal, we don't mind.", ["unity", "unreal engine"]),
        ("A service in Go 1.22.", ["go"]),
    ],
)
def test_ambiguous_names_count_in_technical_context(matcher: SkillMatcher, text: str, expected: list[str]) -> None:
    assert keys(matcher, text) == expected


def test_c_never_matches_inside_c_sharp_or_c_plus_plus(matcher: SkillMatcher) -> None:
    assert keys(matcher, "Tools in C# and engines in C++.") == ["c#", "c++"]


def test_longest_name_wins(matcher: SkillMatcher) -> None:
    assert keys(matcher, "An app in React Native") == ["react native"]
    assert keys(matcher, "Factory on Azure Digital Twins") == ["azure digital twins"]


def test_concepts_reach_related_technologies_after_exact_ones(matcher: SkillMatcher) -> None:
    mentions = matcher.find("A mobile app for iPhone and Android.")
    assert mentions[0].key == "android"
    assert not mentions[0].related
    related = {mention.key for mention in mentions if mention.related}
    assert {"swift", "ios", "react native", "flutter"} <= related
    assert all(mention.related for mention in mentions[1:])


def test_a_named_technology_brings_its_broader_ones_as_related(matcher: SkillMatcher) -> None:
    mentions = matcher.find("Migrating to AKS")
    assert [(m.key, m.related) for m in mentions][:1] == [("azure kubernetes service", False)]
    assert ("kubernetes", True) in [(m.key, m.related) for m in mentions]


def test_a_stack_name_stands_for_its_parts(matcher: SkillMatcher) -> None:
    assert keys(matcher, "Logs in the ELK stack") == ["elastic stack", "elasticsearch", "logstash", "kibana"]


def test_a_pool_skill_the_vocabulary_lacks_matches_literally(matcher: SkillMatcher) -> None:
    assert keys(matcher, "Extend the internal billing engine") == ["internal billing engine"]
    assert matcher.canonical("Internal Billing Engine") == "internal billing engine"


def test_canonical_maps_pool_skills_to_the_vocabulary(matcher: SkillMatcher) -> None:
    assert matcher.canonical("Azure Kubernetes Service") == matcher.canonical("AKS") == "azure kubernetes service"
    assert matcher.canonical("Go") == "go"
    assert matcher.canonical("Microsoft Entra ID") == matcher.canonical("Azure AD")
    assert "kubernetes" in matcher.implied("azure kubernetes service")


def test_one_mention_per_technology_in_order_of_appearance(matcher: SkillMatcher) -> None:
    mentions = matcher.find("Kafka first, then Redis, then Kafka again")
    assert [mention.key for mention in mentions] == ["kafka", "redis"]
    assert mentions[0].text == "Kafka"


def test_a_plain_technology_list_works_without_context_words() -> None:
    vocabulary = [Technology("Go", "language", ambiguous_terms=("Go",)), Technology("Kafka", "data")]
    matcher = SkillMatcher(vocabulary)
    assert [m.key for m in matcher.find("Kafka, Go")] == ["kafka", "go"]
    assert [m.key for m in matcher.find("Go live soon")] == []


def test_a_concept_also_leads_where_the_concepts_inside_it_lead(matcher: SkillMatcher) -> None:
    reached = {mention.key for mention in matcher.find("Interactive dashboards for the board") if mention.related}
    assert {"shiny", "power bi", "grafana"} <= reached


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("api server in go, ui in htmx", ["go", "htmx"]),
        ("WE NEED A GO DEVELOPER FOR KUBERNETES OPERATORS", ["go", "kubernetes"]),
        ("I built it in rust over the weekend.", ["rust"]),
        ("we rewrote the whole thing in go and it is fast", ["go"]),
        ("Looking for a dart developer for our flutter app", ["dart", "flutter"]),
        ("our data team uses spark and airflow", ["apache spark", "airflow"]),
        ("It uses Rust macros to generate traits.", ["rust"]),
        ("Learning Unity. I want to make little games.", ["unity"]),
        ("My goal is to encourage people to consider Go as a programming language.", ["go"]),
    ],
)
def test_names_are_read_in_any_case_where_the_context_is_technical(
    matcher: SkillMatcher, text: str, expected: list[str]
) -> None:
    assert keys(matcher, text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "We want to go live in spring with a swift-ly built site.",
        "WE GO LIVE IN MAY.",
        "I need to go to the store",
        "Let's spark some interest in the product.",
        "Rust on the pipes is not our problem.",
        "Our Kubernetes nodes and pods",  # "nodes" is not Node.js
    ],
)
def test_ordinary_words_stay_ordinary_whatever_the_case(matcher: SkillMatcher, text: str) -> None:
    assert [key for key in keys(matcher, text) if key != "kubernetes"] == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Tarvitsemme verkkopalvelun Reactilla ja Node.js:llä", ["react", "node.js"]),
        ("Dockerin ja Kubernetesin tuntemus", ["docker", "kubernetes"]),
        ("Pilvi toimii Azuressa", ["azure"]),
        ("Osaat TypeScriptiä", ["typescript"]),
        ("Backend C#:lla", ["c#"]),
        ("Haemme Python-osaajaa", ["python"]),
        ("Rustilla kirjoitettu ohjelmisto", ["rust"]),
        ("Vi kör allt i Azure-miljön", ["azure"]),
        ("Kotlin-appen behöver en ny vy", ["kotlin"]),
        ("Unser Kubernetes-Cluster und die Python-Entwicklung", ["kubernetes", "python"]),
        ("Redis's cache and our Lambdas", ["redis", "aws"]),
    ],
)
def test_inflected_and_compound_names_are_read(matcher: SkillMatcher, text: str, expected: list[str]) -> None:
    assert keys(matcher, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a Vue-Express-Mongo stack", ["vue.js", "express", "mongodb"]),
        ("a Django/Postgres app", ["django", "postgresql"]),
        ("Jest- and Cypress-tested, TS everywhere", ["jest", "cypress", "typescript"]),
        ("A MERN app", ["mern", "mongodb", "express", "react", "node.js"]),
        ("Java SpringBoot services", ["java", "spring boot"]),
        ("ruby-on-rails and spring-boot", ["ruby on rails", "spring boot"]),
        ("Frontend in Next, API in Node, data in PG", ["next.js", "node.js", "postgresql"]),
    ],
)
def test_joined_stacks_and_short_forms_are_read(matcher: SkillMatcher, text: str, expected: list[str]) -> None:
    assert keys(matcher, text) == expected


def test_an_acronym_counts_only_beside_its_own_family(matcher: SkillMatcher) -> None:
    assert keys(matcher, "Oracle ADF forms modernisation") == ["oracle adf"]
    assert "azure data factory" in keys(matcher, "ADF pipelines feeding Azure Synapse")


def test_a_technology_only_referred_to_is_not_asked_for(matcher: SkillMatcher) -> None:
    assert keys(matcher, "A Pythonic alternative to ArgoCD and FluxCD for Kubernetes") == ["python", "kubernetes"]
    assert keys(matcher, "A Jenkins replacement in Python") == ["python"]
    assert keys(matcher, "A zero-dependency app in Bun with a tailwind-like layer") == ["bun"]
    assert "argo cd" in [m.key for m in matcher.find("An alternative to ArgoCD", lenient=True)]
    listed = "An open-source alternative to paid services like: AssemblyAI\nDeepgram\nGoogle Cloud\nMicrosoft Azure"
    assert keys(matcher, listed) == []
    assert keys(matcher, "The recent relicensing of Redis bothered many; I built a relicensing monitor.") == []


def test_web_addresses_and_tag_lines(matcher: SkillMatcher) -> None:
    assert keys(matcher, "See https://github.com/someone/atomic-css for the code") == []
    assert keys(matcher, "Hiring https://www.example.comGo/HTMX/Postgres") == ["go", "htmx", "postgresql"]
    tags = "Senior Back End Engineer\nTechnologies\nazure devops c# f# typescript"
    assert keys(matcher, tags) == ["azure", "c#", "f#", "typescript"]
    short = "Data Analyst\nTechnologies\nr sql go"
    assert keys(matcher, short) == ["r", "sql", "go"]
    assert "selenium" in {m.key for m in matcher.find("Tester\nTechnologies\nqa python automation")}


def test_mentions_say_how_they_were_named(matcher: SkillMatcher) -> None:
    mentions = {m.key: m for m in matcher.find("Postgres and Python for machine learning")}
    assert (mentions["postgresql"].via, mentions["postgresql"].text, mentions["postgresql"].start) == (
        "alias",
        "Postgres",
        0,
    )
    assert mentions["python"].via == "name"
    assert mentions["pytorch"].via == "concept"
    assert matcher.name("postgresql") == "PostgreSQL"


def test_a_javascript_library_the_vocabulary_does_not_know_is_javascript(matcher: SkillMatcher) -> None:
    assert keys(matcher, "I'm working on Facebook.js, an API wrapper") == ["javascript"]
    assert keys(matcher, "A Vue.js front end") == ["vue.js"]  # a known name stays itself


def test_read_leniently_a_name_the_context_leaves_open_is_kept_and_an_ordinary_word_is_not(
    matcher: SkillMatcher,
) -> None:
    def lenient(text: str) -> list[str]:
        return [m.key for m in matcher.find(text, lenient=True) if not m.related]

    assert keys(matcher, "Go is what we use.") == []  # the first word of a sentence: undecided
    assert lenient("Go is what we use.") == ["go"]
    assert lenient("We plan to go live in March.") == []  # an ordinary phrase stays ordinary
    assert lenient("Spark some new ideas.") == []


def test_both_views_are_one_list_when_the_context_decides_every_name_and_none_is_only_referred_to(
    matcher: SkillMatcher,
) -> None:
    def named(mentions: list[Mention]) -> list[str]:
        return [m.key for m in mentions if not m.related]

    decided = matcher.read("A backend in Go with Redis.")
    assert decided.agreed
    assert decided.lenient is decided.strict
    assert named(decided.strict) == ["go", "redis"]
    open_ = matcher.read("Go is what we use. Redis caches it.")  # the first word of a sentence: undecided
    assert not open_.agreed
    assert (named(open_.strict), named(open_.lenient)) == (["redis"], ["go", "redis"])
    referred = matcher.read("We want a Jenkins replacement built in Python.")
    assert not referred.agreed
    assert "jenkins" not in named(referred.strict)
    assert "jenkins" in named(referred.lenient)


def test_an_acronym_without_its_family_is_dropped_and_the_rest_of_the_text_is_kept(matcher: SkillMatcher) -> None:
    assert keys(matcher, "ADF pipelines feeding the warehouse") == []
    assert keys(matcher, "ADF pipelines on Azure with Python notebooks") == ["azure data factory", "azure", "python"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("OUR BACKEND IS WRITTEN IN GO", ["go"]),  # shouted, and the name is the last word
        ("A Go (1.22) service for payments", ["go"]),  # after the text's one-letter first word: mid-sentence
        ("the backend is rust/go", ["rust", "go"]),  # a lower-case list in a sentence about software
        ("We use async Rust everywhere.", ["rust"]),  # a context word a few words before
        ("Idiomatic async Rust everywhere", ["rust"]),  # ... also when it is the text's first word
        ("Postgres for storage, the rest in go. Launch in May.", ["postgresql", "go"]),  # "in", beside a technology
        ("Hi there. The backend is in go. Thanks!", ["go"]),  # "in", in a sentence about software
    ],
)
def test_context_decides_for_a_name_the_simpler_rules_leave_open(
    matcher: SkillMatcher, text: str, expected: list[str]
) -> None:
    assert keys(matcher, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The Kubernetes cluster got a grade C rating.", ["kubernetes"]),  # one letter: a technology beside is no proof
        ("Our new app must Spark interest among the partners.", []),  # capitalised, yet an ordinary phrase goes on
        ("The app is live. Go to the settings page to try it.", []),  # a sentence's first word in a software text
        ("Hi there. We met in spring. The backend is new.", []),  # the software words are in another sentence
        ("Ruby and Julia went to the park.", []),  # two undecided names side by side decide nothing for each other
        ("IF THE APP FAILS WE FALL BACK TO PLAN C.", []),  # shouted: capitals say nothing about a name
    ],
)
def test_ordinary_words_stay_ordinary_in_a_text_about_software(
    matcher: SkillMatcher, text: str, expected: list[str]
) -> None:
    assert keys(matcher, text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "We use paint. Rust remover on the old pipes.",
        "Guess what we use! Rust remover on the old pipes.",
        "What do we use? Rust remover on the old pipes.",
        "Tools we use; Rust remover on the old pipes.",
        "We use paint\nRust remover on the old pipes.",
    ],
)
def test_a_context_word_in_the_sentence_before_does_not_count(matcher: SkillMatcher, text: str) -> None:
    assert keys(matcher, text) == []


def test_a_testing_library_named_after_a_framework_is_the_library(matcher: SkillMatcher) -> None:
    assert keys(matcher, "Tests with jest and react testing library") == ["jest", "react testing library"]
