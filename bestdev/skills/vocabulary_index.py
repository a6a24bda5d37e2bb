"""Everything the skill matcher derives from the vocabulary alone, and the generated file that ships it.

Deriving it from technologies.toml (parsing, the transitive implications, concepts inheriting the concepts inside
them, four trie regexes and their compilation) costs tens of milliseconds, most of the local recommender's
startup. So it is derived once, by REGENERATE, into vocabulary_index.json beside the TOML, and startup loads that
file instead: only while it was generated from the TOML as it is now (its hash says so), else it derives anew.
A test fails when the file is stale, naming the command.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from typing import Any

from bestdev.skills.term_pattern import COLON_INFLECTED, INFLECTED, PLURAL, TermSet, regex_flags
from bestdev.skills.vocabulary import VOCABULARY_FILE, Technology, Vocabulary, load_vocabulary, skill_key

INDEX_FILE = Path(str(files("bestdev") / "skills" / "vocabulary_index.json"))
REGENERATE = "python -m bestdev vocabulary"
SHORT = 2  # capitals this short, and single letters, are matched as written ("JS", "R"), never in ordinary text
SHORT_CONCEPT = 4  # concept acronyms this short are matched as written ("IoT", "VR", "GPT")

KINDS: dict[str, tuple[bool, str]] = {  # term set -> (folds case, optional suffix)
    "folded": (True, INFLECTED),  # names and aliases, in any case
    "ambiguous": (True, INFLECTED),  # names that are also ordinary words, in any case (the matcher decides)
    "exact": (False, COLON_INFLECTED),  # very short names, as written
    "short concepts": (False, PLURAL),
    "long concepts": (True, PLURAL),
}


@dataclass(frozen=True)
class VocabularyIndex:
    """The vocabulary as the matcher scans it: term sets per kind, and what the technologies imply and include."""

    terms: Mapping[str, TermSet]
    key_of: Mapping[str, str]  # lower-cased name or alias -> technology key
    names: Mapping[str, str]  # technology key -> its name as the vocabulary writes it
    ambiguous: frozenset[str]
    family_only: frozenset[str]  # lower-cased aliases that count only beside their family
    includes: Mapping[str, tuple[str, ...]]
    implies: Mapping[str, tuple[str, ...]]  # transitively
    languages: tuple[str, ...] = ()  # programming languages' names that can begin a package's or group's name
    language_keys: frozenset[str] = frozenset()  # the programming languages

    @classmethod
    def build(cls, vocabulary: Vocabulary | Iterable[Technology]) -> VocabularyIndex:
        technologies = tuple(vocabulary)
        key_of: dict[str, str] = {}
        names: dict[str, str] = {}
        folded: dict[str, tuple[str, ...]] = {}
        ambiguous_folded: dict[str, tuple[str, ...]] = {}
        exact: dict[str, tuple[str, ...]] = {}
        ambiguous: set[str] = set()
        family_only: set[str] = set()
        concepts: dict[str, set[str]] = {}
        includes: dict[str, tuple[str, ...]] = {}
        direct_implies: dict[str, tuple[str, ...]] = {}
        for technology in technologies:
            key = skill_key(technology.name)
            names[key] = technology.name
            family_only.update(term.lower() for term in technology.family_only)
            includes[key] = tuple(skill_key(name) for name in technology.includes)
            direct_implies[key] = tuple(skill_key(name) for name in technology.implies)
            for term in technology.terms:
                key_of.setdefault(term.lower(), key)
                if term in technology.ambiguous_terms:
                    ambiguous.add(term)
                if is_exact(term):
                    exact.setdefault(term, (key,))
                elif term in technology.ambiguous_terms:
                    ambiguous_folded.setdefault(term.lower(), (key,))
                else:
                    folded.setdefault(term.lower(), (key,))
                    joined = _joined(term)
                    if joined and joined.lower() not in key_of:
                        folded.setdefault(joined.lower(), (key,))
            for concept in technology.related:
                concepts.setdefault(concept, set()).add(key)
        inherited = _inherit_contained(concepts)
        terms = {
            "folded": folded,
            "ambiguous": ambiguous_folded,
            "exact": exact,
            "short concepts": {t: tuple(sorted(k)) for t, k in inherited.items() if len(t) <= SHORT_CONCEPT},
            "long concepts": {t: tuple(sorted(k)) for t, k in inherited.items() if len(t) > SHORT_CONCEPT},
        }
        return cls(
            terms={kind: compile_terms(kind, terms[kind]) for kind in KINDS},
            key_of=key_of,
            names=names,
            ambiguous=frozenset(ambiguous),
            family_only=frozenset(family_only),
            includes=includes,
            implies={key: _closure(key, direct_implies) for key in direct_implies},
            languages=_prefixing(technologies),
            language_keys=frozenset(skill_key(t.name) for t in technologies if t.category == "language"),
        )

    def to_data(self) -> dict[str, Any]:
        """JSON-ready, the same on every interpreter (sets sorted); `from_data` reads it back."""
        return {
            "terms": {
                kind: {
                    "pattern": None if term_set.pattern is None else term_set.pattern.pattern,
                    "keys": {term: list(keys) for term, keys in term_set.keys.items()},
                }
                for kind, term_set in self.terms.items()
            },
            "key_of": dict(self.key_of),
            "names": dict(self.names),
            "ambiguous": sorted(self.ambiguous),
            "family_only": sorted(self.family_only),
            "includes": {key: list(names) for key, names in self.includes.items()},
            "implies": {key: list(names) for key, names in self.implies.items()},
            "languages": list(self.languages),
            "language_keys": sorted(self.language_keys),
        }

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> VocabularyIndex:
        """The index `to_data` wrote, its patterns compiled from their sources."""
        terms = {}
        for kind, (fold, _) in KINDS.items():
            stored = data["terms"][kind]
            source = stored["pattern"]
            pattern = None if source is None else re.compile(source, regex_flags(fold))
            terms[kind] = TermSet(_tuples(stored["keys"]), pattern)
        return cls(
            terms=terms,
            key_of=data["key_of"],
            names=data["names"],
            ambiguous=frozenset(data["ambiguous"]),
            family_only=frozenset(data["family_only"]),
            includes=_tuples(data["includes"]),
            implies=_tuples(data["implies"]),
            languages=tuple(data.get("languages", ())),
            language_keys=frozenset(data.get("language_keys", ())),
        )


def _prefixing(technologies: Iterable[Technology]) -> tuple[str, ...]:
    """The programming languages whose names can begin a package's or group's name ("JuliaGeo"): names of four
    letters or more (not "Go", "C"), longest first so that "JavaScript" wins over "Java"."""
    names = [t.name for t in technologies if t.category == "language" and t.name.isalpha() and len(t.name) >= 4]
    return tuple(sorted(names, key=lambda name: (-len(name), name)))


def is_exact(term: str) -> bool:
    """Single letters and short capitals ("C", "R", "JS") are matched only as written ("c#" is distinctive)."""
    return len(term) == 1 or (len(term) <= SHORT and term.isalpha() and term.isupper())


def compile_terms(kind: str, keys: Mapping[str, tuple[str, ...]]) -> TermSet:
    """A term set of `kind`: its terms as that kind compares them (lower-cased when it folds case)."""
    fold, suffix = KINDS[kind]
    return TermSet.compile(keys, fold=fold, suffix=suffix)


def source_hash(path: Path = VOCABULARY_FILE) -> str:
    """The hash of the vocabulary and of the endings the patterns accept after a name (from the language files)."""
    return hashlib.sha256(path.read_bytes() + "\0".join(suffix for _, suffix in KINDS.values()).encode()).hexdigest()


def generate(path: Path = VOCABULARY_FILE) -> dict[str, Any]:
    """The contents of the index file for the vocabulary at `path`."""
    index = VocabularyIndex.build(load_vocabulary(path))
    return {
        "about": f"Generated from {path.name} by `{REGENERATE}`; do not edit. See bestdev/skills/vocabulary_index.py.",
        "source_sha256": source_hash(path),
        "index": index.to_data(),
    }


def write(path: Path = INDEX_FILE, vocabulary: Path = VOCABULARY_FILE) -> Path:
    path.write_text(json.dumps(generate(vocabulary), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return path


def stale(path: Path = INDEX_FILE, vocabulary: Path = VOCABULARY_FILE) -> str | None:
    """Why the index file at `path` is not what `vocabulary` gives (None when it is)."""
    try:
        stored = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return f"{path} is missing"
    expected = generate(vocabulary)
    if stored.get("source_sha256") != expected["source_sha256"]:
        return f"{path} was generated from another version of {vocabulary.name}"
    if stored != expected:
        return f"{path} does not hold what {vocabulary.name} gives (it was generated by other code)"
    return None


def load_index(path: Path = INDEX_FILE, vocabulary: Path = VOCABULARY_FILE) -> VocabularyIndex:
    """The index file at `path` when it was generated from `vocabulary` as it is now, else derived from it."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        fresh = data["source_sha256"] == source_hash(vocabulary)
    except (OSError, ValueError, KeyError, TypeError):
        fresh = False
    if not fresh:
        return VocabularyIndex.build(load_vocabulary(vocabulary))
    return VocabularyIndex.from_data(data["index"])


