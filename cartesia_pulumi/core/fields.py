"""Field tables: what each input is (identity, updatable, create-only, output), its default, whether
it is secret, and how ``check`` validates it. Diffs, defaults, ``check`` and secret outputs are all
derived from one `Schema` per resource, so the replace/update classification lives in one place
(docs/pulumi-notes.md A-10).

Framework-free on purpose: results are plain dataclasses and a value unknown during preview is the
`Unknown` marker; the Pulumi adapters (`cartesia_pulumi.resources`) translate both ways.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Final, Literal

SCHEMA_VERSION: Final = 1

Kind = Literal["replace", "update", "output", "create_only"]
INPUT_KINDS: Final[tuple[Kind, ...]] = ("replace", "update", "create_only")

Validator = Callable[[str, Any], Any]


class _NoDefault:
    def __repr__(self) -> str:
        return "NO_DEFAULT"


NO_DEFAULT: Final[Any] = _NoDefault()
"""A field without a default is required."""


class Unknown:
    """A value not known yet (during preview), wrapping whatever the engine adapter received."""

    __slots__ = ("original",)

    def __init__(self, original: Any = None) -> None:
        self.original = original

    def __repr__(self) -> str:
        return "Unknown"


def is_unknown(value: Any) -> bool:
    """True for a value that is unknown during preview (docs/pulumi-notes.md B-10)."""
    return isinstance(value, Unknown)


# -- plain results -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Failure:
    """One bad input: the property and a sentence naming it and what to do."""

    property: str
    reason: str


@dataclass
class Checked:
    """``check``'s answer: normalised inputs and one `Failure` per bad field."""

    inputs: dict[str, Any]
    failures: list[Failure] = field(default_factory=list)


@dataclass(frozen=True)
class Diff:
    """``diff``'s answer, always explicit (docs/pulumi-notes.md B-9)."""

    changes: bool
    replaces: tuple[str, ...] = ()
    delete_before_replace: bool = False


@dataclass(frozen=True)
class Created:
    """``create``'s answer."""

    id: str
    outputs: dict[str, Any]


@dataclass(frozen=True)
class Refreshed:
    """``read``'s answer; an empty ``id`` means the object is gone."""

    id: str
    outputs: dict[str, Any]
    inputs: dict[str, Any] | None = None

    @classmethod
    def gone(cls) -> Refreshed:
        """The object no longer exists (404): the engine drops it from state."""
        return cls("", {})


# -- validators --------------------------------------------------------------------------------


class Invalid(Exception):
    """A validator's complaint; the message is the failure reason."""


def show(value: Any) -> str:
    """A short repr for messages (never used for secrets)."""
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def pattern(regex: str, what: str) -> Validator:
    """A string (surrounding whitespace removed) fully matching ``regex``."""
    compiled = re.compile(regex)

    def validate(name: str, value: Any) -> str:
        if not isinstance(value, str) or not compiled.fullmatch(value.strip()):
            raise Invalid(f"{name} must be {what}, got {show(value)}.")
        return value.strip()

    return validate


#: An id as the API hands them out (docs/cartesia-api.md §1.4): opaque, but never containing
#: characters that would change the request path (``/``, ``?``, ``#``, ``%``) or whitespace.
OPAQUE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}")


def opaque_id(example: str) -> Validator:
    """An API id such as ``example``: letters, digits, ``_ . : -``; nothing path-like."""

    def validate(name: str, value: Any) -> str:
        if not isinstance(value, str) or not OPAQUE_ID.fullmatch(value):
            raise Invalid(
                f"{name} must be a Cartesia id such as {example!r} (letters, digits, '_', '-'; "
                f"no '/', '?', '#', spaces), got {show(value)}."
            )
        return value

    return validate


def one_of(choices: Iterable[str], hint: str = "") -> Validator:
    """One of ``choices`` (case-insensitive, normalised to lower case)."""
    allowed = tuple(choices)

    def validate(name: str, value: Any) -> str:
        if isinstance(value, str) and value.strip().lower() in allowed:
            return value.strip().lower()
        raise Invalid(
            f"{name} must be one of {', '.join(allowed)}, got {show(value)}. {hint}".strip()
        )

    return validate


def non_empty_string(name: str, value: Any) -> str:
    """A non-blank string (kept as given apart from surrounding whitespace)."""
    if not isinstance(value, str) or not value.strip():
        raise Invalid(f"{name} must be a non-empty string, got {show(value)}.")
    return value.strip()


