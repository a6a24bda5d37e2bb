import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from bestdev.pool import Developer, Pool, PoolError, load_pool, name_key, pool_problems, pool_schema


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


def test_skills_may_carry_a_level_and_people_their_availability(tmp_path: Path) -> None:
    data = {
        "company": "X",
        "developers": [
            {
                "name": "A",
                "skills": ["Go", {"name": " Terraform ", "level": 4}],
                "available_from": "2027-03-03",
                "allocation": 80,
            },
            {"name": "B", "skills": ["Go"]},
        ],
    }
    pool = load_pool(write(tmp_path, data))
    first = pool.developers[0]
    assert first.skills == ["Go", "Terraform"]
    assert (first.level("Terraform"), first.level("Go")) == (4, None)
    assert first.available_from == date(2027, 3, 3)
    data["developers"][0]["skills"][1] = {"name": "Terraform", "level": 4}  # type: ignore[index]
    assert pool.document() == data
    assert Pool.model_validate(pool.document()) == pool


def test_who_is_free_on_a_day() -> None:
    booked_until = Developer(name="A", skills=["Go"], available_from=date(2027, 3, 3), allocation=100)
    part_time = Developer(name="B", skills=["Go"], allocation=80)
    full = Developer(name="C", skills=["Go"], allocation=100)
    assert not booked_until.free_on(date(2027, 3, 2))
    assert booked_until.free_on(date(2027, 3, 3))
    assert part_time.free_on(date(2027, 1, 1))
    assert not full.free_on(date(2030, 1, 1))
    assert Developer(name="D", skills=["Go"]).free_on(date(2000, 1, 1))


def test_the_pool_knows_once_whether_anyone_has_levels_or_can_be_busy() -> None:
    plain = Pool(company="X", developers=[Developer(name="A", skills=["Go"]), Developer(name="B", skills=["Go"])])
    assert not plain.levelled
    assert not plain.anyone_busy_on(date(2027, 1, 1))
    booked = Developer(name="C", skills=["Go"], available_from=date(2027, 3, 3), allocation=100)
    levelled = Developer.model_validate({"name": "D", "skills": [{"name": "Go", "level": 4}]})
    pool = Pool(company="X", developers=[*plain.developers, booked, levelled])
    assert pool.levelled
    assert pool.anyone_busy_on(date(2027, 3, 2))
    assert not pool.anyone_busy_on(date(2027, 3, 3))


def test_every_problem_is_listed_at_once() -> None:
    data = {
        "company": "X",
        "developers": [
            {"name": "A", "skills": [{"name": "Go", "level": 9}], "allocation": 120},
            {"name": "B", "skills": ["Go"], "available_from": "soon", "email": "b@example.com"},
        ],
    }
    problems = pool_problems(json.dumps(data).encode())
    assert isinstance(problems, list)
    assert len(problems) == 4
    assert any(p.startswith("developers[0] (A).skills") and "level" in p for p in problems)
    assert any(p.startswith("developers[0] (A).allocation") for p in problems)
    assert any(p.startswith("developers[1] (B).available_from") for p in problems)
    assert any(p.startswith("developers[1] (B).email: Extra inputs") for p in problems)


def test_every_twin_is_listed() -> None:
    data = {"company": "X", "developers": [{"name": n, "skills": ["Go"]} for n in ("A", "a", "B", "b ")]}
    problems = pool_problems(json.dumps(data).encode())
    assert problems == [
        "developers[1] ('a') has the same name as developers[0]",
        "developers[3] ('b') has the same name as developers[2]",
    ]


def test_levels_come_only_with_their_skill() -> None:
    problems = pool_problems(b'{"company": "X", "developers": [{"name": "A", "skills": ["Go"], "levels": {"Go": 3}}]}')
    assert isinstance(problems, list)
    assert "give a level with its skill" in problems[0]


def test_the_version_follows_the_content(pool: Pool) -> None:
    assert pool.version == load_pool().version
    changed = Pool.model_validate({**pool.document(), "company": "Other"})
    assert changed.version != pool.version
    assert len(pool.version) == 12


def test_the_schema_accepts_plain_and_levelled_skills() -> None:
    schema = pool_schema()
    skills = schema["$defs"]["Developer"]["properties"]["skills"]
    assert skills["items"]["anyOf"][0] == {"type": "string", "minLength": 1}
    assert skills["items"]["anyOf"][1]["required"] == ["name", "level"]
    assert "levels" not in schema["$defs"]["Developer"]["properties"]
    assert schema["$defs"]["Developer"]["additionalProperties"] is False
