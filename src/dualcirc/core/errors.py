"""Errors users can cause. Each carries a message they can act on; the API renders it as a
structured 4xx, pages show it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class FieldError:
    field: str | None
    message: str
    row: int | None = None

    def as_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"field": self.field, "message": self.message}
        if self.row is not None:
            d["row"] = self.row
        return d


class DomainError(Exception):
    status = 400
    code = "error"

    def __init__(self, message: str, errors: list[FieldError] | None = None) -> None:
        super().__init__(message)
        self.errors = errors or []

    def details(self) -> list[dict[str, Any]]:
        return [e.as_dict() for e in self.errors]


class InvalidInput(DomainError):
    status = 422
    code = "invalid"


class Conflict(DomainError):
    status = 409
    code = "conflict"
