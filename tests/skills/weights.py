"""What the tests of emphasis and skills sections compare: each named technology's weight."""

from bestdev.skills.matcher import SkillMatcher


def weights(matcher: SkillMatcher, text: str) -> dict[str, str]:
    return {mention.key: mention.weight for mention in matcher.find(text) if not mention.related}
