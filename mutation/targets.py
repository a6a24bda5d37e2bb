"""The modules that guard users, and the tests that are theirs: each mutant is judged by these tests alone.

The fast, focused test files come first: pytest stops at the first failure (-x), so most mutants die in seconds.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Target:
    name: str
    module: str
    tests: tuple[str, ...]
    scopes: tuple[str, ...] = ()  # only mutants inside these functions or classes; all of the module when empty

    def covers(self, key: str) -> bool:
        scope = key.split(": ", 1)[0]
        return not self.scopes or any(scope == wanted or scope.startswith(f"{wanted}.") for wanted in self.scopes)


TARGETS = (
    Target(
        "input-guard",
        "bestdev/api/body_guard.py",
        ("tests/api/test_body_guard.py", "tests/api/test_bad_input.py"),
    ),
    Target(
        "template",
        "bestdev/template.py",
        ("tests/test_template.py", "tests/recommend/test_injection.py"),
    ),
    Target(
        "model-faults",
        "bestdev/model/fine_tuned.py",
        (
            "tests/model/test_fine_tuned.py",
            "tests/recommend/test_fine_tuned.py",
            "tests/recommend/test_model_faults.py",
        ),
    ),
    Target(
        "grounding",
        "bestdev/recommend/fine_tuned.py",
        ("tests/recommend/test_fine_tuned.py", "tests/recommend/test_injection.py"),
    ),
    Target(
        "matcher",
        "bestdev/skills/matcher.py",
        ("tests/skills/test_matcher.py",),
    ),
    Target(
        "ranking",
        "bestdev/recommend/local.py",
        ("tests/recommend/test_local.py",),
    ),
)


def find(name: str) -> Target:
    """A target by its name or its module's path."""
    for target in TARGETS:
        if name in (target.name, target.module):
            return target
    known = ", ".join(target.name for target in TARGETS)
    raise SystemExit(f"mutation: no target {name!r}; the targets are {known}")
