"""Assertions shared by the abuse tests: a response is grounded in the pool, an error has the envelope."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from bestdev.recommend.local import LocalRecommender


def assert_grounded(local: LocalRecommender, name: str, matched_skills: Iterable[str], reason: str) -> None:
    """`name` is in the pool as spelled there; its skills and every technology its reason names are listed for them."""
    developer = local.pool.find(name)
    assert developer is not None, f"{name!r} is not in the pool"
    assert developer.name == name, f"{name!r} is not spelled as the pool spells {developer.name!r}"
    listed = {*developer.skills, *developer.experience}
    assert set(matched_skills) <= listed, f"{name}: {set(matched_skills) - listed} not listed for them"
    known = {local.matcher.canonical(skill) for skill in listed}
    named = {mention.key for mention in local.matcher.find(reason) if not mention.related}
    assert named <= known, f"{name}'s reason names {named - known}, which the pool does not list: {reason!r}"
    others = [other.name for other in local.pool.developers if other.name != name and other.name in reason]
    assert not others, f"{name}'s reason names other developers: {others}"


def assert_response_grounded(local: LocalRecommender, body: dict[str, Any]) -> None:
    """Every recommendation in a /api/recommend response body is grounded."""
    for item in body["recommendations"]:
        assert_grounded(local, item["name"], item["matched_skills"], item["reason"])
    for item in body.get("closest", []):
        not_a_fit, _, closest_because = item["reason"].partition("Closest because")
        assert not_a_fit.startswith("Not a fit"), item
        assert_grounded(local, item["name"], item["holds"], closest_because)


def assert_envelope(body: Any) -> None:
    """{"error": {"code": str, "message": str}} and nothing else, with no stack trace."""
    assert isinstance(body, dict), body
    assert set(body) == {"error"}, body
    assert isinstance(body["error"], dict), body
    assert set(body["error"]) == {"code", "message"}, body
    assert all(isinstance(value, str) and value for value in body["error"].values()), body
    assert "Traceback" not in body["error"]["message"], body


def assert_team_grounded(local: LocalRecommender, body: dict[str, Any]) -> None:
    """Every member of a /api/team response is in the pool and holds each named technology they cover."""
    from bestdev.recommend.skill_index import knowledge

    concepts = {item["technology"] for item in body["understood"] if item["via"] == "concept"}
    read = {item["technology"] for item in body["understood"]}
    for member in body["members"]:
        developer = local.pool.find(member["name"])
        assert developer is not None, member
        assert developer.name == member["name"], member
        held = knowledge(developer, local.matcher)
        assert set(member["covers"]) <= read, member
        named = [name for name in member["covers"] if name not in concepts]
        assert all(local.matcher.canonical(name) in held for name in named), (member, sorted(held))
        assert_grounded(local, member["name"], [], member["reason"])
