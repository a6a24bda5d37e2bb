"""One error root: every error a person acts on is a BestDevError with its exit code, and validation errors read
the same wherever they come from."""

from __future__ import annotations

import pytest
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from bestdev.cli import main
from bestdev.commands import evaluate
from bestdev.commands.extras import MissingExtra
from bestdev.dataset.build import DatasetError
from bestdev.dataset.tokens import TokenizerMissing
from bestdev.errors import BestDevError, FileError, ServiceError, describe_validation
from bestdev.evaluation import EvaluationError
from bestdev.feedback.errors import FeedbackError, FeedbackFileError, StoreUnavailable
from bestdev.finetune.deployment import DeploymentError, ManagementFault
from bestdev.finetune.jobs import FineTuneError
from bestdev.finetune.polling import PollingTimeout, TooManyFaults
from bestdev.finetune.results import ResultsError
from bestdev.lifecycle.catalog import CatalogError
from bestdev.model.client import CredentialError
from bestdev.model.faults import ModelFault
from bestdev.pool import PoolError
from bestdev.real_text import RealTextError
from bestdev.settings import SettingsError
from bestdev.skills.vocabulary import VocabularyError


@pytest.mark.parametrize(
    ("error", "code"),
    [
        (SettingsError, 2),
        (MissingExtra, 2),
        (PoolError, 2),
        (EvaluationError, 2),
        (RealTextError, 2),
        (DatasetError, 2),
        (TokenizerMissing, 2),
        (FileError, 2),
        (FeedbackError, 2),
        (FeedbackFileError, 2),
        (StoreUnavailable, 2),
        (ResultsError, 1),
        (ServiceError, 1),
        (FineTuneError, 1),
        (DeploymentError, 1),
        (ManagementFault, 1),
        (PollingTimeout, 1),
        (TooManyFaults, 1),
        (CatalogError, 1),
        (CredentialError, 1),
        (VocabularyError, 2),
        (ModelFault, 2),
    ],
)
def test_every_error_a_command_reports_has_the_one_root_and_its_exit_code(error: type[Exception], code: int) -> None:
    assert issubclass(error, BestDevError)
    assert error.exit_code == code  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("error", "also"),
    [
        (SettingsError, ValueError),
        (PoolError, ValueError),
        (PollingTimeout, TimeoutError),
        (FineTuneError, RuntimeError),
        (CredentialError, RuntimeError),
        (VocabularyError, ValueError),
    ],
)
def test_errors_keep_the_builtin_they_derived_from(error: type[Exception], also: type[Exception]) -> None:
    assert issubclass(error, also)


def test_main_prints_a_bestdev_error_once_with_its_exit_code(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def fail(_: object) -> int:
        raise ResultsError("results.csv: line 3: not a number")

    monkeypatch.setattr(evaluate, "_eval", fail)  # the parser is built in main, after this
    assert main(["eval"]) == 1
    assert capsys.readouterr().err == "bestdev: results.csv: line 3: not a number\n"


class Entry(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str
    top_k: int = Field(ge=1)

    @field_validator("name")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("must not be blank")
        return value


def failure(**values: object) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        Entry.model_validate(values)
    return caught.value


def test_validation_problems_name_where_and_drop_pydantics_prefix() -> None:
    assert describe_validation(failure(name=" ", top_k=0)) == (
        "name: must not be blank; top_k: Input should be greater than or equal to 1"
    )


def test_a_name_function_speaks_the_readers_words_and_a_limit_keeps_the_first() -> None:
    error = failure(name=" ", top_k=0)
    assert describe_validation(error, name=lambda loc: "--" + str(loc[0]), limit=1) == "--name: must not be blank"


def test_verbatim_keeps_pydantics_message_and_an_empty_location() -> None:
    assert describe_validation(failure(name=" ", top_k=1), verbatim=True) == "name: Value error, must not be blank"
    with pytest.raises(ValidationError) as caught:
        Entry.model_validate_json("{")
    assert describe_validation(caught.value, verbatim=True).startswith(": Invalid JSON")
    assert describe_validation(caught.value).startswith("Invalid JSON")
