"""Declared shapes of stored records, checked field by field: what an imported export file must hold, and what an
export may carry.

A table of a community's file declares one `Record` per document. `Record.load` checks a document from outside
(every field's type, length, range and form; unknown fields refused) and returns what may be stored; `Record.dump`
returns what an export may carry. A field declared `export=False` never leaves the server and never comes in: an
export leaves it out and an import drops it, or stores its `default` (a value, or a function making one). A
`SchemaError` says what is wrong and where (`blocks[2].title`), for a message in the user's language.

Standard library only: the shapes are small and fixed, and every message must be our own.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

MISSING: Any = object()
# C0 control characters other than tab and line breaks: nothing the toolbox stores ever holds them
_CONTROL = re.compile(r'[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]')
_DAY = re.compile(r'^\d{4}-\d{2}-\d{2}$')


class SchemaError(Exception):
    """`reason`: type, missing, unknown, too_long, too_many, range, choice, format, control or duplicate."""

    def __init__(self, reason: str, path: tuple[str | int, ...] = (), **params: Any) -> None:
        super().__init__(f'{reason} at {where(path) or "(record)"} {params or ""}'.strip())
        self.reason = reason
        self.path = path
        self.params = params

    def inside(self, step: str | int) -> SchemaError:
        return SchemaError(self.reason, (step, *self.path), **self.params)


def where(path: Iterable[str | int]) -> str:
    """A path as people read it: blocks[2].title (positions counted from 1)."""
    out = ''
    for step in path:
        out += f'[{step + 1}]' if isinstance(step, int) else (f'.{step}' if out else str(step))
    return out


class Schema:
    def load(self, value: Any) -> Any:
        """The value checked (SchemaError otherwise), as it may be stored."""
        raise NotImplementedError

    def dump(self, value: Any) -> Any:
        """The stored value as an export may carry it."""
        return value


def _type(ok: bool) -> None:
    if not ok:
        raise SchemaError('type')


@dataclass(frozen=True)
class Str(Schema):
    max: int
    min: int = 0
    pattern: str | None = None

    def load(self, value: Any) -> str:
        _type(isinstance(value, str))
        if len(value) > self.max:
            raise SchemaError('too_long', max=self.max)
        if len(value) < self.min:
            raise SchemaError('missing')
        if _CONTROL.search(value):
            raise SchemaError('control')
        if self.pattern is not None and not re.fullmatch(self.pattern, value):
            raise SchemaError('format')
        return value


@dataclass(frozen=True)
class Int(Schema):
    min: int
    max: int

    def load(self, value: Any) -> int:
        _type(isinstance(value, int) and not isinstance(value, bool))
        if not self.min <= value <= self.max:
            raise SchemaError('range', max=self.max)
        return value


@dataclass(frozen=True)
class Num(Schema):
    min: float
    max: float

    def load(self, value: Any) -> float:
        _type(isinstance(value, int | float) and not isinstance(value, bool))
        if not math.isfinite(value) or not self.min <= value <= self.max:
            raise SchemaError('range', max=self.max)
        return value


class Bool(Schema):
    def load(self, value: Any) -> bool:
        _type(isinstance(value, bool))
        return value


@dataclass(frozen=True)
class Day(Schema):
    """A day as stored everywhere: YYYY-MM-DD; `blank`: '' allowed too."""

    blank: bool = False

    def load(self, value: Any) -> str:
        _type(isinstance(value, str))
        if value == '' and self.blank:
            return value
        try:
            if not _DAY.match(value) or date.fromisoformat(value).isoformat() != value:
                raise SchemaError('format')
        except ValueError as e:
            raise SchemaError('format') from e
        return value


@dataclass(frozen=True)
class Stamp(Schema):
    """A moment in ISO 8601 (2026-03-01T09:30:00+00:00), or a day; `blank`: '' allowed too."""

    blank: bool = False

    def load(self, value: Any) -> str:
        _type(isinstance(value, str))
        if value == '' and self.blank:
            return value
        if len(value) > 40:
            raise SchemaError('format')
        try:
            datetime.fromisoformat(value)
        except ValueError as e:
            raise SchemaError('format') from e
        return value


class Choice(Schema):
    def __init__(self, *values: Any) -> None:
        self.values = values

    def load(self, value: Any) -> Any:
        if isinstance(value, bool) or not any(value == v and type(value) is type(v) for v in self.values):
            raise SchemaError('choice')
        return value


@dataclass(frozen=True)
class Nullable(Schema):
    inner: Schema

    def load(self, value: Any) -> Any:
        return None if value is None else self.inner.load(value)

    def dump(self, value: Any) -> Any:
        return None if value is None else self.inner.dump(value)


class OneOf(Schema):
    """The first of several shapes that fits (an answer: a number, a text or a list of option ids)."""

    def __init__(self, *options: Schema) -> None:
        self.options = options

    def load(self, value: Any) -> Any:
        first: SchemaError | None = None
        for option in self.options:
            try:
                return option.load(value)
            except SchemaError as e:
                first = first or e
        raise first or SchemaError('type')


@dataclass(frozen=True)
class ListOf(Schema):
    item: Schema
    max: int

    def load(self, value: Any) -> list[Any]:
        _type(isinstance(value, list))
        if len(value) > self.max:
            raise SchemaError('too_many', max=self.max)
        out = []
        for i, item in enumerate(value):
            try:
                out.append(self.item.load(item))
            except SchemaError as e:
                raise e.inside(i) from None
        return out

    def dump(self, value: Any) -> list[Any]:
        return [self.item.dump(v) for v in value]


@dataclass(frozen=True)
class MapOf(Schema):
    """An object whose keys are data (cell keys, item ids, role ids), each key and value checked."""

    key: Str
    value: Schema
    max: int

    def load(self, value: Any) -> dict[str, Any]:
        _type(isinstance(value, dict))
        if len(value) > self.max:
            raise SchemaError('too_many', max=self.max)
        out = {}
        for k, v in value.items():
            try:
                self.key.load(k)
            except SchemaError as e:
                raise SchemaError(e.reason, (str(k)[:40],), **e.params) from None
            try:
                out[k] = self.value.load(v)
            except SchemaError as e:
                raise e.inside(k) from None
        return out

    def dump(self, value: Any) -> dict[str, Any]:
        return {k: self.value.dump(v) for k, v in value.items()}


@dataclass(frozen=True)
class Field:
    schema: Schema
    required: bool = True
    export: bool = True  # False: never in an export; an import drops it, or stores `default`
    default: Any = MISSING  # a value, or a function of no argument making one (a fresh token)

    def fallback(self) -> Any:
        return self.default() if callable(self.default) else self.default


def optional(schema: Schema, default: Any = MISSING) -> Field:
    return Field(schema, required=False, default=default)


def private(schema: Schema, default: Any = MISSING) -> Field:
    """A field that stays on this server: user ids, receipt hashes, link tokens."""
    return Field(schema, required=False, export=False, default=default)


class Record(Schema):
    """An object with named fields; a field it does not declare is refused."""

    def __init__(self, fields: dict[str, Field | Schema]) -> None:
        self.fields = {name: f if isinstance(f, Field) else Field(f) for name, f in fields.items()}

    def load(self, value: Any) -> dict[str, Any]:
        _type(isinstance(value, dict))
        for name in value:
            if name not in self.fields:
                raise SchemaError('unknown', (str(name)[:40],))
        out = {}
        for name, field in self.fields.items():
            if name not in value:
                if field.required:
                    raise SchemaError('missing', (name,))
                if field.default is not MISSING:
                    out[name] = field.fallback()
                continue
            try:
                loaded = field.schema.load(value[name])
            except SchemaError as e:
                raise e.inside(name) from None
            if field.export:
                out[name] = loaded
            elif field.default is not MISSING:
                out[name] = field.fallback()
        return out

    def dump(self, value: Any) -> dict[str, Any]:
        return {
            name: field.schema.dump(value[name])
            for name, field in self.fields.items()
            if field.export and name in value
        }

    def undeclared(self, value: dict[str, Any]) -> set[str]:
        """Fields a stored document holds that this record does not declare (a test keeps this empty)."""
        return set(value) - set(self.fields)


def unique(docs: list[dict[str, Any]], key: str) -> None:
    """SchemaError('duplicate') at the first document repeating another's `key`."""
    seen = set()
    for i, doc in enumerate(docs):
        value = doc.get(key)
        if value in seen:
            raise SchemaError('duplicate', (i, key))
        seen.add(value)


Check = Callable[[list[dict[str, Any]]], None]
