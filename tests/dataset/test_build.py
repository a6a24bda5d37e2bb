from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from bestdev import template
from bestdev.api.app import create_app
from bestdev.dataset.build import MANIFEST, Dataset, DatasetError, build, prompt_key, write
from bestdev.dataset.check import check
from bestdev.dataset.fine_tunable import DataFormat
from bestdev.dataset.formats import FORMATS, file_name
from bestdev.dataset.listed import listed_skills
from bestdev.dataset.phrasings import PHRASINGS
from bestdev.pool import Pool
from bestdev.recommend.local import LocalRecommender
from bestdev.settings import Settings
from bestdev.skills.vocabulary import load_vocabulary
from tests.dataset.jsonl_lines import as_lines, loads
from tests.fakes.openai_model import FakeModel, Reply


def test_default_build_has_a_few_hundred_examples_split_for_validation(dataset: Dataset) -> None:
    assert len(dataset.training) + len(dataset.validation) == 300 + 1  # + the pool context example
    assert len(dataset.validation) == 30
    kinds = Counter(example.kind for example in dataset.all)
    assert kinds["pool-context"] == 1
    assert kinds["no-match"] >= 10
    assert dataset.training[0].kind == "pool-context"


def test_every_developer_is_labelled_in_training(dataset: Dataset, pool: Pool) -> None:
    assert dataset.never_ranked_first == []
    assert set(dataset.labels("training")) == {developer.name for developer in pool.developers}


def test_no_validation_prompt_repeats_a_training_prompt(dataset: Dataset) -> None:
    training = {prompt_key(example.prompt) for example in dataset.training}
    assert not [example for example in dataset.validation if prompt_key(example.prompt) in training]
    assert len({prompt_key(example.prompt) for example in dataset.all}) == len(dataset.all)


def test_prompts_are_the_template_prompt_of_their_description(dataset: Dataset, pool: Pool) -> None:
    for example in dataset.all:
        if example.kind == "pool-context":
            continue
        assert example.description is not None
        assert example.prompt == template.prompt(pool.company, example.description)


@pytest.mark.parametrize(("model_api", "data_format"), [("chat", "chat"), ("completions", "prompt-completion")])
def test_the_served_request_is_the_training_example(
    dataset: Dataset,
    model_settings: Callable[..., Settings],
    fake_model: FakeModel,
    model_api: str,
    data_format: DataFormat,
) -> None:
    """A description sent to the API reaches the model as exactly the training example's prompt (and system
    message), and the example's own completion is accepted as the answer."""
    examples = [example for example in dataset.validation if example.kind == "match"][:5]
    fake_model.script(*(Reply.answer(example.completion.removesuffix(template.STOP)) for example in examples))
    with TestClient(create_app(model_settings(BESTDEV_MODEL_API=model_api))) as client:
        picks = [
            client.post("/api/recommend", json={"description": example.description}).json()["recommendations"][0]
            for example in examples
        ]
    trained = [loads(line) for line in as_lines(examples, data_format)]
    if data_format == "chat":
        assert [call.body["messages"] for call in fake_model.calls] == [item["messages"][:2] for item in trained]  # type: ignore[index]
    else:
        assert [call.body["prompt"] for call in fake_model.calls] == [item["prompt"] for item in trained]
    assert [pick["name"] for pick in picks] == [example.developer for example in examples]


def test_labels_are_the_recommenders_first_pick_with_only_real_skills(dataset: Dataset, pool: Pool) -> None:
    recommender = LocalRecommender(pool)
    for example in dataset.all:
        if example.kind == "pool-context":
            continue
        assert example.description is not None
        ranked = recommender.rank(example.description, 1)
        answer = template.parse(example.completion)
        assert answer is not None
        if example.kind == "no-match":
            assert ranked == []
            assert answer.name is None
            continue
        assert answer.name == example.developer == ranked[0].name
        named = template.reason_skills(answer.reason)
        assert named == list(ranked[0].matched_skills)
        developer = pool.find(answer.name)
        assert developer is not None
        listed = listed_skills(recommender.matcher, developer)
        assert all(recommender.matcher.canonical(skill) in listed for skill in named)


def test_descriptions_use_every_phrasing_and_the_vocabularys_other_names(dataset: Dataset) -> None:
    descriptions = [example.description or "" for example in dataset.all]
    assert any(description.startswith("Who is the most fitting candidate from Zure") for description in descriptions)
    assert any(description.startswith("Which Zure candidate is best suited") for description in descriptions)
    openings = {phrasing.split("{", 1)[0] for phrasing in PHRASINGS if not phrasing.startswith("{")}
    for opening in openings:
        assert any(description.startswith(opening) for description in descriptions), opening
    other_names = {term for tech in load_vocabulary() for term in (*tech.aliases, *tech.related)}
    used = {term for term in other_names if any(term in description for description in descriptions)}
    assert len(used) >= 3, used


