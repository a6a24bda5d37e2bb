"""The terminal display of `finetune watch` (rich): one status line that updates, and the service's messages."""

from __future__ import annotations

from types import TracebackType

from rich.console import Console
from rich.status import Status

from bestdev.finetune.progress import Progress


class RichDisplay:
    """A live status line (step, losses, queue, elapsed) above the job's event messages."""

    def __init__(self, console: Console | None = None) -> None:
        self.console = console or Console()
        self._status: Status | None = None
        self._last = ""

    def __enter__(self) -> RichDisplay:
        self._status = self.console.status("waiting for the job ...")
        self._status.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, traceback: TracebackType | None
    ) -> None:
        if self._status is not None:
            self._status.stop()

    def show(self, progress: Progress) -> None:
        """Updates the live line in a terminal; elsewhere (logs, CI) prints a line only when something changed."""
        line = describe(progress)
        if self._status is not None and self.console.is_terminal:
            self._status.update(line)
            return
        news = line.rsplit(" | elapsed ", 1)[0]
        if news != self._last:
            self._last = news
            self.console.print(line, highlight=False, markup=False)

    def note(self, message: str) -> None:
        self.console.print(f"  {message}", highlight=False, markup=False)


def describe(progress: Progress) -> str:
    """One line: status, step or epoch, latest losses, queue position, elapsed time."""
    parts = [f"{progress.job_id} {progress.status}"]
    if progress.step is not None:
        parts.append(f"step {progress.step}" + (f"/{progress.total_steps}" if progress.total_steps else ""))
    if progress.epoch is not None:
        parts.append(f"epoch {progress.epoch}" + (f"/{progress.total_epochs}" if progress.total_epochs else ""))
    if progress.train_loss is not None:
        parts.append(f"train loss {progress.train_loss:.4f}")
    if progress.valid_loss is not None:
        parts.append(f"valid loss {progress.valid_loss:.4f}")
    if progress.queue_position is not None:
        parts.append(f"queue position {progress.queue_position}")
    minutes, seconds = divmod(int(progress.elapsed_seconds), 60)
    parts.append(f"elapsed {minutes // 60:d}:{minutes % 60:02d}:{seconds:02d}")
    return " | ".join(parts)
