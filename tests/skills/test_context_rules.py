"""Names in context: tools and products named as context, comparisons and replacements, emphasis wording, choices."""

import pytest

from bestdev.skills.matcher import SkillMatcher


def named(matcher: SkillMatcher, text: str) -> dict[str, str]:
    return {mention.key: mention.weight for mention in matcher.find(text) if not mention.related}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Drain a Kubernetes node before upgrading", {"kubernetes"}),  # a cluster's node, not Node.js
        ("java python go", {"java", "python", "go"}),  # a list without commas still reads
        ("Experience with Python go", {"python", "go"}),
        ("Plan the go-live of the Kubernetes cluster with Terraform", {"kubernetes", "terraform"}),
        ("Train agents in OpenAI Gym with Python", {"gymnasium", "python"}),  # not the OpenAI API
        ("A plugin for Python developers, run in Android Studio", {"python", "android studio"}),  # the IDE, not Android
        ("A web shop for the game Elixir Emporium, built with React", {"react"}),  # a title, not the language
        ("Rust Belt logistics app in Go", {"go"}),
        ("We write Elixir services with Phoenix", {"elixir", "phoenix"}),
    ],
)
def test_names_in_context(matcher: SkillMatcher, text: str, expected: set[str]) -> None:
    assert set(named(matcher, text)) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Unlike Terraform, Pulumi uses Python", {"pulumi", "python"}),
        ("Port from C to Rust", {"rust"}),
        ("We are porting the engine from Java to Kotlin", {"kotlin"}),
        ("Compared to Jenkins, GitHub Actions is simpler", {"github actions"}),
        ("An alternative to ArgoCD, FluxCD and Spinnaker for Kubernetes", {"kubernetes"}),  # a list stays a list
    ],
)
def test_what_is_compared_or_replaced_is_not_asked_for(matcher: SkillMatcher, text: str, expected: set[str]) -> None:
    assert set(named(matcher, text)) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Strong familiarity with Kubernetes", {"kubernetes": "must"}),
        ("Familiarity with Kubernetes", {"kubernetes": "nice"}),
        ("Solid understanding of Go and gRPC", {"go": "must", "grpc": "must"}),
        ("Java required. Advantage: Kafka", {"java": "must", "kafka": "nice"}),
    ],
)
def test_emphasis_wording(matcher: SkillMatcher, text: str, expected: dict[str, str]) -> None:
    assert named(matcher, text) == expected


@pytest.mark.parametrize(
    ("text", "choices"),
    [
        ("Python or Go, and React or Vue", [{"python", "go"}, {"react", "vue.js"}]),
        ("Java, Kotlin or Scala on the backend", [{"java", "kotlin", "scala"}]),
        ("Python, Go and React", []),
        ("Java and/or Kotlin", [{"java", "kotlin"}]),
    ],
)
def test_alternatives_are_one_choice(matcher: SkillMatcher, text: str, choices: list[set[str]]) -> None:
    groups: dict[int, set[str]] = {}
    for mention in matcher.find(text):
        if not mention.related and mention.either >= 0:
            groups.setdefault(mention.either, set()).add(mention.key)
    assert list(groups.values()) == choices
