"""How much a description insists on each technology it names: a must-have, a nice-to-have, or neither.

Job posts and briefs mark their requirements with cue phrases, in English, Finnish, Swedish and German:

- a cue weighs the technologies after it in its sentence ("Bonus: Python, Docker", "must have Java"), and the
  list of technologies right before it ("Docker and Kubernetes experience is a plus", "Java required"); where
  several cues reach a technology, the nearest one counts ("Java required, Kafka nice to have");
- some cues reach only the technologies right after them: "6+ years of Rust", "senior Go", "strong Python";
- a technology named with a role is the headline ("Rust engineer", "Python-osaaja"): a must-have, as is the rest
  of the list it ends ("Java/Kotlin developer");
- a heading line ("Requirements:", "Nice to have") weighs the lines under it, up to a blank line or the next
  heading, where no cue in their own sentence says otherwise.

Some technologies are only referred to, not asked for: "an alternative to ArgoCD", "a Jenkins replacement",
"a tailwind-like layer", "inspired by Django", "I couldn't use any JS", news about it ("the relicensing of
Redis") (see `references`).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from bestdev.skills.language import CUE_KINDS, LIST_GAP, RULES, alternation, cues, referring, sections, words

Weight = Literal["must", "nice", "normal"]

# Cues by what they weigh: the technologies after them ("Bonus: Python"), before them ("Kafka is a plus"), or
# either ("nice to have: Kafka", "Kafka nice to have"); each language's phrases are in its file (see language).
_CUES = re.compile(
    r"\b(?:" + "|".join(f"(?P<{kind}>{alternation(cues(RULES, kind))})" for kind in CUE_KINDS) + r")\b",
    re.IGNORECASE,
)
# Cues that reach only the few words after them: "6+ years of Rust", "senior Go".
_CLOSE_MUST = re.compile(
    rf"\b(?:\d+\s*\+?\s*(?:{alternation(words(RULES, 'years'))})\b(?:\s+\w+){{0,3}}?\s+"
    rf"(?:{alternation(words(RULES, 'years_of'))})|{alternation(words(RULES, 'close_must'))})\s+$",
    re.IGNORECASE,
)
_ROLE = re.compile(rf"[\s\-]*(?:{alternation(words(RULES, 'roles'))})\b", re.IGNORECASE)
_LIST_GAP = LIST_GAP
_COMMA_ONLY = re.compile(r"\s*,\s*")
# Words between a cue and what it weighs ("experience is", "tuntemus"), and names the vocabulary does not know in
# a list before them ("paid services like: AssemblyAI | Deepgram | Google Cloud").
_FILLER = re.compile(r"[\s,:()\-]*(?:[^\W\d_]+[\s,:()\-]+){0,4}(?:[\w.]+(?:\s*[|,/]\s*|[ \t]*\n\s*))*", re.IGNORECASE)
_REFERS_AFTER = re.compile(rf"\b(?:{alternation(referring(RULES, 'after'))})\b", re.IGNORECASE)  # only referred to
_REFERS_BEFORE = re.compile(rf"(?:{alternation(referring(RULES, 'before'))})\b", re.IGNORECASE)  # ... and before
_BOUNDARY = re.compile(r"[!?;\n]|\.(?=\s|$)")
# A line opening a skills section: "Recommended Skills:", "- 🛠️ **Skills Required:**", "**Preferred skills**",
# "Knowledge prerequisites:", "Tech stack:"; what follows on the line, and the lines under it up to a blank line,
# are what the brief asks for.
# The words of such headings are each language's ([sections] in its file).
_SECTION_HEADING = re.compile(
    r"^[ \t>*\-•+]*(?:\d+[.)]\s*)?(?:[^\w\s*]+\s*)?(?:\*\*|__)?\s*"
    rf"(?P<head>(?:(?:{alternation(sections(RULES, 'before'))})\s+)?"
    rf"(?:{alternation(sections(RULES, 'headings'))})"
    rf"(?:\s+(?:{alternation(sections(RULES, 'after'))}))?(?:\s*\([^)\n]{{0,30}}\))?)"
    r"\s*(?:\*\*|__)?\s*(?::|(?=\s*$))\s*(?:\*\*|__)?[ \t]*",
    re.IGNORECASE | re.MULTILINE,
)
_NICE_HEADING = re.compile(alternation(sections(RULES, "nice")), re.IGNORECASE)
_STACK_HEADING = re.compile(rf"^(?:{alternation(sections(RULES, 'stack'))})$", re.IGNORECASE)  # lists, not demands
_SECTION_LINE_LIMIT = 12  # lines under a heading that can belong to its section
_HEADING_WORDS = 5


@dataclass(frozen=True)
class Section:
    """Where a skills section's items stand in the text, and how much it insists on them."""

    start: int
    end: int
    weight: Weight


