"""A fake fine-tuning service and Azure management endpoint, answering with the SDK's own types.

Data plane at the Azure paths (/openai/...) and the OpenAI-compatible ones (/v1/...): the models list (base models
with capabilities and retirement dates, and the fine-tuned models of finished jobs), files (upload, retrieve,
content) and fine_tuning.jobs (create, retrieve, events, checkpoints). A job follows a scripted timeline: each
retrieve takes the next JobStep, which may add events or answer with a transient fault instead.

Management plane at the ARM paths: deployments create-or-update, get, list and delete (a PUT that would change
an existing deployment's model is refused with CannotChangeDeploymentModel, as Azure refuses it), the
Azure-AsyncOperation status, the account (for its endpoint), the account's request metrics (Azure Monitor) and
the Function App's app settings (list and replace). Provisioning follows a scripted list of states.

Data plane calls to a deployment (chat completions) answer with `answers[model]` (a function of the prompt) for
the model the deployment holds; a deployment that does not exist or is not ready answers 404.
"""

from __future__ import annotations

import json
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from openai.types import FileObject
from openai.types.fine_tuning import FineTuningJob, FineTuningJobEvent
from openai.types.fine_tuning.fine_tuning_job import Error, Hyperparameters
from openai.types.fine_tuning.jobs import FineTuningJobCheckpoint
from openai.types.fine_tuning.jobs.fine_tuning_job_checkpoint import Metrics
from starlette.applications import Starlette
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from bestdev import template

RESULTS_CSV = (
    "step,train_loss,train_mean_token_accuracy,valid_loss,valid_mean_token_accuracy\n"
    "1,2.0,0.50,2.1,0.48\n"
    "2,1.2,0.70,1.3,0.66\n"
    "3,0.8,0.80,1.1,0.74\n"
)
ACCOUNT = (
    "/subscriptions/{subscription}/resourceGroups/{group}/providers/Microsoft.CognitiveServices/accounts/{account}"
)
DAY = 86_400
FAR = 4_102_444_800  # 2100-01-01
RETIRED = 1_737_936_000  # 2025-01-27, when davinci-002 and babbage-002 retired
SITE = "/subscriptions/{subscription}/resourceGroups/{group}/providers/Microsoft.Web/sites/{site}"
OPERATION = (
    "/subscriptions/{subscription}/providers/Microsoft.CognitiveServices/locations/{location}/operationResults/{op}"
)


def base_model(model_id: str, fine_tune: bool = True, fine_tune_until: int = FAR, inference_until: int = FAR) -> dict:
    """A base model as Azure's models list shows it."""
    return {
        "id": model_id,
        "object": "model",
        "created_at": 1_700_000_000,
        "status": "succeeded",
        "lifecycle_status": "generally-available",
        "capabilities": {
            "fine_tune": fine_tune,
            "inference": True,
            "completion": False,
            "chat_completion": True,
            "embeddings": False,
        },
        "deprecation": {"fine_tune": fine_tune_until, "inference": inference_until},
    }


def default_models() -> list[dict]:
    return [
        base_model("gpt-4.1-mini-2025-04-14"),
        base_model("gpt-4o-mini-2024-07-18"),
        base_model("gpt-4o-2024-11-20", fine_tune=False),
        base_model("davinci-002", fine_tune_until=RETIRED, inference_until=RETIRED),
    ]


@dataclass
class JobStep:
    """One retrieve of the job: its new status and events, or a fault answered instead."""

    status: str = "running"
    events: list[tuple[str, dict[str, Any] | None]] = field(default_factory=list)
    error: tuple[str, str] | None = None
    fault: int | None = None

    @classmethod
    def metrics(cls, step: int, total: int, train_loss: float, valid_loss: float) -> JobStep:
        message = f"Step {step}/{total}: training loss={train_loss}, validation loss={valid_loss}"
        data = {"step": step, "total_steps": total, "train_loss": train_loss, "valid_loss": valid_loss}
        return cls("running", [(message, data)])

    @classmethod
    def transient(cls, status: int = 503) -> JobStep:
        return cls(fault=status)


@dataclass
class Call:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: Any


