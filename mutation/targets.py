"""The modules that guard users, and the tests that are theirs: each mutant is judged by these tests alone.

Each module's own test files (the ones that mirror it), the fast, exact ones first: pytest stops at the first
failure (-x), so most mutants die in seconds. Broader suites (injection properties, the API fault matrix) also
catch mutants of these modules, but cost tens of seconds a mutant on a shared machine; a score is what its own
tests catch.
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


# model/fine_tuned.py holds two concerns: how each failure maps to a fault, and when to call again (retries,
# waits, the breaker). They are measured as two targets, each with the tests written for it.
_FAULT_MAPPING = (
    "FineTunedModel.__init__",
    "FineTunedModel._attempt",
    "FineTunedModel._chat",
    "FineTunedModel._completion",
    "FineTunedModel.aclose",
    "_status_failure",
    "_service_message",
    "_first_choice",
    "_is_content_filter",
)
_RETRIES = (
    "FineTunedModel.complete",
    "FineTunedModel._admitted",
    "FineTunedModel._record",
    "FineTunedModel._retry_wait",
    "FineTunedModel._final",
    "_duration",
)
# The matcher's context rules: whether a word that names a technology is read as one where it stands.
_CONTEXT_RULES = (
    "SkillMatcher._in_context",
    "SkillMatcher._with_family",
    "SkillMatcher._reads_as_technology",
    "_State",  # what the rules read: each candidate's sentence, its neighbours in a list, capitals, software words
    "_words_before",
    "_gap",
)

TARGETS = (
    Target("input-guard", "bestdev/api/body_guard.py", ("tests/api/test_body_guard.py", "tests/api/test_bad_input.py")),
    Target("template", "bestdev/template.py", ("tests/test_template.py",)),
    Target(
        "model-faults",
        "bestdev/model/fine_tuned.py",
        ("tests/model/test_fine_tuned.py", "tests/model/test_warm_up.py"),
        scopes=_FAULT_MAPPING,
    ),
    Target(
        "model-retries",
        "bestdev/model/fine_tuned.py",
        ("tests/model/test_fine_tuned.py", "tests/recommend/test_throttling.py"),
        scopes=_RETRIES,
    ),
    Target(
        "grounding",
        "bestdev/recommend/fine_tuned.py",
        ("tests/recommend/test_fine_tuned_answers.py", "tests/recommend/test_fine_tuned.py"),
    ),
    Target("grounding-rules", "bestdev/recommend/grounding.py", ("tests/recommend/test_grounding.py",)),
    Target(
        "matcher-context",
        "bestdev/skills/matcher.py",
        ("tests/skills/test_matcher.py", "tests/skills/test_emphasis.py"),
        scopes=_CONTEXT_RULES,
    ),
    Target(
        "ranking",
        "bestdev/recommend/local.py",
        ("tests/recommend/test_local.py", "tests/recommend/test_local_index.py"),
    ),
)


def find(name: str) -> Target:
    """A target by its name or its module's path."""
    for target in TARGETS:
        if name in (target.name, target.module):
            return target
    known = ", ".join(target.name for target in TARGETS)
    raise SystemExit(f"mutation: no target {name!r}; the targets are {known}")