def skills_sections(text: str) -> list[Section]:
    """The skills sections of a text: a heading naming skills, with its items on the same line or on the lines
    under it (after at most one blank line when the heading stands alone), up to a blank line or another heading
    ("Expected outcome:"). Items are read as a list of technologies, and weigh as the heading says: must-haves,
    unless the heading says they are nice to have, or only lists a stack ("Technologies:")."""
    sections = []
    for heading in _SECTION_HEADING.finditer(text):
        line_end = text.find("\n", heading.end())
        line_end = len(text) if line_end < 0 else line_end
        end = line_end
        rest = text[heading.end() : line_end].strip()
        position = line_end + 1
        if not rest and text[position : position + 1] == "\n":  # a heading on its own, then a blank line
            position += 1
        for _ in range(_SECTION_LINE_LIMIT):
            if position >= len(text):
                break
            next_end = text.find("\n", position)
            next_end = len(text) if next_end < 0 else next_end
            line = text[position:next_end]
            if not line.strip() or _LABEL.match(line):
                break
            end = next_end
            position = next_end + 1
        if end > heading.end():
            head = heading.group("head")
            weight: Weight = (
                "nice" if _NICE_HEADING.search(head) else "normal" if _STACK_HEADING.match(head) else "must"
            )
            sections.append(Section(heading.end(), end, weight))
    return sections


_LABEL = re.compile(r"^[ \t>*\-•+]*(?:\*\*|__)?[^\W\d_][\w ()/-]{0,40}(?:\*\*|__)?\s*:(?:\*\*|__)?\s", re.UNICODE)


@dataclass(frozen=True)
class _Cue:
    start: int
    end: int
    weight: Weight
    reaches_after: bool  # weighs the technologies after it
    reaches_before: bool  # weighs the list right before it


def _cue(match: re.Match[str]) -> _Cue:
    group = match.lastgroup or ""
    weight: Weight = "nice" if group.startswith("nice") else "must"
    return _Cue(match.start(), match.end(), weight, not group.endswith("_before"), not group.endswith("_after"))


def weigh(text: str, spans: Sequence[tuple[int, int]], sections: Sequence[Section] = ()) -> list[Weight]:
    """The weight of each (start, end) span of `text`, in order (spans sorted and not overlapping).

    With skills `sections`, a span inside one weighs as its heading says where no cue of its own says otherwise;
    when some span is inside one that makes demands, the spans outside every section are the context of the work
    (the product it is for, the tools around it) and weigh as nice-to-haves unless a cue makes them must-haves; the
    first line of a longer text (its title) is the headline, never context.
    """
    weights = _weigh(text, spans)
    if not sections:
        return weights
    inside = [
        next((section for section in sections if section.start <= start < section.end), None) for start, _ in spans
    ]
    demands = any(section is not None and section.weight != "normal" for section in inside)
    title_end = text.find("\n") if "\n" in text.strip() else -1  # the headline line is never context
    for index, section in enumerate(inside):
        if section is not None and weights[index] == "normal":
            weights[index] = section.weight
        elif section is None and demands and weights[index] == "normal" and spans[index][0] > title_end:
            weights[index] = "nice"
    return weights


def _weigh(text: str, spans: Sequence[tuple[int, int]]) -> list[Weight]:
    cues = [_cue(match) for match in _CUES.finditer(text)]
    boundaries = [match.start() for match in _BOUNDARY.finditer(text)]
    headed = _heading_scopes(text, cues)
    runs = _runs(text, spans)
    run_end = {run: spans[index][1] for index, run in enumerate(runs)}  # the last member's end wins
    close = _close_musts(text, spans, runs)
    weights: list[Weight] = []
    for index, (start, end) in enumerate(spans):
        nearest = _sentence_weight(text, cues, boundaries, start, end, run_end[runs[index]])
        weights.append("must" if close[index] else nearest or headed(start))
    return _headlines(text, spans, weights, runs)


def _runs(text: str, spans: Sequence[tuple[int, int]]) -> list[int]:
    """A number per span, the same for spans that stand in one list ("Java, Kotlin and Go")."""
    runs: list[int] = []
    for index, (start, _) in enumerate(spans):
        joined = index > 0 and _LIST_GAP.fullmatch(text, spans[index - 1][1], start) is not None
        runs.append(runs[-1] if joined else index)
    return runs


def _close_musts(text: str, spans: Sequence[tuple[int, int]], runs: Sequence[int]) -> list[bool]:
    """'6+ years of Rust', 'senior Go', and the rest of a list such a cue starts ('strong Java and Kotlin')."""
    close: list[bool] = []
    for index, (start, _) in enumerate(spans):
        cued = _CLOSE_MUST.search(text, max(0, start - 60), start) is not None
        close.append(cued or (index > 0 and runs[index] == runs[index - 1] and close[-1]))
    return close