@functools.cache
def bundled_index() -> VocabularyIndex:
    """The bundled vocabulary's index, loaded once per process (it is never modified)."""
    return load_index()


def _joined(term: str) -> str | None:
    """A capitalised name of several words written as one ("Spring Boot" -> "SpringBoot"), or None."""
    words = term.split()
    if len(words) > 1 and all(word[:1].isupper() and word.isalnum() for word in words):
        return "".join(words)
    return None


def _tuples(mapping: Mapping[str, list[str]]) -> dict[str, tuple[str, ...]]:
    return {key: tuple(values) for key, values in mapping.items()}


def _inherit_contained(concepts: Mapping[str, set[str]]) -> dict[str, set[str]]:
    """A concept also leads where the concepts inside it lead: "interactive dashboard" reaches every "dashboard"."""
    padded = {concept: f" {concept.lower()} " for concept in concepts}
    return {
        concept: keys.union(
            *(
                concepts[inner]
                for inner, words in padded.items()
                if inner != concept and (words in padded[concept] or f"{words[:-1]}s " in padded[concept])
            )
        )
        for concept, keys in concepts.items()
    }


def _closure(key: str, direct: Mapping[str, tuple[str, ...]]) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    stack = list(direct.get(key, ()))
    while stack:
        implied = stack.pop(0)
        if implied != key and implied not in seen:
            seen[implied] = None
            stack.extend(direct.get(implied, ()))
    return tuple(seen)
