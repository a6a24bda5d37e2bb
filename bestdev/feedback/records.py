"""What the feedback store keeps: each answer BestDev gave (without its description), and each decision about one."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any, Literal, get_args

Verdict = Literal["chosen", "good", "wrong"]
VERDICTS: tuple[Verdict, ...] = get_args(Verdict)


def description_hash(description: str) -> str:
    """The SHA-256 of the description as the caller sent it, surrounding whitespace aside."""
    return hashlib.sha256(description.strip().encode("utf-8", "surrogatepass")).hexdigest()


def decision_id(request_id: str, developer_key: str) -> str:
    """One decision per answer and developer: posting again replaces the verdict and keeps the id."""
    return hashlib.sha256(f"{request_id}\0{developer_key}".encode("utf-8", "surrogatepass")).hexdigest()[:32]


@dataclass(frozen=True)
class Answer:
    """An answer BestDev gave: enough to check feedback about it later, and nothing of the description but its hash."""

    request_id: str
    description_hash: str
    names: tuple[str, ...]
    backend: str
    answered_at: datetime


@dataclass(frozen=True)
class Decision:
    """A person's verdict on a developer for a description BestDev answered; one line of the export."""

    id: str
    request_id: str
    description: str
    developer: str
    verdict: Verdict
    note: str | None
    backend: str
    answered: tuple[str, ...]
    created_at: datetime

    def to_json(self) -> str:
        data: dict[str, Any] = asdict(self)
        data["answered"] = list(self.answered)
        data["created_at"] = self.created_at.isoformat()
        return json.dumps(data, ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(cls, line: str) -> Decision:
        """One export line back; raises ValueError (or KeyError/TypeError) when the line is not one."""
        data = json.loads(line)
        if not isinstance(data, dict):
            raise ValueError("not a JSON object")
        verdict = data["verdict"]
        if verdict not in VERDICTS:
            raise ValueError(f"verdict {verdict!r} is not one of {', '.join(VERDICTS)}")
        for key in ("id", "request_id", "description", "developer", "backend"):
            if not isinstance(data[key], str) or not data[key].strip():
                raise ValueError(f"{key} must be a non-empty string")
        note = data.get("note")
        answered = data.get("answered", [])
        if not isinstance(answered, list) or not all(isinstance(name, str) for name in answered):
            raise ValueError("answered must be a list of names")
        created = datetime.fromisoformat(data["created_at"])
        if created.tzinfo is None:
            raise ValueError("created_at must carry its time zone")
        return cls(
            id=data["id"],
            request_id=data["request_id"],
            description=data["description"],
            developer=data["developer"],
            verdict=verdict,
            note=note if isinstance(note, str) and note else None,
            backend=data["backend"],
            answered=tuple(answered),
            created_at=created,
        )
