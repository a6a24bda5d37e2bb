"""The store in Azure: one Azure Table (azure-data-tables), reached keyless with the app's managed identity.

An answer and the decisions about it share a partition (the request id): the answer is the row 'answer', each
decision a row 'decision-<id>'. Every write is one upsert of one entity, atomic in the service, so instances
writing at once cannot lose each other's entries. The table is created on first use if it is missing (Bicep
creates it in Azure; Azurite starts empty).
"""

from __future__ import annotations

import contextlib
import json
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from bestdev.feedback.errors import StoreUnavailable
from bestdev.feedback.records import Answer, Decision

if TYPE_CHECKING:
    from azure.core.credentials import TokenCredential
    from azure.data.tables import TableClient

ANSWER_ROW = "answer"
DECISION_PREFIX = "decision-"
# A store that does not answer fails the feedback request (503) within seconds, not after the SDK's long retries.
CLIENT_OPTIONS: dict[str, Any] = {
    "retry_total": 2,
    "retry_backoff_factor": 0.2,
    "connection_timeout": 5,
    "read_timeout": 10,
}


class TableStore:
    def __init__(self, endpoint: str, table: str, credential: TokenCredential, **client_options: Any) -> None:
        self.endpoint = endpoint
        self.table = table
        self.description = f"azure-tables {endpoint.rstrip('/')}/{table}"
        self._credential = credential
        self._options = {**CLIENT_OPTIONS, **client_options}
        self._client: TableClient | None = None
        self._lock = threading.Lock()
        self._ready = False

    def _table(self) -> TableClient:
        with self._lock:
            if self._client is None:
                from azure.data.tables import TableClient

                self._client = TableClient(
                    endpoint=self.endpoint, table_name=self.table, credential=self._credential, **self._options
                )
            client = self._client
        if not self._ready:
            from azure.core.exceptions import ResourceExistsError

            with contextlib.suppress(ResourceExistsError):
                client.create_table()
            self._ready = True
        return client

    def _call(self, what: str, operation: Any, *args: Any, **kwargs: Any) -> Any:
        from azure.core.exceptions import AzureError

        try:
            return operation(self._table(), *args, **kwargs)
        except AzureError as error:
            kind = type(error).__name__
            raise StoreUnavailable(f"the feedback table {self.table} could not {what} ({kind})") from error
        except ValueError as error:  # the SDK's own checks, such as a token credential over plain HTTP
            raise StoreUnavailable(f"the feedback table {self.table} could not {what} ({error})") from error

    def remember(self, answer: Answer) -> None:
        entity = {
            "PartitionKey": answer.request_id,
            "RowKey": ANSWER_ROW,
            "description_hash": answer.description_hash,
            "names": json.dumps(list(answer.names), ensure_ascii=False),
            "backend": answer.backend,
            "answered_at": answer.answered_at.astimezone(UTC),
        }
        self._call("keep the answer", lambda table: table.upsert_entity(entity, mode=_replace()))

    def answer(self, request_id: str) -> Answer | None:
        def get(table: TableClient) -> Any:
            from azure.core.exceptions import ResourceNotFoundError

            try:
                return table.get_entity(partition_key=request_id, row_key=ANSWER_ROW)
            except ResourceNotFoundError:
                return None

        entity = self._call("read the answer", get)
        if entity is None:
            return None
        return Answer(
            request_id=request_id,
            description_hash=entity["description_hash"],
            names=tuple(json.loads(entity["names"])),
            backend=entity["backend"],
            answered_at=_utc(entity["answered_at"]),
        )

    def save(self, decision: Decision) -> None:
        entity = {
            "PartitionKey": decision.request_id,
            "RowKey": DECISION_PREFIX + decision.id,
            "id": decision.id,
            "description": decision.description,
            "developer": decision.developer,
            "verdict": decision.verdict,
            "note": decision.note or "",
            "backend": decision.backend,
            "answered": json.dumps(list(decision.answered), ensure_ascii=False),
            "created_at": decision.created_at.astimezone(UTC),
        }
        self._call("keep the decision", lambda table: table.upsert_entity(entity, mode=_replace()))

    def decisions(self) -> Iterator[Decision]:
        query = "RowKey ge @low and RowKey lt @high"
        bounds = {"low": DECISION_PREFIX, "high": DECISION_PREFIX[:-1] + chr(ord(DECISION_PREFIX[-1]) + 1)}
        entities = self._call("list the decisions", lambda table: list(table.query_entities(query, parameters=bounds)))
        found = [
            Decision(
                id=entity["id"],
                request_id=entity["PartitionKey"],
                description=entity["description"],
                developer=entity["developer"],
                verdict=entity["verdict"],
                note=entity.get("note") or None,
                backend=entity["backend"],
                answered=tuple(json.loads(entity["answered"])),
                created_at=_utc(entity["created_at"]),
            )
            for entity in entities
        ]
        yield from sorted(found, key=lambda decision: (decision.created_at, decision.id))

    def prune(self, before: datetime) -> int:
        cut = {"cut": before.astimezone(UTC)}

        def delete(table: TableClient) -> int:
            old = [
                *table.query_entities("RowKey eq 'answer' and answered_at lt @cut", parameters=cut),
                *table.query_entities("created_at lt @cut", parameters=cut),
            ]
            for entity in old:
                table.delete_entity(partition_key=entity["PartitionKey"], row_key=entity["RowKey"])
            return len(old)

        deleted: int = self._call("delete old entries", delete)
        return deleted

    def close(self) -> None:
        with self._lock:
            client, self._client = self._client, None
        if client is not None:
            client.close()


def _replace() -> Any:
    from azure.data.tables import UpdateMode

    return UpdateMode.REPLACE


def _utc(moment: datetime) -> datetime:
    """The SDK returns its own datetime subclass (TablesEntityDatetime); a plain aware datetime comes back."""
    aware = moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)
    return datetime(*aware.timetuple()[:6], aware.microsecond, tzinfo=UTC)