def secret_string(name: str, value: Any) -> str:
    """A secret: a non-empty string without surrounding whitespace. The value is never echoed.

    Whitespace is refused rather than trimmed: a secret pasted with a trailing newline is a
    different secret, and silently changing it would hide the mistake.
    """
    if not isinstance(value, str):
        raise Invalid(f"{name} must be a string (got a {type(value).__name__}; value not shown).")
    if not value.strip():
        raise Invalid(f"{name} must not be empty (value not shown).")
    if value != value.strip():
        raise Invalid(
            f"{name} has leading or trailing whitespace or a newline (value not shown); "
            "set it again without them, e.g. `pulumi config set --secret <key> -- \"$SECRET\"`."
        )
    return value


def boolean(name: str, value: Any) -> bool:
    """A real bool."""
    if not isinstance(value, bool):
        raise Invalid(f"{name} must be true or false, got {show(value)}.")
    return value


# -- the table ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Field:
    """One property of a resource.

    Attributes:
        name: Input/output key.
        kind: ``replace`` (identity: a change replaces), ``update`` (in-place PATCH), ``output``
            (computed, never diffs) or ``create_only`` (an input that matters only at create,
            such as ``adopt``; never diffs).
        validate: How ``check`` validates and normalises an input.
        default: Value assumed when absent (also for old state that lacks the key);
            `NO_DEFAULT` makes an input required.
        secret: Stored as a Pulumi secret (inputs wrapped, outputs listed as secret outputs).
        hint: Appended to the "is required" message.
    """

    name: str
    kind: Kind
    validate: Validator | None = None
    default: Any = NO_DEFAULT
    secret: bool = False
    hint: str = ""

    @property
    def is_input(self) -> bool:
        return self.kind in INPUT_KINDS

    @property
    def required(self) -> bool:
        return self.is_input and self.default is NO_DEFAULT

    def value_in(self, props: Mapping[str, Any]) -> Any:
        """``props[name]``, or the default when absent or ``None``."""
        value = props.get(self.name)
        if value is None and self.default is not NO_DEFAULT:
            return self.default
        return value


@dataclass(frozen=True)
class Schema:
    """The fields of one resource and everything derived from them."""

    resource: str
    fields: tuple[Field, ...]
    delete_before_replace: bool = False

    def names(self, *kinds: Kind) -> list[str]:
        return [f.name for f in self.fields if f.kind in kinds]

    @property
    def input_names(self) -> list[str]:
        return self.names(*INPUT_KINDS)

    @property
    def output_names(self) -> list[str]:
        return [f.name for f in self.fields]

    @property
    def secret_names(self) -> list[str]:
        return [f.name for f in self.fields if f.secret]

    def field(self, name: str) -> Field:
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(name)

    def check(self, news: Mapping[str, Any]) -> Checked:
        """Validate every input on its own; unknown values pass through untouched."""
        result = Checked(inputs={})
        for f in self.fields:
            if not f.is_input:
                continue
            value = news.get(f.name)
            if is_unknown(value):
                result.inputs[f.name] = value
                continue
            if value is None:
                if f.required:
                    result.failures.append(
                        Failure(f.name, f"{self.resource}: {f.name} is required. {f.hint}".strip())
                    )
                else:
                    result.inputs[f.name] = None if f.default is NO_DEFAULT else f.default
                continue
            if f.validate is None:
                result.inputs[f.name] = value
                continue
            try:
                result.inputs[f.name] = f.validate(f.name, value)
            except Invalid as exc:
                result.failures.append(Failure(f.name, f"{self.resource}: {exc}"))
        return result

    def diff(self, olds: Mapping[str, Any], news: Mapping[str, Any]) -> Diff:
        """Explicit diff of old outputs against new (checked) inputs.

        An unknown identity field means a replace is possible; an unknown updatable field means
        an update (docs/pulumi-notes.md B-10). ``__provider`` is never compared (B-9).
        """
        replaces: list[str] = []
        changed = False
        for f in self.fields:
            if f.kind not in ("replace", "update"):
                continue
            new, old = f.value_in(news), f.value_in(olds)
            if is_unknown(new) or new != old:
                changed = True
                if f.kind == "replace":
                    replaces.append(f.name)
        return Diff(
            changes=changed,
            replaces=tuple(replaces),
            delete_before_replace=self.delete_before_replace if replaces else False,
        )

    def changed(self, olds: Mapping[str, Any], news: Mapping[str, Any], name: str) -> bool:
        """Whether input ``name`` differs between old outputs and new inputs."""
        f = self.field(name)
        return f.value_in(news) != f.value_in(olds)

    def inputs_from(self, outs: Mapping[str, Any]) -> dict[str, Any]:
        """Inputs rebuilt from outputs (for a refresh's new inputs)."""
        return {f.name: f.value_in(outs) for f in self.fields if f.is_input}

    def blank_outputs(self) -> dict[str, Any]:
        """Every output key set to ``None``, for a resource constructor's props."""
        return {f.name: None for f in self.fields if not f.is_input}
