"""Technology stacks for generated projects, written the way people write them: by name, alias or related concept."""

from __future__ import annotations

import random
from collections.abc import Sequence

from bestdev.dataset.listed import known_labels
from bestdev.pool import Developer
from bestdev.recommend.local import LocalRecommender
from bestdev.skills.vocabulary import Technology, Vocabulary, skill_key

ALIAS_CHANCE = 0.35
RELATED_CHANCE = 0.2
EXTRA_CHANCE = 0.3
# Technologies for no-match projects when the vocabulary names too few that nobody in the pool has. Each is
# used only if the embedded recommender finds nobody for it, so a pool that does know one never gets it.
# fmt: off
OUTSIDE_FALLBACK = (
    "COBOL", "Fortran", "Haskell", "Elixir", "Erlang", "Clojure", "Scala", "Perl", "Delphi", "Lua",
    "OCaml", "Magento", "Salesforce Apex", "ServiceNow", "Xamarin", "Visual Basic 6", "ABAP", "Lotus Notes",
)
# fmt: on


class StackDrawer:
    """Draws stacks around a developer's listed technologies, or from technologies nobody in the pool has."""

    def __init__(
        self, recommender: LocalRecommender, vocabulary: Vocabulary | Sequence[Technology], rng: random.Random
    ) -> None:
        self.recommender = recommender
        self.rng = rng
        self._technology: dict[str, Technology] = {skill_key(tech.name): tech for tech in vocabulary}
        self._all_labels = list(
            dict.fromkeys(label for developer in recommender.pool.developers for label in known_labels(developer))
        )
        self.outside = self._outside(vocabulary)

    def around(self, developer: Developer, size: int | None = None) -> tuple[str, ...]:
        """Some of the developer's technologies (skills first), maybe one from someone else, in surface forms."""
        labels = known_labels(developer)
        size = size or self.rng.randint(min(2, len(labels)), min(4, len(labels)))
        chosen = self.rng.sample(labels, min(size, len(labels)))
        if self.rng.random() < EXTRA_CHANCE:
            extra = self.rng.choice(self._all_labels)
            if extra not in chosen:
                chosen.insert(self.rng.randrange(len(chosen) + 1), extra)
        return tuple(self.surface(label) for label in chosen)

    def outside_stack(self) -> tuple[str, ...]:
        return tuple(self.rng.sample(self.outside, min(len(self.outside), self.rng.randint(1, 3))))

    def surface(self, label: str) -> str:
        """The pool's label, or one of its vocabulary aliases or related concepts."""
        technology = self._technology.get(self.recommender.matcher.canonical(label))
        if technology is None:
            return label
        draw = self.rng.random()
        if technology.related and draw < RELATED_CHANCE:
            return self.rng.choice(technology.related)
        if technology.aliases and draw < RELATED_CHANCE + ALIAS_CHANCE:
            return self.rng.choice(technology.aliases)
        return label

    def _outside(self, vocabulary: Vocabulary | Sequence[Technology]) -> list[str]:
        candidates = dict.fromkeys([*(tech.name for tech in vocabulary if not tech.ambiguous), *OUTSIDE_FALLBACK])
        return [name for name in candidates if not self.recommender.rank(name, 1)]
