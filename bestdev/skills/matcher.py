"""Finds the technologies a free-text description mentions, by name, alias or related concept.

Everything here is driven by the vocabulary file: names and aliases match on word boundaries in any case, with an
optional version number ("Vue 3", ".NET 8") or inflection ending ("Reactilla", "Node.js:llä", "Lambdas"; see
term_pattern). Names flagged ambiguous ("Go", "Spark", "Unity") are also ordinary words; one reads as a technology
when, in this order (see `_reads_as_technology`):

1. it stands in a list with a technology ("Python, go and rust", "Vue-Express-Mongo") or before a context word
   ("GO DEVELOPER", "rust services", "Python-osaaja");
2. written as the vocabulary writes it, it carries a case ending English never uses ("Rustilla"), or shares its
   sentence with another technology ("TS everywhere, tested with Jest"), or follows a context word within a few
   words ("it uses Rust macros", "experience with git and Jenkins");
3. in lower case, it is listed with another such name in a sentence about software ("angular/react").

It is an ordinary word when it is followed by a year ("Spring 2026") or by a word that carries on an ordinary
phrase ("go live", "spark interest"); at the start of a sentence the context leaves it undecided. Otherwise a
context word right before it decides: a strong one ("in", "with", "using") in a sentence about software ("a
backend in go"; "in spring" alone is a season), a weaker one ("to", "need", "of") only as written ("migrate to
Go", not "need to go"). Capitalised as written in a text about software, it is the technology. In an all-capitals
sentence, case says nothing, so names there are read as lower-case text would be.

A glued ending counts on an ambiguous name only as written ("Reactilla", not "nodes"). Aliases that are common
acronyms elsewhere ("ADF", "RN") count only when the text also names their family (see the vocabulary). Concepts
("machine learning", "iPhone") lead to the technologies that implement them. Each mention carries how much the
description insists on it, and a technology only referred to ("a Jenkins replacement", however often it comes up)
is not something the project needs (see emphasis).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Literal

from bestdev.skills.emphasis import Section, Weight, references, skills_sections, weigh
from bestdev.skills.language import AND_WORDS, LIST_GAP, OR_WORDS, RULES, alternation, context, words
from bestdev.skills.term_pattern import GLUED_MIN, TermPattern
from bestdev.skills.unplaced import Unplaced, Unplacer
from bestdev.skills.vocabulary import Technology, Vocabulary, skill_key
from bestdev.skills.vocabulary_index import VocabularyIndex, compile_terms, is_exact

_LIST_GAP = LIST_GAP
_PREVIOUS_WORD = re.compile(r"([\w#+.]+)[\s\-]+$")
_NEXT_WORD = re.compile(r"[\s\-]+([\w#+]+)")
_SENTENCE_BREAK = re.compile(r"\. |[!?\n;]")
_YEAR = re.compile(r"\s(?:19|20)\d\d$")
_OPENERS = " \t\"'“‘([{*-•"
_SENTENCE_END = ".!?:;\n"
_BUILDING = re.compile(  # a verb of building software among the few words before a name
    rf"\b(?:{alternation(context(RULES, 'building'))})\b(?:\W+\w+){{0,4}}\W+$", re.IGNORECASE
)
# words that make a sentence about software
_SOFTWARE = re.compile(rf"\b(?:{alternation(context(RULES, 'software'))})\b", re.IGNORECASE)
# Words that may follow a technology's name without saying anything about it: conjunctions, prepositions, verbs
# of being, and every language's words for "and" and "or". Any other ordinary lower-case word right after an
# ambiguous name carries on a phrase ("go live").
_LINKING = frozenset(word.casefold() for word in [*context(RULES, "linking"), *AND_WORDS, *OR_WORDS])
_CONTEXT_BEFORE = frozenset(word.casefold() for word in context(RULES, "before"))
_CONTEXT_BEFORE_AS_WRITTEN = frozenset(word.casefold() for word in context(RULES, "before_as_written"))
_CONTEXT_AFTER = frozenset(word.casefold() for word in context(RULES, "after"))

Via = Literal["name", "alias", "concept", "spelling"]  # how the description named it ("spelling": a near miss)


@dataclass(frozen=True)
class Mention:
    """A technology the text mentions: its key, the words used, and whether only a related concept led here.

    `start` is where those words stand in the text, `via` how they name it ("name", "alias", "concept", or
    "spelling": a skills item that nearly spells it, see unplaced) and
    `weight` how much the description insists on it ("must", "nice" or "normal").
    """

    key: str
    text: str
    related: bool = False
    start: int = 0
    via: Via = "name"
    weight: Weight = "normal"
    weighed_at: int = -1  # where the mention that gave it its weight stands (-1: at `start`)
    also_named: bool = False  # reached through a concept, but the text names this technology itself too
    either: int = -1  # one of alternatives ("Python or Go"): where the first of them stands (-1: none)
    listed_at: int = -1  # where a skills section ("Recommended skills: ...") first names it (-1: none does)
    times: int = 1  # how many times the text names it (a related mention: 1)

    @property
    def listed(self) -> bool:
        return self.listed_at >= 0

    @property
    def emphasis_at(self) -> int:
        """Where the text insists on it as much as `weight` says: the first mention with that weight."""
        return self.start if self.weighed_at < 0 else self.weighed_at


@dataclass(frozen=True, eq=False)
class Found:
    """What a text names, in two views: `strict` (what it asks for) and `lenient` (what it may be read to name,
    worked out from the same scan only when first asked for). `agreed`: the views are known to be the same list
    without working the lenient one out (the context decided every name, and none was only referred to)."""

    strict: list[Mention]
    read_leniently: Callable[[], list[Mention]] = field(repr=False)
    unrecognised: list[Unplaced] = field(default_factory=list)  # read, but the vocabulary does not know it
    agreed: bool = False

    @cached_property
    def lenient(self) -> list[Mention]:
        return self.strict if self.agreed else self.read_leniently()


@dataclass(frozen=True)
class _Candidate:
    start: int
    end: int
    text: str
    keys: tuple[str, ...]
    concept: bool = False
    ambiguous: bool = False
    as_written: bool = True  # written as the vocabulary writes it (only ambiguous names can differ)
    inflected: bool = False  # with a case ending English does not use ("Rustilla", "Go:lla")
    misspelt: bool = False  # a skills item read as the technology it nearly spells ("Kubernets")


def _scan(
    pattern: TermPattern,
    text: str,
    *,
    concept: bool = False,
    ambiguous: frozenset[str] = frozenset(),
    ambiguous_folded: frozenset[str] = frozenset(),
) -> list[_Candidate]:
    found = []
    for match, keys in pattern.scan(text):
        term = match.group("term")
        ending: str = match.groupdict().get("ending") or ""
        is_ambiguous = term in ambiguous or term.lower() in ambiguous_folded
        as_written = term in ambiguous or not is_ambiguous
        if ending and not ending.startswith(":") and (len(term) < GLUED_MIN or not as_written):
            continue  # "Goa" is not Go, "nodes" not Node
        inflected = ending.lower() not in ("", "s", "es")
        found.append(
            _Candidate(match.start(), match.end(), match.group(), keys, concept, is_ambiguous, as_written, inflected)
        )
    return found


class SkillMatcher:
    """Built once from the vocabulary and the pool's skills; `find` then scans the text a fixed number of times."""

    def __init__(
        self, vocabulary: VocabularyIndex | Vocabulary | Iterable[Technology], pool_skills: Iterable[str] = ()
    ) -> None:
        index = vocabulary if isinstance(vocabulary, VocabularyIndex) else VocabularyIndex.build(vocabulary)
        self._before = _CONTEXT_BEFORE
        self._before_as_written = _CONTEXT_BEFORE_AS_WRITTEN
        self._after = _CONTEXT_AFTER
        self._key_of = dict(index.key_of)
        self._names = dict(index.names)
        folded: dict[str, tuple[str, ...]] = {}
        exact: dict[str, tuple[str, ...]] = {}
        for skill in pool_skills:  # the pool's own skills the vocabulary does not know: a small extra scan
            if skill.lower() not in self._key_of and skill.strip():
                self._key_of[skill.lower()] = skill_key(skill)
                self._names.setdefault(skill_key(skill), skill)
                (exact if is_exact(skill) else folded).setdefault(skill.lower(), (skill_key(skill),))
        self._includes = index.includes
        self._implies = index.implies
        self._ambiguous = index.ambiguous
        self._ambiguous_folded = frozenset(term.lower() for term in index.ambiguous)
        self._family_only = index.family_only
        terms = index.terms
        self._folded = TermPattern(terms["folded"], compile_terms("folded", folded), fold=True)
        self._ambiguous_terms = TermPattern(terms["ambiguous"], fold=True)
        self._exact = TermPattern(terms["exact"], compile_terms("exact", exact), fold=False)
        self._short_concepts = TermPattern(terms["short concepts"], fold=False)
        self._long_concepts = TermPattern(terms["long concepts"], fold=True)
        self._named_after = _named_after(index.languages)
        self.languages = index.language_keys
        self._unplacer = Unplacer({term: self._names.get(key, key) for term, key in self._key_of.items()})

    def canonical(self, skill: str) -> str:
        """The key a pool skill is known by: its technology's when the vocabulary has it."""
        return self._key_of.get(skill.lower(), skill_key(skill))

    def name(self, key: str) -> str:
        """The technology's name as the vocabulary (or, for a skill it lacks, the pool) writes it."""
        return self._names.get(key, key)

    def named(self, name: str) -> tuple[str, ...] | None:
        """The technologies a whole name stands for (a vocabulary name or alias, or a pool skill, in any case),
        with those it includes ("MERN"); None when it is not such a name."""
        key = self._key_of.get(name.strip().lower())
        return None if key is None else (key, *self._includes.get(key, ()))

    def implied(self, key: str) -> tuple[str, ...]:
        """The broader technologies someone who knows `key` also knows (transitively), per the vocabulary."""
        return self._implies.get(key, ())

    def find(self, text: str, *, lenient: bool = False) -> list[Mention]:
        """Technologies in order of first appearance (one mention each), then the related ones (see `read`).

        `lenient` gives the lenient view only; `read` gives both views from one scan.
        """
        found = self.read(text, strict=not lenient, lenient=lenient)
        return found.lenient if lenient else found.strict

    def read(self, text: str, *, strict: bool = True, lenient: bool = True) -> Found:
        """Both views of what a text names, from one scan of it (a view not asked for is left empty).

        A related mention is a technology reached through a concept the text names, or a broader technology
        implied by one it names; there is one per technology and concept, and never for a technology the text
        names itself. The lenient view also keeps ambiguous names the context leaves undecided (only those it shows
        to be ordinary words are dropped) and names only referred to: for checking a claim someone else made about
        the text. When both views keep the same names, they are the same list.
        """
        text = _plain(text)
        candidates = [
            *_scan(self._folded, text),
            *_scan(self._ambiguous_terms, text, ambiguous=self._ambiguous, ambiguous_folded=self._ambiguous_folded),
            *_scan(self._exact, text, ambiguous=self._ambiguous),
            *_scan(self._short_concepts, text, concept=True),
            *_scan(self._long_concepts, text, concept=True),
            *_libraries(text),
            *self._named_after(text),
        ]
        sections = skills_sections(text)
        demanding = [(section.start, section.end) for section in sections if section.weight != "normal"]
        if demanding:
            spans = [(candidate.start, candidate.end) for candidate in candidates]
            candidates.extend(
                _Candidate(start, end, text[start:end], (self._key_of[term],), misspelt=True)
                for start, end, term in self._unplacer.misspelt(text, spans, demanding)
            )
        scanned = _longest_first(candidates)
        sure, loose = self._in_context(text, scanned, sections)  # `loose` is `sure` when the context decided all
        family: list[_Candidate] = []
        strict_kept = family
        if strict:
            family = strict_kept = self._with_family(sure)
            referred = references(text, [(candidate.start, candidate.end) for candidate in family])
            dropped = {key for candidate, no in zip(family, referred, strict=True) if no for key in candidate.keys}
            if dropped:
                strict_kept = [
                    candidate for candidate in family if candidate.concept or not dropped & set(candidate.keys)
                ]
        strict_found = self._mentions(text, strict_kept, sections) if strict else []
        unrecognised = []
        if strict:
            spans = [(candidate.start, candidate.end) for candidate in scanned]
            unrecognised = self._unplacer.find(text, spans, demanding)

        def read_leniently() -> list[Mention]:
            lenient_kept = family if strict and loose is sure else self._with_family(loose)
            if strict and lenient_kept == strict_kept:
                return strict_found
            return self._mentions(text, lenient_kept, sections)

        agreed = strict and loose is sure and strict_kept is family
        found = Found(strict_found, read_leniently, unrecognised, agreed)
        if lenient and not strict:
            _ = found.lenient
        return found

    def _mentions(self, text: str, kept: list[_Candidate], sections: Sequence[Section]) -> list[Mention]:
        """The kept candidates as mentions, weighed: named ones first, then the related ones."""
        weights = weigh(text, [(candidate.start, candidate.end) for candidate in kept], sections)
        either = _alternatives(text, kept)
        found: dict[str, Mention] = {}
        times: dict[str, int] = {}
        for candidate in kept:
            if not candidate.concept:
                times[candidate.keys[0]] = times.get(candidate.keys[0], 0) + 1
        for candidate, weight in zip(kept, weights, strict=True):
            if not candidate.concept:
                written = _term_of(candidate.text)
                inside = any(section.start <= candidate.start < section.end for section in sections)
                listed = candidate.start if inside else -1
                for position, key in enumerate((*candidate.keys, *self._includes.get(candidate.keys[0], ()))):
                    via: Via = "name" if position == 0 and skill_key(written) == key else "alias"
                    via = "spelling" if candidate.misspelt else via
                    mention = Mention(
                        key,
                        candidate.text,
                        start=candidate.start,
                        via=via,
                        weight=weight,
                        listed_at=listed,
                        either=either.get(candidate.start, -1),
                        times=times[candidate.keys[0]],
                    )
                    found[key] = _stronger(found.get(key), mention)
        related: dict[tuple[str, str], Mention] = {}
        for candidate, weight in zip(kept, weights, strict=True):
            if candidate.concept:
                reached = candidate.keys
            else:
                reached = tuple(implied for key in candidate.keys for implied in self.implied(key))
            for key in reached:
                if candidate.concept or key not in found:  # a concept is held through a technology named too
                    also = key in found
                    mention = Mention(key, candidate.text, True, candidate.start, "concept", weight, also_named=also)
                    related.setdefault((key, candidate.text.lower()), mention)
        return [*found.values(), *related.values()]

    def _in_context(
        self,
        text: str,
        candidates: list[_Candidate],
        sections: list[Section] = (),  # type: ignore[assignment]
    ) -> tuple[list[_Candidate], list[_Candidate]]:
        """Drop ambiguous names that do not read as technologies; decided until nothing changes. Returns the names
        read as technologies, and those plus the ones the context leaves undecided (the lenient view; the same
        list when it leaves none undecided).

        Candidates do not overlap, so a list ("Go, Rust") can only join neighbours; each pass goes forward and
        back, so evidence travels along a list in one pass, and the whole decision stays linear in the text. The
        last pass changes nothing, so what it said of each name still open is what the final context says.
        """
        ordered = sorted(candidates, key=lambda candidate: candidate.start)
        state = _State(text, ordered, sections)
        forward, backward = list(range(len(ordered))), list(reversed(range(len(ordered))))
        while self._decide(state, forward) and self._decide(state, backward):
            pass
        sure = [candidate for candidate, status in zip(ordered, state.status, strict=True) if status is True]
        if all(state.said[index] is False for index in state.open()):
            return sure, sure
        loose = [
            candidate
            for index, (candidate, status) in enumerate(zip(ordered, state.status, strict=True))
            if status is True or (status is None and state.said[index] is not False)
        ]
        return sure, loose

    def _with_family(self, kept: list[_Candidate]) -> list[_Candidate]:
        """Drop acronyms that name a technology only beside its family ("ADF" needs Azure in the text)."""
        doubtful = [c for c in kept if not c.concept and _term_of(c.text).lower() in self._family_only]
        if not doubtful:
            return kept
        sure = {key for c in kept if c not in doubtful and not c.concept for key in c.keys}
        families = sure | {implied for key in sure for implied in self.implied(key)}
        return [
            c
            for c in kept
            if c not in doubtful or any(family in families for key in c.keys for family in self.implied(key))
        ]

    def _decide(self, state: _State, order: list[int]) -> bool:
        """One pass over the undecided candidates in `order`; whether any was accepted."""
        changed = False
        for index in order:
            if state.status[index] is None:
                said = state.said[index] = self._reads_as_technology(state, index)
                if said:
                    state.accept(index)
                    changed = True
        return changed

    def _reads_as_technology(self, state: _State, index: int) -> bool | None:
        """True for a technology, False for an ordinary word, None when the context does not say."""
        text, candidate = state.text, state.ordered[index]
        if _YEAR.search(candidate.text):
            return False
        sentence = state.sentence[index]
        shouting = state.shouting(sentence)
        proper = candidate.as_written and not shouting
        previous = _PREVIOUS_WORD.search(text, max(0, candidate.start - 40), candidate.start)
        word_before = previous.group(1).lower() if previous is not None else ""
        following = _NEXT_WORD.match(text, candidate.end)
        next_word = following.group(1) if following is not None else ""
        if next_word.lower() in self._after:
            return True  # "go developer"
        if state.listed_with(index, True):
            ordinary_next = next_word.isalpha() and next_word.islower() and next_word.lower() not in _LINKING
            if not (ordinary_next and state.listed_by_space_only(index)):
                return True  # "Python, Go and Rust", "java python go" (but "a Kubernetes node before upgrading")
        if state.starts_item(index):
            return True  # "Recommended skills: go, kind, docker": an item of a skills section
        if _TITLE_WORD.fullmatch(next_word) and not state.starts_at(index + 1, following.start(1) if following else -1):
            return False  # part of a proper name that is not a technology: "Rust Belt", "Elixir Emporium"
        if proper and candidate.inflected:
            return True  # "Rustilla kirjoitettu": English words take no such endings
        if proper and len(_term_of(candidate.text)) > 1 and state.named_in[sentence]:
            return True  # "TS everywhere, tested with Jest"
        listed = state.listed_with(index, None)
        if listed and (state.accepted_in[sentence] or state.about_software(sentence)):
            return True  # "frameworks such as angular/react"
        if proper and (word_before in self._before or self._before.intersection(_words_before(text, candidate.start))):
            return True  # "it uses Rust macros", "experience with git and Jenkins"
        if next_word.isalpha() and (next_word.islower() or shouting) and next_word.lower() not in _LINKING:
            return False  # an ordinary phrase goes on: "go live", "spark interest"
        before = text[max(0, candidate.start - 20) : candidate.start].rstrip(_OPENERS)
        if before.endswith(tuple(_SENTENCE_END)) or (not before and candidate.start <= 20):
            return None  # the first word of a sentence
        if word_before in self._before:
            start = state.starts[sentence]
            building = _BUILDING.search(text, max(start, candidate.start - 60), candidate.start) is not None
            return state.accepted_in[sentence] > 0 or listed or building or state.about_software(sentence)
        if word_before in self._before_as_written:
            return proper
        if proper and (state.accepted_total or state.software_text):
            return True  # a name capitalised mid-sentence in a text about software: "consider Go as a language"
        return None