class FakeFineTuning:
    def __init__(self) -> None:
        self.reset()
        self.app = Starlette(routes=[*self._data_routes("/openai"), *self._data_routes("/v1"), *self._arm_routes()])

    def reset(self) -> None:
        """Back to a fresh service: no files, no jobs, default scripts."""
        self.calls: list[Call] = []
        self.files: dict[str, FileObject] = {}
        self.contents: dict[str, bytes] = {}
        self.processing_polls = 1
        self.file_error: str | None = None
        self.create_fault: tuple[int, str] | None = None
        self.timeline: deque[JobStep] = deque()
        self.jobs: dict[str, FineTuningJob] = {}
        self.events: dict[str, list[FineTuningJobEvent]] = {}
        self.results_csv: bytes = RESULTS_CSV.encode()
        self.checkpoint_steps: list[int] = [1, 2, 3]
        # Step -> (valid_loss, full_valid_loss or None); unset steps have valid loss 1.1 / step.
        self.checkpoint_losses: dict[int, tuple[float, float | None]] = {}
        self.models: list[dict[str, Any]] = default_models()
        self.models_fault: int | None = None
        # Azure Monitor: AzureOpenAIRequests per deployment over the asked timespan.
        self.requests_metric: dict[str, float] = {}
        self.metrics_fault: int | None = None
        self.provisioning: deque[str] = deque(["Creating", "Succeeded"])
        self.provisioning_error = ("DeploymentFailed", "The model could not be deployed: quota exceeded.")
        self.put_fault: tuple[int, str, str] | None = None
        self.management_faults: deque[int] = deque()
        self.async_operation = True
        self.deployments: dict[str, dict[str, Any]] = {}
        self.account_endpoint = "https://bestdev-openai.openai.azure.com/"
        self.account_location = "swedencentral"
        # The Function App's app settings; a model's answer (from the prompt) on the data plane.
        self.app_settings: dict[str, str] = {}
        self.answers: dict[str, Callable[[str], str]] = {}
        self.chat_faults: set[str] = set()  # deployments whose data plane answers 503
        self.created_at = 1_796_000_000  # each new deployment is created an hour after the one before
        self._polls: dict[str, int] = {}

    def _data_routes(self, prefix: str) -> list[Route]:
        return [
            Route(f"{prefix}/models", self._models, methods=["GET"]),
            Route(f"{prefix}/files", self._upload, methods=["POST"]),
            Route(f"{prefix}/files/{{file_id}}", self._file, methods=["GET"]),
            Route(f"{prefix}/files/{{file_id}}/content", self._content, methods=["GET"]),
            Route(f"{prefix}/fine_tuning/jobs", self._create_job, methods=["POST"]),
            Route(f"{prefix}/fine_tuning/jobs/{{job_id}}", self._job, methods=["GET"]),
            Route(f"{prefix}/fine_tuning/jobs/{{job_id}}/events", self._events, methods=["GET"]),
            Route(f"{prefix}/fine_tuning/jobs/{{job_id}}/checkpoints", self._checkpoints, methods=["GET"]),
            Route(f"{prefix}/deployments/{{deployment}}/chat/completions", self._chat, methods=["POST"]),
        ]

    def _arm_routes(self) -> list[Route]:
        return [
            Route(ACCOUNT + "/deployments", self._list_deployments, methods=["GET"]),
            Route(ACCOUNT + "/deployments/{deployment}", self._deployment, methods=["PUT", "GET", "DELETE"]),
            Route(SITE + "/config/appsettings/list", self._list_app_settings, methods=["POST"]),
            Route(SITE + "/config/appsettings", self._put_app_settings, methods=["PUT"]),
            Route(ACCOUNT, self._account, methods=["GET"]),
            Route(ACCOUNT + "/providers/Microsoft.Insights/metrics", self._metrics, methods=["GET"]),
            Route(OPERATION, self._operation, methods=["GET"]),
        ]

    # -- scripting helpers --------------------------------------------------------------------------------------

    def script(self, *steps: JobStep) -> None:
        self.timeline.extend(steps)

    def calls_to(self, suffix: str, method: str = "GET") -> list[Call]:
        return [call for call in self.calls if call.method == method and call.path.endswith(suffix)]

    # -- data plane ---------------------------------------------------------------------------------------------

    async def _record(self, request: Request) -> Any:
        body: Any = None
        if request.method in {"POST", "PUT"}:
            if request.headers.get("content-type", "").startswith("multipart/form-data"):
                form = await request.form()
                body = dict(form.items())
            elif raw := await request.body():
                body = json.loads(raw)
        self.calls.append(
            Call(request.method, request.url.path, dict(request.query_params), dict(request.headers), body)
        )
        return body

    async def _models(self, request: Request) -> Response:
        await self._record(request)
        if self.models_fault:
            return _error(self.models_fault, "serviceUnavailable", "The service is temporarily unavailable.")
        return _json({"object": "list", "data": self.models})

    async def _upload(self, request: Request) -> Response:
        form = await self._record(request)
        upload = form["file"]
        assert isinstance(upload, UploadFile)
        content = await upload.read()
        file = FileObject(
            id=f"file-{len(self.files) + 1}",
            bytes=len(content),
            created_at=int(time.time()),
            filename=upload.filename or "upload.jsonl",
            object="file",
            purpose=form["purpose"],
            status="uploaded",
        )
        self.files[file.id] = file
        self.contents[file.id] = content
        self._polls[file.id] = 0
        return _json(file.model_dump(mode="json"), status=201)

    async def _file(self, request: Request) -> Response:
        await self._record(request)
        file_id = request.path_params["file_id"]
        if file_id not in self.files:
            return _error(404, "fileNotFound", f"File {file_id} not found.")
        self._polls[file_id] = self._polls.get(file_id, 0) + 1
        file = self.files[file_id]
        if file.status == "uploaded" and self._polls[file_id] >= self.processing_polls:
            if self.file_error:
                file = file.model_copy(update={"status": "error", "status_details": self.file_error})
            else:
                file = file.model_copy(update={"status": "processed"})
            self.files[file_id] = file
        return _json(file.model_dump(mode="json"))

    async def _content(self, request: Request) -> Response:
        await self._record(request)
        file_id = request.path_params["file_id"]
        if file_id not in self.contents:
            return _error(404, "fileNotFound", f"File {file_id} not found.")
        return Response(self.contents[file_id], media_type="application/octet-stream")

    async def _create_job(self, request: Request) -> Response:
        body = await self._record(request)
        if self.create_fault:
            return _error(self.create_fault[0], "invalidPayload", self.create_fault[1])
        for name in ("training_file", "validation_file"):
            if self.files.get(body.get(name, ""), None) is None or self.files[body[name]].status != "processed":
                return _error(400, "invalidPayload", f"{name} {body.get(name)} is not a processed file.")
        supervised = ((body.get("method") or {}).get("supervised") or {}).get("hyperparameters") or {}
        job = FineTuningJob(
            id=f"ftjob-{len(self.jobs) + 1}",
            created_at=int(time.time()),
            hyperparameters=Hyperparameters(**{"n_epochs": "auto", **supervised}),
            model=body["model"],
            object="fine_tuning.job",
            organization_id="org-fake",
            result_files=[],
            seed=body.get("seed") or 42,
            status="validating_files",
            training_file=body["training_file"],
            validation_file=body.get("validation_file"),
        )
        self.jobs[job.id] = job
        self.events[job.id] = []
        self._add_event(job.id, "Job created.", None)
        return _json(job.model_dump(mode="json"), status=201)

    async def _job(self, request: Request) -> Response:
        await self._record(request)
        job_id = request.path_params["job_id"]
        if job_id not in self.jobs:
            return _error(404, "jobNotFound", f"Job {job_id} not found.")
        if self.timeline:
            step = self.timeline.popleft()
            if step.fault:
                return _error(step.fault, "serviceUnavailable", "The service is temporarily unavailable.")
            self._advance(job_id, step)
        return _json(self.jobs[job_id].model_dump(mode="json"))

    def _advance(self, job_id: str, step: JobStep) -> None:
        job = self.jobs[job_id]
        update: dict[str, Any] = {"status": step.status}
        for message, data in step.events:
            self._add_event(job_id, message, data)
        if step.error:
            update["error"] = Error(code=step.error[0], message=step.error[1])
            update["finished_at"] = int(time.time())
        if step.status == "succeeded":
            results = FileObject(
                id=f"file-results-{job_id}",
                bytes=len(self.results_csv),
                created_at=int(time.time()),
                filename="results.csv",
                object="file",
                purpose="fine-tune-results",
                status="processed",
            )
            self.files[results.id] = results
            self.contents[results.id] = self.results_csv
            fine_tuned = f"{job.model}.ft-{job_id.removeprefix('ftjob-')}"
            listed = {**base_model(fine_tuned, fine_tune=False), "model": job.model, "fine_tune": job_id}
            listed["deprecation"] = {"inference": FAR}
            self.models.append(listed)
            update |= {
                "fine_tuned_model": fine_tuned,
                "result_files": [results.id],
                "finished_at": int(time.time()),
                "trained_tokens": 12345,
            }
        self.jobs[job_id] = job.model_copy(update=update)

    def _add_event(self, job_id: str, message: str, data: dict[str, Any] | None) -> None:
        events = self.events[job_id]
        events.append(
            FineTuningJobEvent(
                id=f"ftevent-{job_id}-{len(events) + 1}",
                created_at=int(time.time()) + len(events),
                level="info",
                message=message,
                object="fine_tuning.job.event",
                data=data or {},
                type="metrics" if data else "message",
            )
        )

    async def _events(self, request: Request) -> Response:
        await self._record(request)
        job_id = request.path_params["job_id"]
        limit = int(request.query_params.get("limit", "20"))
        newest_first = list(reversed(self.events.get(job_id, [])))
        page = newest_first[:limit]
        return _json(
            {
                "object": "list",
                "data": [event.model_dump(mode="json") for event in page],
                "has_more": len(newest_first) > limit,
            }
        )

    async def _checkpoints(self, request: Request) -> Response:
        await self._record(request)
        job_id = request.path_params["job_id"]
        job = self.jobs[job_id]
        checkpoints = [
            FineTuningJobCheckpoint(
                id=f"ftckpt-{job_id}-{step}",
                created_at=int(time.time()),
                fine_tuned_model_checkpoint=f"{job.fine_tuned_model}:ckpt-step-{step}",
                fine_tuning_job_id=job_id,
                metrics=self._metrics_at(step),
                object="fine_tuning.job.checkpoint",
                step_number=step,
            )
            for step in reversed(self.checkpoint_steps)
        ]
        return _json({"object": "list", "data": [checkpoint.model_dump(mode="json") for checkpoint in checkpoints]})

    def _metrics_at(self, step: int) -> Metrics:
        valid, full = self.checkpoint_losses.get(step, (1.1 / step, None))
        return Metrics(step=step, train_loss=1.0 / step, valid_loss=valid, full_valid_loss=full)

    # -- management plane ---------------------------------------------------------------------------------------

    def _unauthorised(self, request: Request) -> Response | None:
        if not request.headers.get("authorization", "").startswith("Bearer "):
            return _error(401, "AuthenticationFailed", "Authentication failed: no bearer token.")
        if "api-version" not in request.query_params:
            return _error(400, "MissingApiVersionParameter", "The api-version query parameter is required.")
        if self.management_faults:
            return _error(self.management_faults.popleft(), "InternalServerError", "Try again later.")
        return None

    async def _deployment(self, request: Request) -> Response:
        body = await self._record(request)
        if refused := self._unauthorised(request):
            return refused
        name = request.path_params["deployment"]
        resource_id = request.url.path
        if request.method == "PUT":
            if self.put_fault:
                status, code, message = self.put_fault
                return _error(status, code, message)
            created = name not in self.deployments
            if (
                not created
                and self.deployments[name]["properties"]["model"]["name"] != body["properties"]["model"]["name"]
            ):
                return _error(400, "CannotChangeDeploymentModel", "The model of deployment cannot be changed.")
            if created:
                self.created_at += 3600
            when = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(self.created_at))
            system = self.deployments[name]["systemData"] if not created else {"createdAt": when}
            self.deployments[name] = {
                "id": resource_id,
                "name": name,
                "type": "Microsoft.CognitiveServices/accounts/deployments",
                "sku": body["sku"],
                "systemData": system,
                "properties": {**body["properties"], "provisioningState": "Accepted"},
            }
            headers = {}
            if self.async_operation:
                operation = OPERATION.format(
                    subscription=request.path_params["subscription"], location="swedencentral", op=f"op-{name}"
                )
                headers["Azure-AsyncOperation"] = f"{request.base_url}{operation.lstrip('/')}?api-version=2024-10-01"
            return _json(self.deployments[name], status=201 if created else 200, headers=headers)
        if name not in self.deployments:
            return _error(404, "DeploymentNotFound", f"Deployment {name} not found.")
        if request.method == "DELETE":
            del self.deployments[name]
            return Response(status_code=200)
        if not self.async_operation:
            self._provision(name)
        return _json(self.deployments[name])

    async def _list_deployments(self, request: Request) -> Response:
        await self._record(request)
        if refused := self._unauthorised(request):
            return refused
        return _json({"value": list(self.deployments.values())})

    async def _list_app_settings(self, request: Request) -> Response:
        await self._record(request)
        if refused := self._unauthorised(request):
            return refused
        return _json({"name": "appsettings", "properties": dict(self.app_settings)})

    async def _put_app_settings(self, request: Request) -> Response:
        body = await self._record(request)
        if refused := self._unauthorised(request):
            return refused
        self.app_settings = {str(name): str(value) for name, value in body["properties"].items()}
        return _json({"name": "appsettings", "properties": dict(self.app_settings)})

    async def _chat(self, request: Request) -> Response:
        body = await self._record(request)
        deployment = self.deployments.get(request.path_params["deployment"])
        if deployment is None or deployment["properties"].get("provisioningState") != "Succeeded":
            name = request.path_params["deployment"]
            return _error(404, "DeploymentNotFound", f"The API deployment for this resource does not exist: {name}")
        if request.path_params["deployment"] in self.chat_faults:
            return _error(503, "ServiceUnavailable", "The service is temporarily unavailable.")
        model = deployment["properties"]["model"]["name"]
        answer = self.answers.get(model, lambda prompt: template.completion(None, template.no_match_reason()))
        prompt = str(body["messages"][-1]["content"])
        return _json(
            {
                "id": "chatcmpl-fake",
                "object": "chat.completion",
                "created": int(time.time()),
                "model": model,
                "choices": [
                    {
                        "index": 0,
                        "finish_reason": "stop",
                        "message": {"role": "assistant", "content": answer(prompt).split(template.STOP)[0]},
                    }
                ],
            }
        )

    def _provision(self, name: str) -> str:
        state = self.provisioning.popleft() if len(self.provisioning) > 1 else self.provisioning[0]
        self.deployments[name]["properties"]["provisioningState"] = state
        return state

    async def _operation(self, request: Request) -> Response:
        await self._record(request)
        if refused := self._unauthorised(request):
            return refused
        name = request.path_params["op"].removeprefix("op-")
        state = self._provision(name)
        status = {"Creating": "InProgress", "Accepted": "InProgress"}.get(state, state)
        body: dict[str, Any] = {"id": request.url.path, "name": request.path_params["op"], "status": status}
        if status == "Failed":
            body["error"] = {"code": self.provisioning_error[0], "message": self.provisioning_error[1]}
        return _json(body)

    async def _account(self, request: Request) -> Response:
        await self._record(request)
        if refused := self._unauthorised(request):
            return refused
        return _json(
            {
                "id": request.url.path,
                "name": request.path_params["account"],
                "kind": "OpenAI",
                "location": self.account_location,
                "properties": {"endpoint": self.account_endpoint, "provisioningState": "Succeeded"},
            }
        )

    async def _metrics(self, request: Request) -> Response:
        await self._record(request)
        if refused := self._unauthorised(request):
            return refused
        if self.metrics_fault:
            return _error(self.metrics_fault, "Forbidden", "The client does not have authorization to read metrics.")
        query = request.query_params
        deployment = query.get("$filter", "").partition("ModelDeploymentName eq '")[2].rstrip("'")
        total = self.requests_metric.get(deployment, 0.0)
        data = [{"timeStamp": "2026-12-01T00:00:00Z", "total": total}] if total else []
        series = [{"metadatavalues": [{"name": {"value": "modeldeploymentname"}, "value": deployment}], "data": data}]
        return _json(
            {
                "timespan": query.get("timespan"),
                "interval": query.get("interval"),
                "value": [
                    {
                        "name": {"value": query.get("metricnames")},
                        "unit": "Count",
                        "timeseries": series if total else [],
                    }
                ],
            }
        )


def _json(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(body, status_code=status, headers=headers)


def _error(status: int, code: str, message: str) -> JSONResponse:
    return JSONResponse({"error": {"code": code, "message": message}}, status_code=status)
