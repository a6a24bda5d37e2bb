"""The bitset search must return exactly what scoring every developer one by one would."""

import random

import pytest

from bestdev.pool import Developer, Pool, Project, name_key
from bestdev.recommend.local import LocalRecommender, _requirement_groups
from bestdev.recommend.skill_index import knowledge

SKILLS = ["Python", "SQL", "Kafka", "Go", "Rust", "React", "Next.js", "AKS", "Kubernetes", "Docker", "Snowflake", "dbt"]


def brute_force(recommender: LocalRecommender, description: str, k: int) -> list[tuple[str, float]]:
    groups = _requirement_groups(recommender.matcher.find(description))
    rarity = recommender.index.rarity
    scored = []
    for developer in recommender.pool.developers:
        known = knowledge(developer, recommender.matcher)
        credits = [
            max((rarity[key] * known[key].level * factor for key, factor in group if key in known), default=0.0)
            for group in groups
        ]
        score = sum(credits)
        if score > 0:
            met = sum(credit > 0 for credit in credits)
            scored.append((-round(score, 9), -met, name_key(developer.name), developer.name, score))
    return [(entry[3], entry[4]) for entry in sorted(scored)[:k]]


@pytest.mark.parametrize("seed", range(12))
def test_index_matches_brute_force_on_random_pools(seed: int) -> None:
    rng = random.Random(seed)
    developers = []
    for number in range(rng.randint(1, 60)):
        skills = rng.sample(SKILLS, rng.randint(1, 4))
        used = rng.sample(SKILLS, rng.randint(0, 2))
        projects = [Project(name="P", technologies=used)] if used else []
        developers.append(Developer(name=f"Dev {rng.randint(0, 10**6)} {number}", skills=skills, projects=projects))
    recommender = LocalRecommender(Pool(company="Zure", developers=developers))
    for _ in range(8):
        description = ", ".join(rng.sample([*SKILLS, "machine learning", "containers"], rng.randint(1, 4)))
        k = rng.choice([1, 3, 10, 100])
        expected = brute_force(recommender, description, k)
        got = recommender.rank(description, k)
        assert [r.name for r in got] == [name for name, _ in expected], description
