"""Builds a fine-tuning dataset from a pool: one list of examples, split, written in both formats.

Labels come from the embedded recommender (the developer it ranks first, with the skills it matched), prompts
and completions from the template module, so training data and serving cannot drift apart.
"""

from __future__ import annotations

import json
import random
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from bestdev import template
from bestdev.dataset.defaults import DEFAULT_EXAMPLES, DEFAULT_SEED, DEFAULT_VALIDATION_FRACTION
from bestdev.dataset.formats import FORMATS, Example, Split, file_name, record, write_jsonl
from bestdev.dataset.from_people import PeopleExamples, people_examples
from bestdev.dataset.listed import known_labels
from bestdev.dataset.phrasings import (
    CUSTOMER_PREFIXES,
    CUSTOMER_SUFFIXES,
    PROJECT_DOMAINS,
    PROJECT_KINDS,
    PROJECT_SYSTEMS,
    STYLES,
    Brief,
    customer_name,
    describe,
    names_project,
    phrasings_for,
    project_name,
    write_stack,
)
from bestdev.dataset.stacks import StackDrawer
from bestdev.errors import BestDevError
from bestdev.feedback.records import Decision
from bestdev.pool import Developer, Pool, TrainedPool
from bestdev.recommend.base import Recommendation
from bestdev.recommend.local import LocalRecommender
from bestdev.skills.vocabulary import Technology, Vocabulary, load_vocabulary

NO_MATCH_SHARE = 0.08
ATTEMPTS_PER_EXAMPLE = 25
ATTEMPTS_PER_MISSING_DEVELOPER = 60
ROUNDS_PER_EXAMPLE = 4
MANIFEST = "dataset.json"


class DatasetError(BestDevError, ValueError):
    """The dataset cannot be built as asked; the message says why."""


@dataclass(frozen=True)
class Dataset:
    company: str
    seed: int
    training: list[Example]
    validation: list[Example]
    never_ranked_first: list[str] = field(default_factory=list)
    people: PeopleExamples | None = None  # set when built with feedback (--feedback)

    def labels(self, split: Split | None = None) -> Counter[str]:
        examples = self.training if split == "training" else self.validation if split else self.all
        return Counter(example.developer for example in examples if example.developer)

    @property
    def all(self) -> list[Example]:
        return [*self.training, *self.validation]


def prompt_key(prompt: str) -> str:
    """Prompts that differ only in case or whitespace are the same prompt."""
    return " ".join(prompt.casefold().split())


