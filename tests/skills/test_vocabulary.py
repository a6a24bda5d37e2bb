from pathlib import Path

import pytest

from bestdev.skills.vocabulary import VocabularyError, load_vocabulary


def test_bundled_vocabulary_is_broad_and_consistent() -> None:
    vocabulary = load_vocabulary()
    names = [technology.name for technology in vocabulary]
    assert len(names) >= 200
    assert len(set(names)) == len(names)
    for technology in vocabulary:
        assert technology.category
        assert set(technology.ambiguous_terms) <= set(technology.terms)
        assert set(technology.implies) <= set(names)
        assert set(technology.includes) <= set(names)


def test_every_term_belongs_to_one_technology() -> None:
    owners: dict[str, str] = {}
    for technology in load_vocabulary():
        for term in technology.terms:
            assert owners.setdefault(term.lower(), technology.name) == technology.name, term


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[[technology]]\nname = "X"\n', "lacks 'category'"),
        ('[[technology]]\nname = "X"\ncategory = "c"\nambiguous = ["Y"]\n', "not a name or alias"),
        ('[[technology]]\nname = "X"\ncategory = "c"\nimplies = ["Nope"]\n', "unknown ['Nope']"),
        ("[[technology]\n", "vocabulary"),
    ],
)
def test_a_broken_vocabulary_names_the_entry(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "technologies.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(VocabularyError, match=message.replace("[", r"\[").replace("]", r"\]")):
        load_vocabulary(path)


def test_ambiguous_true_flags_every_spelling(tmp_path: Path) -> None:
    path = tmp_path / "technologies.toml"
    path.write_text('[[technology]]\nname = "Go"\ncategory = "language"\naliases = ["Golang"]\nambiguous = true\n')
    (technology,) = load_vocabulary(path)
    assert technology.ambiguous_terms == ("Go", "Golang")
    assert technology.ambiguous
