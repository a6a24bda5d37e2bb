"""The prompt/completion contract shared by serving and training.

A prompt ends with SEPARATOR; a completion starts with a space and ends with STOP. In chat form the
prompt is the user message after SYSTEM_MESSAGE and the completion is the assistant message.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import TypedDict

SEPARATOR = "\n\n###\n\n"
STOP = "<END_OUTPUT>"
SYSTEM_MESSAGE = (
    "You recommend the developer from the company's pool who best fits a project. "
    "Answer with the developer's full name and why, naming only skills they have."
)
NO_MATCH = "Nobody in the pool fits this project"
POOL_CONTEXT_REPLY = "Understood. I will recommend developers from this pool only."

_SEPARATOR_LOOKALIKE = re.compile(r"#{2,}")
_STOP_LOOKALIKE = re.compile(r"<\s*/?\s*end[\s_\-]*output\s*/?\s*>?", re.IGNORECASE)
_BECAUSE = re.compile(r",?\s+because\s+", re.IGNORECASE)
_REASON_SKILLS = re.compile(r"\bexperience with (?P<skills>.+?), which (?:is|are) relevant to\b", re.IGNORECASE)


class ChatMessage(TypedDict):
    role: str
    content: str


@dataclass(frozen=True)
class Completion:
    """A parsed model answer: the developer it names (None for 'nobody fits') and its reason."""

    name: str | None
    reason: str


def sanitize(text: str) -> str:
    """Neutralise user text so it can neither end the prompt early nor forge a completion.

    Look-alikes are folded first (NFKC turns full-width '＃' and '＜' into ASCII), control and
    line-break characters become spaces, runs of '#' shrink to one, and stop-token look-alikes go.
    """
    text = unicodedata.normalize("NFKC", text)
    if not text.isprintable():  # printable: nothing in the Other or Separator categories but the ASCII space
        text = "".join(" " if unicodedata.category(char)[0] in "CZ" else char for char in text)
    previous = None
    while previous != text:
        previous = text
        text = _STOP_LOOKALIKE.sub(" ", text)
        if "##" in text:  # the regex walks every character; most descriptions have no run of '#' at all
            text = _SEPARATOR_LOOKALIKE.sub("#", text)
    return " ".join(text.split())


def prompt(company: str, description: str) -> str:
    """The prompt for a free-text project description, as the model was trained on it."""
    return f"{_question(company)} {sanitize(description)}{SEPARATOR}"


@functools.lru_cache(maxsize=16)
def _question(company: str) -> str:
    """The question before the description (a pool has one company, so it is worked out once)."""
    return f"Who is the most fitting candidate from {sanitize(company)} for this project?"


def chat_messages(user_prompt: str, completion_text: str | None = None) -> list[ChatMessage]:
    """The chat form of a prompt (and, for training, its completion)."""
    messages: list[ChatMessage] = [
        {"role": "system", "content": SYSTEM_MESSAGE},
        {"role": "user", "content": user_prompt},
    ]
    if completion_text is not None:
        messages.append({"role": "assistant", "content": completion_text})
    return messages


def join_skills(skills: Sequence[str], conjunction: str = "and") -> str:
    """'A', 'A and B', 'A, B and C' (or another conjunction: 'A, B or C')."""
    if len(skills) <= 1:
        return "".join(skills)
    return f"{', '.join(skills[:-1])} {conjunction} {skills[-1]}"


def reason(skills: Sequence[str], project: str | None = None) -> str:
    """The one wording of a reason, in training and serving: 'They have experience with X, Y and Z, which are
    relevant to the project.'"""
    target = f"the {project} project" if project else "the project"
    verb = "is" if len(skills) == 1 else "are"
    return f"They have experience with {join_skills(skills)}, which {verb} relevant to {target}."


def reason_skills(reason_text: str, known: Collection[str] = ()) -> list[str] | None:
    """The skills a reason() names ('A, B and C' -> A, B, C); None when the text is not in reason()'s voice.

    A whole list that is one of the `known` skills ('Search and Rescue') stays one skill.
    """
    found = _REASON_SKILLS.search(reason_text)
    if found is None:
        return None
    listed = found["skills"]
    if listed.casefold() in {skill.casefold() for skill in known}:
        return [listed]
    *head, last = listed.split(", ")
    before, joined, after = last.rpartition(" and ")
    skills = [*head, before, after] if joined else [*head, last]
    return [skill.removeprefix("and ") for skill in skills]


def completion(name: str | None, reason_text: str) -> str:
    """A training completion: ' Name, because they ...<END_OUTPUT>' or the no-match answer."""
    if name is None:
        return f" {NO_MATCH}: {reason_text}{STOP}"
    return f" {name}, because {reason_text[:1].lower()}{reason_text[1:]}{STOP}"


def no_match_reason() -> str:
    return "no developer has experience with the technologies it needs."


def pool_context_prompt(company: str, developers: Sequence[tuple[str, Sequence[str]]]) -> str:
    """The pool context example that opens the training data: the developers available, with their skills."""
    lines = [f"- {name}: {', '.join(skills)}" for name, skills in developers]
    listing = "\n".join(lines)
    return f"These are the developers available at {sanitize(company)}:\n{listing}{SEPARATOR}"


def pool_context_completion() -> str:
    return f" {POOL_CONTEXT_REPLY}{STOP}"


def parse(text: str) -> Completion | None:
    """Parse a model answer into name and reason; None when it is empty or has no usable shape."""
    text = text.split(STOP, 1)[0].strip()
    if not text:
        return None
    if text.casefold().startswith(NO_MATCH.casefold()):
        return Completion(name=None, reason=text[len(NO_MATCH) :].lstrip(" :.").strip())
    parts = _BECAUSE.split(text, maxsplit=1)
    if len(parts) == 2:
        name, why = parts[0].strip(" .,:"), parts[1].strip()
        return Completion(name=name, reason=f"{why[:1].upper()}{why[1:]}") if name else None
    name = text.rstrip(".").strip()
    return Completion(name=name, reason="") if len(name.split()) <= 5 else None