class _State:
    """The context decision's working state: candidates in order, each one's sentence, what is accepted so far
    (per sentence, kept as counts), and what each sentence says, computed once."""

    def __init__(self, text: str, ordered: list[_Candidate], sections: Iterable[Section] = ()) -> None:
        self.text = text
        self.ordered = ordered
        self.sections = list(sections)
        self.starts = [0, *(match.end() for match in _SENTENCE_BREAK.finditer(text))]
        self.sentence = [bisect.bisect_right(self.starts, candidate.start) - 1 for candidate in ordered]
        self.status: list[bool | None] = [None if candidate.ambiguous else True for candidate in ordered]
        self.said: list[bool | None] = list(self.status)  # what the last look at each name said of it
        self.accepted_in = [0] * len(self.starts)
        self.named_in = [0] * len(self.starts)
        self.accepted_total = 0
        self.software_text = _SOFTWARE.search(text) is not None
        self._shouting: dict[int, bool] = {}
        self._software: dict[int, bool] = {}
        for index, status in enumerate(self.status):
            if status:
                self._count(index)

    def open(self) -> list[int]:
        """The names still undecided."""
        return [index for index, status in enumerate(self.status) if status is None]

    def accept(self, index: int) -> None:
        self.status[index] = True
        self._count(index)

    def _count(self, index: int) -> None:
        self.accepted_total += 1
        self.accepted_in[self.sentence[index]] += 1
        if not self.ordered[index].concept:
            self.named_in[self.sentence[index]] += 1

    def listed_with(self, index: int, status: bool | None) -> bool:
        """Whether a neighbour with this status stands in a list with the candidate at `index`."""
        one = self.ordered[index]
        return any(
            0 <= other < len(self.ordered)
            and self.status[other] is status
            and _LIST_GAP.fullmatch(_gap(self.text, one, self.ordered[other])) is not None
            for other in (index - 1, index + 1)
        )

    def listed_by_space_only(self, index: int) -> bool:
        """Whether every accepted neighbour in a list with the candidate is joined to it by white space alone."""
        one = self.ordered[index]
        gaps = [
            _gap(self.text, one, self.ordered[other])
            for other in (index - 1, index + 1)
            if 0 <= other < len(self.ordered) and self.status[other] is True
        ]
        joined = [gap for gap in gaps if _LIST_GAP.fullmatch(gap) is not None]
        return bool(joined) and all(not gap.strip() for gap in joined)

    def starts_at(self, index: int, position: int) -> bool:
        """Whether the candidate at `index` (if any) starts at `position`."""
        return 0 <= index < len(self.ordered) and self.ordered[index].start == position

    def starts_item(self, index: int) -> bool:
        """Whether the candidate at `index` begins an item of a skills section ("Go, OCI containers", "- Rust")."""
        start = self.ordered[index].start
        for section in self.sections:
            if section.start <= start < section.end:
                before = self.text[section.start : start].rstrip(_ITEM_MARKS)
                return not before or before.endswith(_ITEM_BREAKS) or _ITEM_WORD.search(before) is not None
        return False

    def _bounds(self, sentence: int) -> tuple[int, int]:
        end = self.starts[sentence + 1] if sentence + 1 < len(self.starts) else len(self.text)
        return self.starts[sentence], end

    def shouting(self, sentence: int) -> bool:
        """Whether the sentence is written in capitals only."""
        if sentence not in self._shouting:
            start, end = self._bounds(sentence)
            letters = [char for char in self.text[start:end] if char.isalpha()]
            self._shouting[sentence] = len(letters) > 3 and not any(char.islower() for char in letters)
        return self._shouting[sentence]

    def about_software(self, sentence: int) -> bool:
        if sentence not in self._software:
            self._software[sentence] = _SOFTWARE.search(self.text, *self._bounds(sentence)) is not None
        return self._software[sentence]