class _Builder:
    def __init__(self, pool: Pool, vocabulary: Vocabulary | Sequence[Technology], seed: int) -> None:
        self.pool = pool
        self.rng = random.Random(seed)
        self.recommender = LocalRecommender(pool, vocabulary)
        self.stacks = StackDrawer(self.recommender, vocabulary, self.rng)
        plain = self._without_technologies
        self.domains, self.systems = plain(PROJECT_DOMAINS), plain(PROJECT_SYSTEMS)
        self.prefixes, self.suffixes = plain(CUSTOMER_PREFIXES), plain(CUSTOMER_SUFFIXES)
        self.kinds = plain(PROJECT_KINDS)
        self.seen: set[str] = set()

    def _without_technologies(self, words: tuple[str, ...]) -> tuple[str, ...]:
        """Filler words that name no technology, so only the stack decides the label."""
        return tuple(word for word in words if not self.recommender.matcher.find(word))

    def brief(self, stack: tuple[str, ...]) -> Brief:
        return Brief(
            project=project_name(self.rng, self.domains, self.systems),
            customer=customer_name(self.rng, self.prefixes, self.suffixes),
            kind=self.rng.choice(self.kinds),
            stack=stack,
        )

    def example(self, stack: tuple[str, ...], want_match: bool) -> Example | None:
        """An example for this stack in a random phrasing; None when its label is not the wanted kind, would be
        unclear (a technology in the stack goes unrecognised, or two developers tie for first), or repeats."""
        brief = self.brief(stack)
        style = self.rng.choice(STYLES)
        phrasing = self.rng.choice(phrasings_for(style))
        description = describe(phrasing, self.pool.company, brief, write_stack(style, stack))
        prompt = template.prompt(self.pool.company, description)
        if prompt_key(prompt) in self.seen:
            return None
        ranked = self.recommender.rank(description, 2)
        if want_match != bool(ranked):
            return None
        if want_match and (not self._all_recognised(description, stack) or _tied(ranked)):
            return None
        if ranked:
            best = ranked[0]
            project = brief.project if names_project(phrasing) else None
            reason = template.reason(best.matched_skills, project)
            example = Example(prompt, template.completion(best.name, reason), "match", description, best.name)
        else:
            example = Example(prompt, template.completion(None, template.no_match_reason()), "no-match", description)
        self.seen.add(prompt_key(prompt))
        return example

    def _all_recognised(self, description: str, stack: tuple[str, ...]) -> bool:
        found = [mention.text.casefold() for mention in self.recommender.matcher.find(description)]
        return all(any(text in item.casefold() for text in found) for item in stack)

    def first(self, draw: int, want_match: bool, developer: Developer | None = None) -> Example | None:
        for _ in range(draw):
            stack = self.stacks.around(developer) if developer else self.stacks.outside_stack()
            example = self.example(stack, want_match)
            if example is not None:
                return example
        return None

    def matches(self, count: int) -> list[Example]:
        """Round robin over the developers (in a fresh random order each round) so everyone is asked about."""
        examples: list[Example] = []
        order: list[Developer] = []
        askable = [developer for developer in self.pool.developers if known_labels(developer)]
        for _ in range(count * ROUNDS_PER_EXAMPLE if askable else 0):
            if len(examples) == count:
                break
            if not order:
                order = self.rng.sample(askable, len(askable))
            example = self.first(ATTEMPTS_PER_EXAMPLE, True, order.pop())
            if example is not None:
                examples.append(example)
        if len(examples) < count:
            raise DatasetError(
                f"only {len(examples)} distinct examples with a match could be made for {count}: "
                "the pool lists too few skills the recommender recognises"
            )
        return examples

    def cover(self, examples: list[Example]) -> list[str]:
        """Give every developer the recommender never ranked first an example of their own, in place of an
        example of the most frequent label; returns those who still have none."""
        missing = []
        for developer in self.pool.developers:
            if any(example.developer == developer.name for example in examples):
                continue
            found = None
            labels = len(known_labels(developer))
            for _ in range(ATTEMPTS_PER_MISSING_DEVELOPER if labels else 0):
                size = self.rng.randint(min(2, labels), labels)
                candidate = self.example(self.stacks.around(developer, size), True)
                if candidate is not None and candidate.developer == developer.name:
                    found = candidate
                    break
            if found is None:
                missing.append(developer.name)
                continue
            counts = Counter(example.developer for example in examples if example.developer)
            most = counts.most_common(1)[0][0]
            drop = max(index for index, example in enumerate(examples) if example.developer == most)
            examples[drop] = found
        return missing

    def no_matches(self, count: int) -> list[Example]:
        if not self.stacks.outside:
            return []
        found = (self.first(ATTEMPTS_PER_EXAMPLE, False) for _ in range(count))
        return [example for example in found if example is not None]

    def pool_context(self) -> Example:
        listing = [(developer.name, known_labels(developer)) for developer in self.pool.developers]
        prompt = template.pool_context_prompt(self.pool.company, listing)
        return Example(prompt, template.pool_context_completion(), "pool-context")

    def split(self, examples: list[Example], fraction: float) -> tuple[list[Example], list[Example]]:
        """Validation takes examples at random, but never a developer's (or the no-match kind's) last one."""
        shuffled = self.rng.sample(examples, len(examples))
        wanted = round(len(examples) * fraction)
        left = Counter(example.developer or example.kind for example in shuffled)
        training: list[Example] = []
        validation: list[Example] = []
        for example in shuffled:
            label = example.developer or example.kind
            if len(validation) < wanted and left[label] > 1:
                validation.append(example)
                left[label] -= 1
            else:
                training.append(example)
        return training, validation


