"""The bitset search must return exactly what scoring every developer one by one would."""

import random

import pytest

from bestdev.pool import Developer, Pool, Project, name_key
from bestdev.recommend.local import LocalRecommender
from bestdev.recommend.reading import CONCEPT_DEPTH_BONUS, CONCEPT_DEPTH_CAP, _requirement_groups
from bestdev.recommend.skill_index import knowledge

SKILLS = [
    *("Python", "SQL", "Kafka", "Go", "Rust", "React", "Next.js", "AKS", "Kubernetes", "k8s", "Docker", "Snowflake"),
    *("dbt", "SwiftUI", "Xcode", "iOS", "Azure Functions", "Bicep", "Azure"),
]


def brute_force(recommender: LocalRecommender, description: str, k: int) -> list[tuple[str, tuple[str, ...]]]:
    """Score every developer one by one: per requirement the best option they know (deepened for a concept),
    times the requirement's tier factor; only developers who can be a fit (see LocalRecommender)."""
    mentions = recommender.matcher.find(description)
    needs = recommender.read(description, mentions).needs
    groups = _requirement_groups(mentions)
    rarity = recommender.index.rarity
    top_tier = max((need.tier for need in needs), default=0)
    scored = []
    for developer in recommender.pool.developers:
        known = knowledge(developer, recommender.matcher)
        best = []
        for (group, concept, _, _), need in zip(groups, needs, strict=True):
            options = [
                (rarity[key] * known[key].level * factor, known[key].label) for key, factor in group if key in known
            ]
            if not options:
                best.append((0.0, "", need.tier))
                continue
            credit, label = max(options, key=lambda option: option[0])
            if concept:
                credit *= 1 + CONCEPT_DEPTH_BONUS * min(CONCEPT_DEPTH_CAP, len(options) - 1)
            best.append((credit * need.factor, label, need.tier))
        bit = sorted(recommender.pool.developers, key=lambda d: (name_key(d.name), d.name)).index(developer)
        profile = sum(r.best for r in recommender.read(description, mentions).profile if r.anyone >> bit & 1)
        score = sum(credit for credit, _, _ in best) + (profile if any(credit > 0 for credit, _, _ in best) else 0.0)
        if top_tier == 2 and not any(credit > 0 and tier == 2 for credit, _, tier in best):
            continue
        if score > 0:
            labels = tuple(dict.fromkeys(label for credit, label, _ in best if credit > 0))
            met = sum(credit > 0 for credit, _, _ in best)
            scored.append((-round(score, 9), -met, name_key(developer.name), developer.name, labels))
    if top_tier == 1 and not any(
        need.requirement is not None for need in needs if need.tier == 1
    ):  # the named stack is missing: no fit
        return []
    return [(entry[3], entry[4]) for entry in sorted(scored)[:k]]


@pytest.mark.parametrize("seed", range(12))
def test_index_matches_brute_force_on_random_pools(seed: int) -> None:
    rng = random.Random(seed)
    developers = []
    for number in range(rng.randint(1, 60)):
        skills = rng.sample(SKILLS, rng.randint(1, 4))
        used = rng.sample(SKILLS, rng.randint(0, 2))
        projects = [Project(name="P", technologies=used)] if used else []
        title = rng.choice(["Data Engineer", "Cloud Architect", "Mobile Developer", None])
        developers.append(
            Developer(name=f"Dev {rng.randint(0, 10**6)} {number}", title=title, skills=skills, projects=projects)
        )
    recommender = LocalRecommender(Pool(company="Zure", developers=developers))
    for _ in range(8):
        concepts = ["machine learning", "containers", "iPhone app", "infrastructure as code", "mobile app"]
        wanted = rng.sample([*SKILLS, *concepts], rng.randint(1, 4))
        cue = rng.choice(["", "Must have: ", "Nice to have: "])
        role = rng.choice(["", " for the data team", " on the mobile app", " in the cloud"])
        description = ", ".join(wanted[:2]) + role + (f". {cue}{', '.join(wanted[2:])}" if wanted[2:] else "")
        k = rng.choice([1, 3, 10, 100])
        expected = brute_force(recommender, description, k)
        got = recommender.rank(description, k)
        assert [(r.name, r.matched_skills) for r in got] == expected, description