_TITLE_WORD = re.compile(r"[A-Z][a-z]{2,}")
_ITEM_MARKS = " \t*_->•+"
_ITEM_BREAKS = (",", ";", "/", "\n", "(", "|", ":")
_ITEM_WORD = re.compile(rf"(?:^|\s)(?:{alternation([*AND_WORDS, *OR_WORDS])}|&)$", re.IGNORECASE)


def _words_before(text: str, position: int, count: int = 4) -> list[str]:
    """The few words before `position`, lower-cased, within its sentence."""
    window = text[max(0, position - 60) : position]
    window = window[max(window.rfind(mark) for mark in (". ", "!", "?", "\n", ";")) + 1 :]
    return [word.lower() for word in re.findall(r"[\w#+.]+", window)[-count:]]


# A web address ends at white space, or where a lost space glued the next sentence to it ("inkmi.comGo/HTMX").
_URL = re.compile(r"\b(?i:https?://|www\.)\S*?(?=\s|$|(?<=[a-z0-9])[A-Z][a-z])")
_TAG = re.compile(r"[a-z0-9][a-z0-9.#+\-]*")


def _plain(text: str) -> str:
    """The text as the scans read it, position for position: web addresses blanked out (their words are not
    requirements), and lines of a longer text that are lists of tags ("java python c++ linux") separated by
    commas, so that each tag is read on its own ("azure devops" there is two tags, not Azure DevOps); short tags are
    acronyms written in lower case, read in capitals ("qa", "r", "gcp")."""
    text = _URL.sub(lambda match: " " * len(match.group()), text)
    lines = text.split("\n")
    for number, line in enumerate(lines if len(lines) > 1 else ()):
        tokens = line.split()
        if len(tokens) > 2 and all(_TAG.fullmatch(token) and token not in _LINKING for token in tokens):
            tags = re.sub(r"(?<=\S) (?=\S)", ",", line)
            lines[number] = re.sub(r"\b[a-z]{1,3}\b", lambda short: short.group().upper(), tags)
    return "\n".join(lines)


