"""The server's HTTP contract with a stand-in generator (no model needed): request shapes it refuses, a model
that fails, few-shot prompting for the completions API, and loopback only."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from bestdev import template
from bestdev.local_model import serving
from bestdev.local_model.examples import read_conversations
from bestdev.local_model.generation import Generated, Usage
from bestdev.local_model.prompting import FewShot
from bestdev.local_model.server import ModelServer
from bestdev.local_model.weights import LocalModelError
from bestdev.pool import Pool
from bestdev.settings import SettingsError

COMPLETIONS = "/openai/deployments/local/completions?api-version=2024-10-21"


class StandIn:
    """Answers every prompt with what it was asked, or fails like a model that ran out of memory."""

    name = "stand-in"

    def __init__(self, fail: bool = False) -> None:
        self.fail = fail
        self.usage = Usage()
        self.prompts: list[Any] = []

    def complete(self, prompt: Any, max_tokens: int, stop: Sequence[str], temperature: float) -> Generated:
        self.prompts.append(prompt)
        if self.fail:
            raise RuntimeError("out of memory")
        return Generated(" Chen Wei", "stop", 3, 2, 0.01)

    chat = complete


def _client(generator: StandIn, prompting: Any = None) -> TestClient:
    server = ModelServer(generator, prompting or FewShot(Pool(company="Zure", developers=[]), []))  # type: ignore[arg-type]
    return TestClient(server.app)


def test_completions_answer_one_prompt_and_refuse_a_list_or_a_bad_body() -> None:
    with _client(StandIn()) as client:
        answer = client.post(COMPLETIONS, json={"prompt": ["only one"], "max_tokens": 4})
        assert answer.json()["choices"][0]["text"] == " Chen Wei"
        assert answer.json()["usage"] == {"prompt_tokens": 3, "completion_tokens": 2, "total_tokens": 5}
        two = client.post(COMPLETIONS, json={"prompt": ["one", "two"]})
        assert two.status_code == 400
        assert two.json()["error"]["message"] == "this server answers one prompt per request"
        assert client.post(COMPLETIONS, json={"max_tokens": 4}).status_code == 400


def test_a_failing_model_is_a_500_in_azures_shape_for_both_apis() -> None:
    with _client(StandIn(fail=True)) as client:
        chat = client.post("/v1/chat/completions", json={"messages": [{"role": "user", "content": "hi"}]})
        plain = client.post("/v1/completions", json={"prompt": "hi"})
    for response in (chat, plain):
        assert response.status_code == 500
        assert response.json() == {"error": {"code": "server_error", "message": "the local model failed: RuntimeError"}}


def test_few_shot_puts_the_pool_and_the_examples_before_a_completions_prompt(pool: Pool, tmp_path: Path) -> None:
    shot = template.chat_messages(template.prompt("Zure", "A Flutter app"), " Oskar Nilsson, because ...<END_OUTPUT>")
    prompting = FewShot(pool, [shot])
    generator = StandIn()
    with _client(generator, prompting) as client:
        client.post(COMPLETIONS, json={"prompt": "Who fits?\n\n###\n\n"})
    sent = generator.prompts[0]
    assert sent.startswith(f"These are the developers available at Zure:\n- {pool.developers[0].name}: ")
    assert sent.endswith(f"{shot[1]['content']}{shot[2]['content']}Who fits?\n\n###\n\n")


def test_only_loopback_is_served(monkeypatch: pytest.MonkeyPatch) -> None:
    for host in ("0.0.0.0", "example.com", "10.0.0.1"):
        with pytest.raises(SettingsError, match="serves on loopback only"):
            serving.loopback(host)
    ran: dict[str, Any] = {}
    monkeypatch.setattr("uvicorn.run", lambda app, **options: ran.update(options))
    serving.serve(_client(StandIn()).app, "localhost", 8099)
    assert (ran["host"], ran["port"]) == ("localhost", 8099)


def test_training_lines_that_teach_nothing_are_refused(tmp_path: Path) -> None:
    with pytest.raises(LocalModelError, match="cannot be read"):
        read_conversations(tmp_path / "missing.jsonl")
    asked = tmp_path / "asked.jsonl"
    asked.write_text('{"messages": [{"role": "user", "content": "who?"}]}\n', encoding="utf-8")
    with pytest.raises(LocalModelError, match=r"asked\.jsonl:1: the last message must be the assistant's answer"):
        read_conversations(asked)
    empty = tmp_path / "empty.jsonl"
    empty.write_text("\n", encoding="utf-8")
    with pytest.raises(LocalModelError, match=r"empty\.jsonl: no examples"):
        read_conversations(empty)
