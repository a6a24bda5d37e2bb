"""Training examples from people's decisions (an exported feedback file): the developer a staffing manager chose
or called a good pick is the label, with the reason built from the skills of theirs the description names.

One example per prompt: a "chosen" decision outranks a "good" one and, among equals, the latest wins; "wrong"
decisions are never labels, but their prompts are kept away from the generated examples (whose label might be
the very developer a person rejected). A decision about someone who has left the pool is skipped.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from bestdev import template
from bestdev.dataset.formats import Example
from bestdev.feedback.records import Decision
from bestdev.pool import Pool
from bestdev.recommend.grounding import Refused, ground
from bestdev.recommend.local import LocalRecommender

# When the description names none of the chosen developer's listed skills, the reason says only what is known.
CHOSEN_WITHOUT_NAMED_SKILLS = "They were chosen for the project by the people who staff it."
_RANK = {"chosen": 2, "good": 1}


@dataclass(frozen=True)
class PeopleExamples:
    examples: list[Example]  # one per prompt, in the order of the decisions' times
    prompts: set[str]  # prompt keys of every decision, "wrong" ones included: generated examples stay away
    decisions: int  # decisions read
    superseded: int  # chosen/good decisions another decision on the same prompt outranked
    left_pool: list[str] = field(default_factory=list)  # developers named by decisions who are no longer in the pool

    def split(self, fraction: float, seed: int) -> tuple[list[Example], list[Example]]:
        """A fixed share for validation (rounded), drawn with its own generator so generated data stays as it was."""
        rng = random.Random(f"people:{seed}")
        shuffled = rng.sample(self.examples, len(self.examples))
        wanted = round(len(shuffled) * fraction) if len(shuffled) > 1 else 0
        return shuffled[wanted:], shuffled[:wanted]


def people_examples(
    decisions: Sequence[Decision], pool: Pool, recommender: LocalRecommender, normalise: Callable[[str], str]
) -> PeopleExamples:
    """`normalise` keys a prompt (dataset_build.prompt_key), so people's and generated examples compare alike."""
    prompts: set[str] = set()
    best: dict[str, Decision] = {}
    superseded = 0
    left: list[str] = []
    for decision in decisions:
        prompt_text = template.prompt(pool.company, decision.description)
        prompt_key = normalise(prompt_text)
        prompts.add(prompt_key)
        if decision.verdict not in _RANK:
            continue
        if pool.find(decision.developer) is None:
            left.append(decision.developer)
            continue
        current = best.get(prompt_key)
        if current is None:
            best[prompt_key] = decision
            continue
        superseded += 1
        if (_RANK[decision.verdict], decision.created_at) >= (_RANK[current.verdict], current.created_at):
            best[prompt_key] = decision
    chosen = sorted(best.values(), key=lambda decision: (decision.created_at, decision.id))
    return PeopleExamples(
        examples=[_example(decision, pool, recommender) for decision in chosen],
        prompts=prompts,
        decisions=len(decisions),
        superseded=superseded,
        left_pool=sorted(set(left)),
    )


def _example(decision: Decision, pool: Pool, recommender: LocalRecommender) -> Example:
    developer = pool.find(decision.developer)
    assert developer is not None
    try:  # with no claim of its own, grounding gives the pool's names for what they hold that the text names
        skills = list(
            ground(
                developer, "", recommender.matcher.find(decision.description, lenient=True), recommender.matcher
            ).skills
        )
    except Refused:
        skills = []
    reason = template.reason(skills) if skills else CHOSEN_WITHOUT_NAMED_SKILLS
    return Example(
        prompt=template.prompt(pool.company, decision.description),
        completion=template.completion(developer.name, reason),
        kind="match",
        description=decision.description,
        developer=developer.name,
        source="people",
    )