# A package or file named with its language's file ending: "chart.js", "Makie.jl" (Julia), "discord.py", "main.rs".
_LIBRARY_LANGUAGE = {
    "js": "javascript",
    "jl": "julia",
    "py": "python",
    "rs": "rust",
    "kt": "kotlin",
    "rb": "ruby",
    "ts": "typescript",
    "go": "go",
}
_LIBRARY = re.compile(rf"(?<![\w.])[A-Za-z][\w-]*\.(?P<ending>{'|'.join(_LIBRARY_LANGUAGE)})\b(?!\.\w)")


def _libraries(text: str) -> list[_Candidate]:
    """Libraries named by their file-like name ("Facebook.js", "Dagger.jl"), as mentions of their language."""
    return [
        _Candidate(m.start(), m.end(), m.group(), (_LIBRARY_LANGUAGE[m["ending"]],)) for m in _LIBRARY.finditer(text)
    ]


def _named_after(languages: Sequence[str]) -> Callable[[str], list[_Candidate]]:
    """Names that begin with a programming language's name and go on with a capitalised part ("JuliaGeo",
    "PythonAnywhere", "KotlinConf"), as mentions of that language: packages and groups are named after the language
    they are written in. The regex is compiled once, with the matcher."""
    if not languages:
        return lambda text: []
    events = alternation(words(RULES, "events"))
    pattern = re.compile(
        rf"(?<![\w.@/#+-])(?P<name>{'|'.join(languages)})(?=[A-Z][a-z])(?!(?:{events})\b)[A-Za-z0-9]+(?![\w.#+@]|-\w)"
    )

    def found(text: str) -> list[_Candidate]:
        return [_Candidate(m.start(), m.end(), m.group(), (skill_key(m["name"]),)) for m in pattern.finditer(text)]

    return found


