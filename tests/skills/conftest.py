"""The reading tests' shared matcher: the bundled vocabulary, no pool names (test_matcher.py makes its own)."""

import pytest

from bestdev.skills.matcher import SkillMatcher
from bestdev.skills.vocabulary import load_vocabulary


@pytest.fixture(scope="session")
def matcher() -> SkillMatcher:
    return SkillMatcher(load_vocabulary())
