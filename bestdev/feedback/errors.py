"""The feedback errors: one branch of BestDevError, and what each outcome means to a caller."""

from __future__ import annotations

from bestdev.errors import BestDevError


class FeedbackError(BestDevError):
    """Feedback could not be taken or kept; the message is for a person and never contains a description."""


class StoreUnavailable(FeedbackError):
    """The store cannot be reached or refused the operation (HTTP 503)."""


class UnknownRequest(FeedbackError):
    """No answer with this request id, or its retention period is over (HTTP 404)."""


class DescriptionMismatch(FeedbackError):
    """The description is not the one that was answered under this request id (HTTP 409)."""


class InvalidDecision(FeedbackError):
    """The decision cannot be about this answer: a developer outside the pool, or not in the answer (HTTP 422)."""


class FeedbackFileError(FeedbackError):
    """An exported feedback file cannot be read; the message names the file and line."""
