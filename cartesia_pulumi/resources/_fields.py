"""Field tables: which inputs replace, which update in place, which are secret or computed.

Diffs are derived from these tables so the replace/update classification lives in one place
(pitfalls A-10). Also the small validators used by ``check``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from pulumi.dynamic import CheckFailure, DiffResult
from pulumi.output import Unknown
from pulumi.runtime.rpc import UNKNOWN

PROVIDER_KEY = "__provider"
SCHEMA_VERSION = 1

Kind = Literal["replace", "update", "output", "create_only"]

_MISSING: Any = object()


def is_unknown(value: Any) -> bool:
    """True for the preview placeholder of a value not known yet (pitfalls B-10).

    The dynamic server deserialises check/diff inputs with ``keep_unknowns=True``, which turns
    an unknown into a ``pulumi.output.Unknown`` instance; the raw sentinel string can still
    appear (e.g. ``__provider``), so accept both.
    """
    return isinstance(value, Unknown) or (isinstance(value, str) and value == UNKNOWN)


@dataclass(frozen=True)
class Field:
    """One property of a resource.

    Attributes:
        name: Input/output key.
        kind: ``replace`` (identity: a change replaces), ``update`` (in-place PATCH),
            ``output`` (computed, never diffs), ``create_only`` (an input that only matters
            at create, such as ``adopt``; never diffs).
        secret: Stored as a Pulumi secret.
        default: Value assumed when absent (also for old state that lacks the key).
    """

    name: str
    kind: Kind
    secret: bool = False
    default: Any = None


@dataclass(frozen=True)
class Schema:
    """The fields of one resource and the diff they imply."""

    fields: tuple[Field, ...]
    delete_before_replace: bool = False

    def names(self, *kinds: Kind) -> list[str]:
        return [f.name for f in self.fields if f.kind in kinds]

    @property
    def input_names(self) -> list[str]:
        return self.names("replace", "update", "create_only")

    @property
    def secret_names(self) -> list[str]:
        return [f.name for f in self.fields if f.secret]

    def default(self, name: str) -> Any:
        for f in self.fields:
            if f.name == name:
                return f.default
        return None

    def diff(self, olds: Mapping[str, Any], news: Mapping[str, Any]) -> DiffResult:
        """Explicit diff of old outputs against new (checked) inputs.

        An unknown identity field means a replace is possible; an unknown updatable field
        means an update (pitfalls B-10). ``__provider`` is never compared (B-9).
        """
        replaces: list[str] = []
        changed = False
        for f in self.fields:
            if f.kind not in ("replace", "update"):
                continue
            new = news.get(f.name, f.default)
            old = olds.get(f.name, f.default)
            if is_unknown(new) or new != old:
                changed = True
                if f.kind == "replace":
                    replaces.append(f.name)
        return DiffResult(
            changes=changed,
            replaces=replaces,
            delete_before_replace=self.delete_before_replace if replaces else False,
        )

    def inputs_from(self, outs: Mapping[str, Any]) -> dict[str, Any]:
        """Inputs rebuilt from outputs (for ``ReadResult.inputs`` after a refresh)."""
        return {name: outs.get(name, self.default(name)) for name in self.input_names}


class Invalid(Exception):
    """A validator's complaint; the message is the CheckFailure reason."""


class Checker:
    """Collects normalised inputs and one `CheckFailure` per bad field."""

    def __init__(self, resource: str, news: Mapping[str, Any]) -> None:
        self.resource = resource
        self.news = news
        self.inputs: dict[str, Any] = {}
        self.failures: list[CheckFailure] = []

    def take(
        self,
        name: str,
        validate: Callable[[str, Any], Any],
        *,
        required: bool = True,
        default: Any = _MISSING,
        hint: str = "",
    ) -> None:
        """Validate ``news[name]``: store the normalised value or record a failure."""
        value = self.news.get(name)
        if is_unknown(value):
            self.inputs[name] = value
            return
        if value is None:
            if default is not _MISSING:
                self.inputs[name] = default
                return
            if not required:
                self.inputs[name] = None
                return
            self.failures.append(
                CheckFailure(name, f"{self.resource}: {name} is required. {hint}".strip())
            )
            return
        try:
            self.inputs[name] = validate(name, value)
        except Invalid as exc:
            self.failures.append(CheckFailure(name, f"{self.resource}: {exc}"))


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def pattern(regex: str, what: str) -> Callable[[str, Any], str]:
    """Validator: a string (stripped) fully matching ``regex``."""
    compiled = re.compile(regex)

    def validate(name: str, value: Any) -> str:
        if not isinstance(value, str) or not compiled.fullmatch(value.strip()):
            raise Invalid(f"{name} must be {what}, got {_show(value)}.")
        return value.strip()

    return validate


def one_of(choices: Iterable[str], hint: str = "") -> Callable[[str, Any], str]:
    """Validator: one of ``choices`` (case-insensitive, normalised to lower case)."""
    allowed = tuple(choices)

    def validate(name: str, value: Any) -> str:
        if isinstance(value, str) and value.strip().lower() in allowed:
            return value.strip().lower()
        raise Invalid(
            f"{name} must be one of {', '.join(allowed)}, got {_show(value)}. {hint}".strip()
        )

    return validate


def non_empty_string(name: str, value: Any) -> str:
    """Validator: a non-blank string (kept as given apart from surrounding whitespace)."""
    if not isinstance(value, str) or not value.strip():
        raise Invalid(f"{name} must be a non-empty string, got {_show(value)}.")
    return value.strip()


def secret_string(name: str, value: Any) -> str:
    """Validator for secrets: a non-empty string. The value is never echoed."""
    if not isinstance(value, str) or not value:
        kind = "an empty string" if value == "" else f"a {type(value).__name__}"
        raise Invalid(f"{name} must be a non-empty string (got {kind}; value not shown).")
    return value


def boolean(name: str, value: Any) -> bool:
    """Validator: a real bool."""
    if not isinstance(value, bool):
        raise Invalid(f"{name} must be true or false, got {_show(value)}.")
    return value
