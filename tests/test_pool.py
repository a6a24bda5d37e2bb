import json
from pathlib import Path
from typing import Any

import pytest

from bestdev.pool import Pool, PoolError, load_pool, name_key


def write(tmp_path: Path, data: Any) -> Path:
    path = tmp_path / "pool.json"
    path.write_text(data if isinstance(data, str) else json.dumps(data))
    return path


def test_sample_pool_is_a_realistic_consultancy(pool: Pool) -> None:
    assert len(pool.developers) >= 25
    assert pool.company == "Zure"
    assert all(developer.skills for developer in pool.developers)


def test_find_tolerates_case_whitespace_and_diacritics(pool: Pool) -> None:
    found = pool.find("  olli   MAKINEN ")
    assert found is not None
    assert found.name == "Olli Mäkinen"
    assert pool.find("Mallory") is None
    assert name_key("Tomás Silva") == name_key("tomas silva")


def test_project_history_counts_as_experience(pool: Pool) -> None:
    developer = pool.find("Chen Wei")
    assert developer is not None
    assert "Stripe" in developer.experience
    assert "Firebase" not in developer.experience


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ("{not json", "not valid JSON"),
        ({"company": "X"}, "developers: Field required"),
        (
            {"company": "X", "developers": [{"name": "A", "skills": ["Go"]}, {"name": "B", "skills": "Go"}]},
            r"developers\[1\] \(B\)\.skills",
        ),
        (
            {"company": "X", "developers": [{"name": "A", "skills": ["Go"], "age": 3}]},
            r"developers\[0\] \(A\)\.age: Extra inputs",
        ),
        (
            {"company": "X", "developers": [{"name": "Åsa", "skills": ["Go"]}, {"name": "asa ", "skills": ["C"]}]},
            r"developers\[1\] \('asa'\) has the same name as developers\[0\]",
        ),
        (
            {"company": "X", "developers": [{"name": "  ", "skills": ["Go"]}]},
            r"developers\[0\].*name: must not be blank",
        ),
    ],
)
def test_malformed_pools_name_the_file_and_entry(tmp_path: Path, data: Any, message: str) -> None:
    path = write(tmp_path, data)
    with pytest.raises(PoolError, match=message) as caught:
        load_pool(path)
    assert str(path) in str(caught.value)


def test_missing_pool_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(PoolError, match=r"nowhere\.json: cannot be read"):
        load_pool(tmp_path / "nowhere.json")
