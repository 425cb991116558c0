"""Errors that core raises for the pages to show. Each carries a message key of content/ui and its parameters, so the
page shows it in the user's language; the English `str()` is for logs and tests only."""

from __future__ import annotations

from typing import Any


class AppError(Exception):
    """An expected problem with a message for the user."""

    def __init__(self, key: str, field: str | None = None, **params: Any) -> None:
        super().__init__(f'{key}{f" ({field})" if field else ""}{f" {params}" if params else ""}')
        self.key = key
        self.field = field
        self.params = params


class ValidationError(AppError):
    """Input that breaks a rule: too long, missing, off the scale, unknown id..."""


class PermissionDenied(AppError):
    """The actor's role does not allow the action."""

    def __init__(self, key: str = 'error.permission', **params: Any) -> None:
        super().__init__(key, **params)


class NotFound(AppError):
    """The thing does not exist or the actor may not know that it does."""

    def __init__(self, key: str = 'error.missing', **params: Any) -> None:
        super().__init__(key, **params)


class AuthError(AppError):
    """Login refused: wrong credentials, or too many attempts (`retry_after` seconds)."""

    def __init__(self, key: str, retry_after: int = 0) -> None:
        super().__init__(key, minutes=max(1, (retry_after + 59) // 60) if retry_after else 0)
        self.retry_after = retry_after