def references(text: str, spans: Sequence[tuple[int, int]]) -> list[bool]:
    """Whether each (start, end) span only refers to a technology the project is not built with."""
    referred = [False] * len(spans)
    starts = [start for start, _ in spans]
    for cue in _REFERS_AFTER.finditer(text):
        first = bisect.bisect_left(starts, cue.end())
        if first == len(spans) or not _FILLER.fullmatch(text, cue.end(), spans[first][0]):
            continue
        for index in _list_from(text, spans, first):
            referred[index] = True
    for index, (_, end) in enumerate(spans):
        if _REFERS_BEFORE.match(text, end):
            for earlier in _list_to(text, spans, index):
                referred[earlier] = True
    return referred


def _list_from(text: str, spans: Sequence[tuple[int, int]], first: int) -> list[int]:
    """Span `first` and those after it joined to it as a list ("ArgoCD and FluxCD", "ArgoCD, Flux or Spinnaker");
    names joined by commas alone are a list only when a conjunction ends it ("Unlike Terraform, Pulumi uses ...")."""
    members = [first]
    gaps = []
    while members[-1] + 1 < len(spans) and _LIST_GAP.fullmatch(text, spans[members[-1]][1], spans[members[-1] + 1][0]):
        gaps.append(text[spans[members[-1]][1] : spans[members[-1] + 1][0]])
        members.append(members[-1] + 1)
    if gaps and all(_COMMA_ONLY.fullmatch(gap) for gap in gaps):
        return members[:1]
    return members


def _list_to(text: str, spans: Sequence[tuple[int, int]], last: int) -> list[int]:
    """Span `last` and those before it joined to it as a list."""
    members = [last]
    while members[-1] > 0 and _LIST_GAP.fullmatch(text, spans[members[-1] - 1][1], spans[members[-1]][0]):
        members.append(members[-1] - 1)
    return members


def _sentence_weight(
    text: str, cues: Sequence[_Cue], boundaries: Sequence[int], start: int, end: int, list_end: int
) -> Weight | None:
    """The nearest cue reaching the span: earlier in its sentence, or right after the list it belongs to (which
    ends at `list_end`). A verdict after the list ("is a must", "would be good") outweighs a lead-in before it
    ("familiarity with"): in "Familiarity with Go is a must" the sentence says how much Go matters at its end."""
    before, after = bisect.bisect_left(boundaries, start), bisect.bisect_left(boundaries, end)
    sentence_start = boundaries[before - 1] if before else -1
    sentence_end = boundaries[after] if after < len(boundaries) else len(text)
    starts = [cue.start for cue in cues]
    nearest: tuple[int, Weight] | None = None
    lead_in = False
    for cue in cues[bisect.bisect_right(starts, sentence_start) : bisect.bisect_right(starts, sentence_end)]:
        if cue.reaches_after and cue.end <= start:
            distance = start - cue.end
            lead_in = lead_in or not cue.reaches_before
        elif cue.reaches_before and list_end <= cue.start and _FILLER.fullmatch(text, list_end, cue.start):
            distance = cue.start - end
            if lead_in and not cue.reaches_after:
                return cue.weight
        else:
            continue
        if nearest is None or distance < nearest[0]:
            nearest = (distance, cue.weight)
    return None if nearest is None else nearest[1]


def _heading_scopes(text: str, cues: Sequence[_Cue]) -> _HeadingLookup:
    """Lines that are headings with a cue ('Nice to have:', 'Requirements') weigh the lines under them."""
    scopes: list[tuple[int, int, Weight]] = []
    lines = list(re.finditer(r"^.*$", text, re.MULTILINE))
    cue_starts = [cue.start for cue in cues]
    for number, line in enumerate(lines):
        body = line.group().strip(" \t-*•:")
        first = bisect.bisect_left(cue_starts, line.start())
        cue = cues[first] if first < len(cues) and cues[first].start < line.end() else None
        if cue is None or not body or len(body.split()) > _HEADING_WORDS:
            continue
        if text[cue.end : line.end()].strip(" \t:").strip():
            continue  # the cue's own words follow on this line: a sentence, not a heading
        end = len(text)
        for later in lines[number + 1 :]:
            content = later.group().strip()
            if not content or (content.endswith(":") and later.start() > line.end() + 1):
                end = later.start()
                break
        scopes.append((line.end(), end, cue.weight))
    return _HeadingLookup(scopes)


@dataclass(frozen=True)
class _HeadingLookup:
    scopes: list[tuple[int, int, Weight]]

    def __call__(self, position: int) -> Weight:
        inside = [scope for scope in self.scopes if scope[0] <= position < scope[1]]
        return max(inside, key=lambda scope: scope[0])[2] if inside else "normal"


def _headlines(text: str, spans: Sequence[tuple[int, int]], weights: list[Weight], runs: Sequence[int]) -> list[Weight]:
    """A technology named with a role is a must-have, with the list it ends: 'Java/Kotlin developer'."""
    result = list(weights)
    for index, (_, end) in enumerate(spans):
        if _ROLE.match(text, end) and result[index] != "nice":
            for member in range(index, -1, -1):
                if runs[member] != runs[index]:
                    break
                if result[member] != "nice":
                    result[member] = "must"
    return result
