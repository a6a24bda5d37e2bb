"""Skills sections of a brief: the heading, its items (on its line or the lines under it), how they are read (every
item as a technology name, in any case) and how much they weigh (must-haves; the rest of the text is context)."""

import pytest

from bestdev.skills.emphasis import skills_sections
from bestdev.skills.matcher import SkillMatcher
from bestdev.skills.vocabulary import load_vocabulary


@pytest.fixture(scope="module")
def matcher() -> SkillMatcher:
    return SkillMatcher(load_vocabulary())


def weights(matcher: SkillMatcher, text: str) -> dict[str, str]:
    return {mention.key: mention.weight for mention in matcher.find(text) if not mention.related}


@pytest.mark.parametrize(
    ("text", "items", "weight"),
    [
        ("Title\n\n- Description: a mesh.\n- Recommended Skills: Go, OCI Containers", "Go, OCI Containers", "must"),
        (
            "x\n- Recommended Skills:\n  - Rust\n  - WebAssembly\n- Expected Outcome: y",
            "- Rust\n  - WebAssembly",
            "must",
        ),
        ("**Skills required (preferred)**\n\nKotlin, Gradle\n\nMentors: someone", "Kotlin, Gradle", "must"),
        ("- 🛠️ **Skills Required:** JavaScript/TypeScript, AsyncAPI.", "JavaScript/TypeScript, AsyncAPI.", "must"),
        ("\tRecommended skills:\tgo, rust", "go, rust", "must"),
        (
            "**Knowledge prerequisites**: finite elements, Julia programming",
            "finite elements, Julia programming",
            "must",
        ),
        ("Nice-to-have skills: Redis, Kafka", "Redis, Kafka", "nice"),
        ("Tech stack: Go, Postgres", "Go, Postgres", "normal"),
    ],
)
def test_a_skills_heading_opens_a_section_of_items(text: str, items: str, weight: str) -> None:
    (section,) = skills_sections(text)
    assert text[section.start : section.end] == items
    assert section.weight == weight


@pytest.mark.parametrize(
    "text",
    ["We need skills in Go.", "Our skills matter: teamwork above all", "Description: a Go service"],
)
def test_prose_about_skills_is_no_section(text: str) -> None:
    assert [text[s.start : s.end] for s in skills_sections(text)] in ([], ["teamwork above all"])


def test_a_section_ends_at_the_next_label_or_a_blank_line() -> None:
    text = "Skills: Go\nRequirements: Java\n\nGo on"
    first, second = skills_sections(text)
    assert text[first.start : first.end] == "Go"
    assert text[second.start : second.end] == "Java"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Add a gateway\n\n- Recommended Skills: Go, OCI Containers", {"go"}),  # an ambiguous name first in the line
        ("Tests\n\n- Recommended Skills: go, kind, docker", {"go", "docker"}),  # lower case, beside unknown items
        ("Crate\n\n- Recommended Skills:\n  - OpenCV\n  - Rust\n  - WebAssembly", {"opencv", "rust", "webassembly"}),
        ("Vitess examples\n\n\tRecommended Skills:\tGo, Distributed Database", {"go"}),  # tab-indented
    ],
)
def test_every_item_of_a_skills_section_reads_as_a_technology(
    matcher: SkillMatcher, text: str, expected: set[str]
) -> None:
    assert set(weights(matcher, text)) >= expected


def test_outside_the_section_a_name_still_needs_its_context(matcher: SkillMatcher) -> None:
    text = "We go live in May.\n\nRecommended skills: Rust"
    assert "go" not in weights(matcher, text)


def test_the_section_holds_the_requirements_and_the_rest_is_context(matcher: SkillMatcher) -> None:
    text = (
        "Headlamp plugin\n\n- Description: Headlamp is a Kubernetes UI; build it in Android Studio.\n"
        "- Recommended Skills: Go, Prometheus"
    )
    assert weights(matcher, text) == {
        "kubernetes": "nice",
        "android studio": "nice",
        "go": "must",
        "prometheus": "must",
    }


def test_the_title_is_the_headline_not_context(matcher: SkillMatcher) -> None:
    text = "A Kafka connector\n\nThe connector streams data.\n\nRecommended skills: Java"
    assert weights(matcher, text) == {"kafka": "normal", "java": "must"}


def test_a_stack_list_makes_no_demands_so_the_rest_is_not_context(matcher: SkillMatcher) -> None:
    text = "DevOps Engineer (Docker Jenkins)\nTechnologies\ncloud aws azure"
    assert set(weights(matcher, text).values()) == {"normal"}


def test_a_cue_inside_the_section_still_counts(matcher: SkillMatcher) -> None:
    text = "X\n\nRecommended skills: Go, Kubernetes; Basic understanding of Python is a plus"
    assert weights(matcher, text) == {"go": "must", "kubernetes": "must", "python": "nice"}


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("An interactive visualiser built on Makie.jl and Dagger.jl", "julia"),
        ("Plots with chart.js", "javascript"),
        ("Package it for Nixpkgs and write NixOS modules", "nix"),
        ("Fix the build in setup.py", "python"),
        ("The parser lives in src/main.rs and lexer.rs", "rust"),
        ("A Gradle task in build.gradle.kts and Plugin.kt", "kotlin"),
        ("Improve the JuliaGeo packages", "julia"),
        ("Deploy it on PythonAnywhere", "python"),
        ("Bindings generated by JavaScriptCore", "javascript"),
    ],
)
def test_packages_and_their_ecosystems_name_their_technology(matcher: SkillMatcher, text: str, named: str) -> None:
    assert named in weights(matcher, text)


def test_a_web_address_ending_in_a_package_ending_is_not_a_package(matcher: SkillMatcher) -> None:
    assert "julia" not in weights(matcher, "See https://example.org/docs/foo.jl for the details")
    assert "go" not in weights(matcher, "Its documentation is on pkg.go.dev")


@pytest.mark.parametrize(
    "text",
    [
        "A talk at RustConf and JuliaCon",  # events named after a language are not work in it
        "Fix the login on GitHub and GitLab",  # only programming languages name packages and groups
    ],
)
def test_names_that_only_begin_like_a_language_do_not_name_it(matcher: SkillMatcher, text: str) -> None:
    assert not {"rust", "julia", "git"} & set(weights(matcher, text))


def test_where_a_must_have_is_insisted_on_and_listed_is_kept(matcher: SkillMatcher) -> None:
    text = "The tool must convert to TFLite.\n\nRecommended skills: Rust, TensorFlow"
    found = {mention.key: mention for mention in matcher.find(text) if not mention.related}
    assert found["tensorflow"].start < found["rust"].start  # first named in the prose ...
    assert found["rust"].listed_at < found["tensorflow"].listed_at  # ... but listed after Rust
