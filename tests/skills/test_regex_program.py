"""Stored regex programs: used only on the interpreter and for the pattern they were made for, and then they
match exactly as the compiled pattern does."""

from __future__ import annotations

import json
import re

import pytest

from bestdev.evaluation import load_benchmark
from bestdev.skills import regex_program
from bestdev.skills.term_pattern import VERSION, regex_flags, term_regex
from bestdev.skills.vocabulary_index import INDEX_FILE, KINDS, REGENERATE

SOURCE = term_regex(["react", "react native", "node.js", "c#", "sql server"], VERSION) or ""
FLAGS = regex_flags(True)


def spans(pattern: re.Pattern[str], text: str) -> list[tuple[int, int, str]]:
    return [(match.start(), match.end(), match.group("term")) for match in pattern.finditer(text)]


def test_a_stored_program_matches_as_the_compiled_pattern() -> None:
    stored = json.loads(json.dumps(regex_program.program(SOURCE, FLAGS)))
    loaded, compiled = regex_program.load(SOURCE, FLAGS, stored), re.compile(SOURCE, FLAGS)
    assert loaded is not compiled  # built from the program, not compiled again
    assert (loaded.pattern, loaded.flags, loaded.groupindex) == (compiled.pattern, compiled.flags, compiled.groupindex)
    for text in ["React Native 0.74 with Node.js 20, C# and SQL Server", "react-native reactor C#9", ""]:
        assert spans(loaded, text) == spans(compiled, text)


@pytest.mark.parametrize(
    "change",
    [
        {"interpreter": "CPython-2.7"},
        {"pattern": "0:1:00000000"},
        {"code": "not base64!"},
        {"code": "eJwDAAAAAAE="},  # a valid but empty program: the engine rejects it
        {"groups": "one"},
    ],
)
def test_a_program_for_another_interpreter_or_pattern_or_a_broken_one_is_compiled_instead(
    change: dict[str, str],
) -> None:
    stored = {**regex_program.program(SOURCE, FLAGS), **change}
    assert regex_program.load(SOURCE, FLAGS, stored) is re.compile(SOURCE, FLAGS)


def test_a_program_is_never_used_for_other_flags() -> None:
    stored = regex_program.program(SOURCE, FLAGS)
    assert regex_program.load(SOURCE, 0, stored) is re.compile(SOURCE, 0)


def test_the_shipped_programs_match_as_their_patterns_do() -> None:
    data = json.loads(INDEX_FILE.read_text(encoding="utf-8"))
    texts = [case.description for case in load_benchmark().cases]
    for kind, (fold, _) in KINDS.items():
        source = data["index"]["terms"][kind]["pattern"]
        program = data["programs"][kind]
        loaded, compiled = regex_program.load(source, regex_flags(fold), program), re.compile(source, regex_flags(fold))
        if program["interpreter"] == regex_program.interpreter():
            assert loaded is not compiled, f"the shipped {kind} program is not usable here: run `{REGENERATE}`"
        for text in texts:
            assert spans(loaded, text) == spans(compiled, text), (kind, text)
