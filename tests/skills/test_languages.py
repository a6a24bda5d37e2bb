"""The language files: each one's example sentences read as they say, a new file is a new language, a broken one is
refused naming it, and the list-joining words live only there."""

from pathlib import Path

import pytest

from bestdev.skills.language import LANGUAGES_DIR, RULES, Example, LanguageRulesError, load_languages
from bestdev.skills.matcher import SkillMatcher

EXAMPLES = [(rules.language, example) for rules in RULES for example in rules.examples]


def test_the_bundled_languages_in_order() -> None:
    assert [rules.language for rules in RULES] == ["en", "fi", "sv", "de"]
    assert all(len(rules.examples) >= 3 for rules in RULES)


@pytest.mark.parametrize(("language", "example"), EXAMPLES, ids=[f"{lang}:{ex.text[:30]}" for lang, ex in EXAMPLES])
def test_every_example_sentence_reads_as_its_file_says(matcher: SkillMatcher, language: str, example: Example) -> None:
    mentions = [mention for mention in matcher.find(example.text) if not mention.related]
    assert {mention.key: mention.weight for mention in mentions} == example.weights, language
    choices: dict[int, set[str]] = {}
    for mention in mentions:
        if mention.either >= 0:
            choices.setdefault(mention.either, set()).add(mention.key)
    assert sorted(map(sorted, choices.values())) == sorted(map(sorted, example.choices))


def test_a_new_file_is_a_new_language(tmp_path: Path) -> None:
    for path in LANGUAGES_DIR.glob("*.toml"):
        (tmp_path / path.name).write_text(path.read_text("utf-8"), "utf-8")
    (tmp_path / "nl.toml").write_text(
        'language = "nl"\nand = ["en"]\nor = ["of"]\n[cues]\nnice_before = ["een\\\\s+pluspunt"]\n'
    )
    rules = load_languages(tmp_path)
    assert [language.language for language in rules] == ["en", "fi", "sv", "de", "nl"]
    assert rules[-1].words["or"] == ("of",)
    assert rules[-1].cues["nice_before"] == ("een\\s+pluspunt",)


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ('language = "xx"\nand = "und"\n', "and must be a list"),
        ('language = "xx"\n[cues]\nmaybe = ["x"]\n', "unknown cue kinds"),
        ('language = "xx"\nroles = ["dev(("]\n', "missing \\)"),
        ('language = "yy"\n', "does not match the file name"),
    ],
)
def test_a_broken_language_file_is_refused_naming_it(tmp_path: Path, content: str, problem: str) -> None:
    (tmp_path / "xx.toml").write_text(content, "utf-8")
    with pytest.raises(LanguageRulesError, match=f"xx.toml: .*{problem}"):
        load_languages(tmp_path)


def test_list_joining_words_live_only_in_the_language_files() -> None:
    skills = Path(LANGUAGES_DIR).parent
    for path in skills.glob("*.py"):
        source = path.read_text("utf-8")
        found = [word for word in ("och|", "|oder", "eller|", "|und|") if word in source]
        assert not found, path.name


def test_context_words_and_endings_live_only_in_the_language_files() -> None:
    from bestdev.skills.vocabulary import VOCABULARY_FILE

    assert "\n[context]\n" not in VOCABULARY_FILE.read_text("utf-8")
    term_pattern = (Path(LANGUAGES_DIR).parent / "term_pattern.py").read_text("utf-8")
    assert '"ssa",' not in term_pattern
    assert '"erna"' not in term_pattern
    english = RULES[0]
    assert {"in", "with", "using"} <= set(english.context["before"])
    assert {"developer", "app", "code"} <= set(english.context["after"])
    assert {"ssa", "lla"} <= set(RULES[1].context["endings"])
    assert "instead\\s+of" in english.references["after"]
    assert "technologies" in english.sections["stack"]


def test_a_new_language_brings_its_context_words(tmp_path: Path) -> None:
    (tmp_path / "nl.toml").write_text(
        'language = "nl"\n[context]\nbefore = ["geschreven"]\nafter = ["ontwikkelaar"]\nendings = ["je"]\n'
        '[references]\nafter = ["in\\\\s+plaats\\\\s+van"]\n[sections]\nheadings = ["vaardigheden"]\n'
    )
    (nl,) = load_languages(tmp_path)
    assert nl.context["before"] == ("geschreven",)
    assert nl.context["endings"] == ("je",)
    assert nl.context["linking"] == ()
    assert nl.references["after"] == ("in\\s+plaats\\s+van",)
    assert nl.sections["headings"] == ("vaardigheden",)


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ('language = "xx"\n[context]\nnear = ["x"]\n', "unknown context kinds"),
        ('language = "xx"\n[references]\nafter = ["(("]\n', "missing \\)"),
        ('language = "xx"\ncontext = 3\n', "context must be a table"),
    ],
)
def test_a_broken_context_table_is_refused_naming_it(tmp_path: Path, content: str, problem: str) -> None:
    (tmp_path / "xx.toml").write_text(content, "utf-8")
    with pytest.raises(LanguageRulesError, match=f"xx.toml: .*{problem}"):
        load_languages(tmp_path)