def test_the_pool_context_example_lists_every_developer(dataset: Dataset, pool: Pool) -> None:
    context = dataset.training[0]
    assert context.completion == template.pool_context_completion()
    for developer in pool.developers:
        assert f"- {developer.name}: {', '.join(developer.skills)}" in context.prompt


def test_same_seed_same_files_other_seed_other_files(pool: Pool, tmp_path: Path) -> None:
    first = write(build(pool, examples=60, seed=3), tmp_path / "a", "pool.json")
    again = write(build(pool, examples=60, seed=3), tmp_path / "b", "pool.json")
    other = write(build(pool, examples=60, seed=4), tmp_path / "c", "pool.json")
    assert [path.read_bytes() for path in first] == [path.read_bytes() for path in again]
    assert [path.read_bytes() for path in first] != [path.read_bytes() for path in other]


def test_writes_both_formats_of_the_same_examples(dataset: Dataset, tmp_path: Path) -> None:
    names = {path.name for path in write(dataset, tmp_path, "pool.json")}
    assert names == {file_name(split, fmt) for split in ("training", "validation") for fmt in FORMATS} | {MANIFEST}
    for split in ("training", "validation"):
        completions = [
            loads(line) for line in (tmp_path / file_name(split, "prompt-completion")).read_text().splitlines()
        ]
        chats = [loads(line) for line in (tmp_path / file_name(split, "chat")).read_text().splitlines()]
        assert len(completions) == len(chats) > 0
        for flat, chat in zip(completions, chats, strict=True):
            assert chat["messages"] == template.chat_messages(str(flat["prompt"]), str(flat["completion"]))


def test_the_build_passes_its_own_check(dataset: Dataset, pool: Pool) -> None:
    for fmt in FORMATS:
        for examples in (dataset.training, dataset.validation):
            report = check(as_lines(examples, fmt), "built", pool=pool)
            min_examples = [finding.check for finding in report.findings if finding.check == "min-examples"]
            expected = {"min-examples"} if fmt == "chat" else {"min-examples", "trainable-format"}
            assert [finding for finding in report.findings if finding.check not in expected] == []
            assert min_examples == ([] if examples is dataset.training else ["min-examples"])


def test_a_pool_without_outside_technologies_still_builds(pool: Pool) -> None:
    dataset = build(pool, examples=40, seed=1, vocabulary=())
    assert len(dataset.training) + len(dataset.validation) == 41


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"examples": 5}, "too few"),
        ({"validation_fraction": 1.0}, "below 1"),
        ({"validation_fraction": -0.1}, "at least 0"),
    ],
)
def test_impossible_requests_are_clear_errors(pool: Pool, options: dict[str, float], message: str) -> None:
    with pytest.raises(DatasetError, match=message):
        build(pool, **options)  # type: ignore[arg-type]


def test_a_small_pool_builds_and_names_who_cannot_be_labelled() -> None:
    pool = Pool.model_validate(
        {
            "company": "Tiny",
            "developers": [
                {"name": "Ada One", "skills": ["Haskell"]},
                {"name": "Bo Two", "skills": ["Rust", "WebAssembly", "Tokio"]},
                {"name": "Cy Three", "skills": []},
            ],
        }
    )
    dataset = build(pool, examples=30, seed=2)
    assert len(dataset.all) == 31
    assert set(dataset.labels()) == {"Ada One", "Bo Two"}
    assert dataset.never_ranked_first == ["Cy Three"]
    assert not [example for example in dataset.all if example.kind == "no-match" and "Haskell" in example.prompt]


def test_a_pool_the_recommender_cannot_read_is_a_clear_error() -> None:
    pool = Pool.model_validate({"company": "Quiet", "developers": [{"name": "Di Four", "skills": []}]})
    with pytest.raises(DatasetError, match="too few skills"):
        build(pool, examples=10)


def test_descriptions_come_as_real_people_write_them(pool: Pool) -> None:
    """Lower case, joined stacks, Finnish case endings and Swedish briefs, so the model learns to read them."""
    descriptions = [example.description or "" for example in build(pool, examples=150, seed=5).all]
    finnish = [text for text in descriptions if "Haemme" in text or "tarvitsee" in text]
    assert any(re.search(r"\w(?:illa|lla|:lla)\b", text) for text in finnish)
    assert any("Vi söker" in text or "behöver hjälp" in text for text in descriptions)
    assert any(re.search(r"\b\w+/\w+", text) for text in descriptions)
    assert any(" and " in text and text.split(" and ")[-1][:1].islower() for text in descriptions)
