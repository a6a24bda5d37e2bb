import pytest

from bestdev.skills.matcher import SkillMatcher
from tests.skills.weights import weights


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Lead Rust engineer (6+ years of Rust). Bonus: Python, Docker, Kubernetes",
            {"rust": "must", "python": "nice", "docker": "nice", "kubernetes": "nice"},
        ),
        ("We need a senior Java developer. Experience with React is a plus.", {"java": "must", "react": "nice"}),
        ("Java required, Kafka nice to have", {"java": "must", "kafka": "nice"}),
        ("Must have: Go and PostgreSQL. Redis would be good.", {"go": "must", "postgresql": "must", "redis": "nice"}),
        ("A backend in Go with a bit of Redis", {"go": "normal", "redis": "nice"}),
        ("Strong Python and Django; Docker is also useful", {"python": "must", "django": "must", "docker": "nice"}),
        (
            "Requirements:\n- Java\n- Spring Boot\n\nNice to have\n- Kafka\n- Docker",
            {"java": "must", "spring boot": "must", "kafka": "nice", "docker": "nice"},
        ),
        (
            "Haemme Python-osaajaa, Dockerin ja Kubernetesin tuntemus katsotaan eduksi",
            {"python": "must", "docker": "nice", "kubernetes": "nice"},
        ),
        (
            "Vi söker en Kotlin-utvecklare, erfarenhet av Firebase är meriterande",
            {"kotlin": "must", "firebase": "nice"},
        ),
        ("Kubernetes-Kenntnisse sind von Vorteil, Python ist erforderlich", {"kubernetes": "nice", "python": "must"}),
        ("React and TypeScript for a customer portal", {"react": "normal", "typescript": "normal"}),
    ],
)
def test_how_much_the_description_insists(matcher: SkillMatcher, text: str, expected: dict[str, str]) -> None:
    assert weights(matcher, text) == expected