def _tied(ranked: Sequence[Recommendation]) -> bool:
    return len(ranked) > 1 and ranked[0].score == ranked[1].score


def build(
    pool: Pool,
    examples: int = DEFAULT_EXAMPLES,
    validation_fraction: float = DEFAULT_VALIDATION_FRACTION,
    seed: int = DEFAULT_SEED,
    vocabulary: Vocabulary | Sequence[Technology] | None = None,
    feedback: Sequence[Decision] | None = None,
) -> Dataset:
    """`examples` project examples (matches and no-matches) split into training and validation; the pool
    context example comes first in training, on top.

    With `feedback` (exported decisions), people's examples come on top of those, first in both splits: a fixed
    share of them goes to validation, and no generated example repeats a prompt people gave a decision on."""
    if examples < len(pool.developers):
        raise DatasetError(
            f"--examples {examples} is too few to give each of the {len(pool.developers)} developers an example"
        )
    if not 0 <= validation_fraction < 1:
        raise DatasetError(f"--validation-fraction must be at least 0 and below 1, not {validation_fraction:g}")
    builder = _Builder(pool, load_vocabulary() if vocabulary is None else vocabulary, seed)
    people = None if feedback is None else people_examples(feedback, pool, builder.recommender, prompt_key)
    if people is not None:
        builder.seen |= people.prompts
    no_match = builder.no_matches(max(1, round(examples * NO_MATCH_SHARE)))
    matches = builder.matches(examples - len(no_match))
    missing = builder.cover(matches)
    training, validation = builder.split([*matches, *no_match], validation_fraction)
    people_training, people_validation = people.split(validation_fraction, seed) if people else ([], [])
    return Dataset(
        pool.company,
        seed,
        [builder.pool_context(), *people_training, *training],
        [*people_validation, *validation],
        missing,
        people,
    )


def write(dataset: Dataset, out_dir: Path, pool_file: str, pool: Pool | None = None) -> list[Path]:
    """The four JSONL files (training/validation x prompt-completion/chat) and a manifest saying what they hold;
    with the `pool`, its version and what each developer knew (for comparing the live pool with it later)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for split, examples in (("training", dataset.training), ("validation", dataset.validation)):
        for data_format in FORMATS:
            path = out_dir / file_name(split, data_format)  # type: ignore[arg-type]
            write_jsonl(path, (record(example, data_format) for example in examples))
            written.append(path)
    kinds = Counter(example.kind for example in dataset.all)
    manifest = {
        "company": dataset.company,
        "pool": pool_file,
        "seed": dataset.seed,
        "training_examples": len(dataset.training),
        "validation_examples": len(dataset.validation),
        "kinds": dict(sorted(kinds.items())),
        "labels": dict(sorted(dataset.labels().items())),
        "never_ranked_first": dataset.never_ranked_first,
        "files": [path.name for path in written],
    }
    if pool is not None:
        manifest["pool_version"] = pool.version
        manifest["trained_pool"] = TrainedPool.of(pool).model_dump()
    if dataset.people is not None:
        manifest["from_people"] = {
            "training": sum(example.source == "people" for example in dataset.training),
            "validation": sum(example.source == "people" for example in dataset.validation),
            "decisions_read": dataset.people.decisions,
            "superseded": dataset.people.superseded,
            "developers_no_longer_in_pool": dataset.people.left_pool,
        }
    manifest_path = out_dir / MANIFEST
    manifest_path.write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return [*written, manifest_path]