_VERSION_OR_COLON_ENDING = re.compile(r"(?:\s?v?\d+(?:\.\d+)*|:\w+)$")


def _term_of(matched: str) -> str:
    """The name in a match, without its version or ending ("Vue 3" -> "Vue", "Reactilla" stays)."""
    return _VERSION_OR_COLON_ENDING.sub("", matched)


def _stronger(current: Mention | None, new: Mention) -> Mention:
    """The first mention of a technology, with the strongest weight any of its mentions has."""
    if current is None:
        return new
    rank = {"nice": 0, "normal": 1, "must": 2}
    listed = current.listed_at if current.listed else new.listed_at
    if rank[new.weight] > rank[current.weight]:
        return replace(current, weight=new.weight, weighed_at=new.start, listed_at=listed)
    return replace(current, listed_at=listed) if listed != current.listed_at else current


_OR = re.compile(rf"\b(?:and/or|{alternation(OR_WORDS)})\b", re.IGNORECASE)
_AND = re.compile(rf"\b(?:{alternation(AND_WORDS)})\b(?!/)|[&+]", re.IGNORECASE)
_AND_OR = re.compile(r"\s*and/or\s*", re.IGNORECASE)


def _alternatives(text: str, kept: Sequence[_Candidate]) -> dict[int, int]:
    """Named technologies that are alternatives ("Python or Go", "Java, Kotlin or Scala"): each one's start ->
    where the first of its alternatives stands. A list splits at "and", so "Python or Go, and React or Vue" is two
    choices; a part of it is a choice when a word for "or" joins it."""
    named = [candidate for candidate in kept if not candidate.concept]
    choice: dict[int, int] = {}
    run: list[_Candidate] = []
    saw_or = False
    for previous, candidate in zip([None, *named], named, strict=False):
        gap = "" if previous is None else text[previous.end : candidate.start]
        joined = _LIST_GAP.fullmatch(gap) is not None or _AND_OR.fullmatch(gap) is not None
        if previous is not None and joined and not _AND.search(gap):
            run.append(candidate)
            saw_or = saw_or or _OR.search(gap) is not None
            continue
        if saw_or and len(run) > 1:
            choice.update({member.start: run[0].start for member in run})
        run, saw_or = [candidate], False
    if saw_or and len(run) > 1:
        choice.update({member.start: run[0].start for member in run})
    return choice


def _gap(text: str, one: _Candidate, other: _Candidate) -> str:
    if other.end <= one.start:
        return text[other.end : one.start]
    if one.end <= other.start:
        return text[one.end : other.start]
    return "\0"


def _longest_first(candidates: list[_Candidate]) -> list[_Candidate]:
    """Overlapping matches resolve to technologies over concepts, then the longest ("React Native" over "React")."""
    starts: list[int] = []
    kept: list[_Candidate] = []
    for candidate in sorted(candidates, key=lambda c: (c.concept, c.start - c.end, c.start)):
        at = bisect.bisect_left(starts, candidate.start)
        clear_before = at == 0 or kept[at - 1].end <= candidate.start
        clear_after = at == len(kept) or candidate.end <= kept[at].start
        if clear_before and clear_after:
            starts.insert(at, candidate.start)
            kept.insert(at, candidate)
    return kept
