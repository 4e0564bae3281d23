"""The Pulumi dynamic-provider adapter: translates between ``pulumi.dynamic`` and `cartesia_pulumi.core`.

Each resource's lifecycle class (`TwilioProviderLifecycle`, ...) is a `DynamicLifecycle` whose
``core`` class attribute names the framework-free module holding the resource's logic. The adapter:

* turns the engine's unknowns (``pulumi.output.Unknown`` objects, or the raw sentinel string) into
  `cartesia_pulumi.core.fields.Unknown` markers on the way in and back on the way out;
* turns plain results into ``CheckResult``/``DiffResult``/``CreateResult``/``ReadResult``/
  ``UpdateResult``;
* is the error boundary: every failure leaves as one `CartesiaResourceError` whose message has been
  scrubbed of every secret this process holds, raised ``from None`` so no chained exception (which
  might quote a request) travels with it;
* makes Pulumi's dynamic-provider server report such an error as its sentence alone. The server
  sends ``traceback.format_exc()`` for every failed call (docs/pulumi-notes.md D-2), which buried
  the one useful line under ~20 lines of frames. `_report_errors_as_sentences` gives that server
  module (and only it, in the provider process only) a ``traceback`` whose ``format_exc`` returns
  the message of a `CartesiaResourceError` and the full traceback of anything else, so a bug in this
  package still arrives with its frames.

Instances are pickled into every resource's state (docs/pulumi-notes.md B-1, B-3): they carry no
attributes, so the blob is a by-reference class name with nothing secret in it.
"""

from __future__ import annotations

import sys
import traceback
from types import ModuleType
from typing import Any, ClassVar, NoReturn

from pulumi.dynamic import (
    CheckFailure,
    CheckResult,
    ConfigureRequest,
    CreateResult,
    DiffResult,
    ReadResult,
    ResourceProvider,
    UpdateResult,
)
from pulumi.output import Unknown as EngineUnknown
from pulumi.runtime.rpc import UNKNOWN as ENGINE_UNKNOWN

from cartesia_pulumi._redact import scrub
from cartesia_pulumi.config import CONFIG_KEYS
from cartesia_pulumi.core.errors import CartesiaResourceError, boundary_error
from cartesia_pulumi.core.fields import Unknown
from cartesia_pulumi.core.session import SESSION

PROVIDER_KEY = "__provider"


def from_engine(value: Any) -> Any:
    """Engine values → core values (unknowns become `Unknown` markers; ``__provider`` dropped)."""
    if isinstance(value, EngineUnknown) or (isinstance(value, str) and value == ENGINE_UNKNOWN):
        return Unknown(value)
    if isinstance(value, dict):
        return {k: from_engine(v) for k, v in value.items() if k != PROVIDER_KEY}
    if isinstance(value, list):
        return [from_engine(v) for v in value]
    return value


def to_engine(value: Any) -> Any:
    """Core values → engine values (markers become what the engine sent)."""
    if isinstance(value, Unknown):
        return value.original if value.original is not None else ENGINE_UNKNOWN
    if isinstance(value, dict):
        return {k: to_engine(v) for k, v in value.items()}
    if isinstance(value, list):
        return [to_engine(v) for v in value]
    return value


def _translated(resource: str, operation: str, exc: Exception) -> Exception:
    """The exception to raise at the boundary for ``exc`` (always scrubbed; shared with the
    plugin: `cartesia_pulumi.core.errors.boundary_error`)."""
    return boundary_error(resource, operation, exc)


class _SentenceTracebacks:
    """Stands in for the ``traceback`` module inside Pulumi's dynamic-provider server."""

    def __getattr__(self, name: str) -> Any:
        return getattr(traceback, name)

    @staticmethod
    def format_exc(*args: Any, **kwargs: Any) -> str:
        exc = sys.exc_info()[1]
        if isinstance(exc, CartesiaResourceError):
            return str(exc)
        return traceback.format_exc(*args, **kwargs)


def _report_errors_as_sentences() -> None:
    """In the dynamic-provider server process, report our errors without a traceback.

    Only acts when ``__main__`` is Pulumi's server (``python -m pulumi.dynamic``) and still uses the
    standard ``traceback`` module; anywhere else (a test, a program) it does nothing.
    """
    server = sys.modules.get("__main__")
    if (
        server is None
        or not hasattr(server, "DynamicResourceProviderServicer")
        or getattr(server, "traceback", None) is not traceback
    ):
        return
    server.traceback = _SentenceTracebacks()  # type: ignore[attr-defined]


class DynamicLifecycle(ResourceProvider):
    """Base of this package's lifecycles: stateless adapters over a `cartesia_pulumi.core` module."""

    # Instances carry no attributes, so the pickled blob is a by-reference class name with nothing
    # secret in it (tested); no need to encrypt it for every resource (docs/pulumi-notes.md B-2).
    serialize_as_secret_always = False

    core: ClassVar[ModuleType]
    resource: ClassVar[str]

    def configure(self, req: ConfigureRequest) -> None:
        # The dynamic server hands over the whole stack configuration; read our keys through the
        # public accessor (docs/pulumi-notes.md B-5).
        config = {key: req.config.get(key) for key in CONFIG_KEYS}
        SESSION.configure({k: v for k, v in config.items() if v is not None})
        _report_errors_as_sentences()

    def _fail(self, operation: str, exc: Exception) -> NoReturn:
        translated = _translated(self.resource, operation, exc)
        if translated is exc:
            raise exc
        raise translated from None

    def check(self, olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        try:
            result = self.core.check(from_engine(olds), from_engine(news))
        except Exception as exc:  # the boundary: everything leaves as one scrubbed sentence
            self._fail("check", exc)
        return CheckResult(
            to_engine(result.inputs),
            [CheckFailure(f.property, scrub(f.reason)) for f in result.failures],
        )

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        try:
            result = self.core.diff(from_engine(olds), from_engine(news))
        except Exception as exc:
            self._fail("diff", exc)
        return DiffResult(
            changes=result.changes,
            replaces=list(result.replaces),
            delete_before_replace=result.delete_before_replace,
        )

    def create(self, props: dict[str, Any]) -> CreateResult:
        try:
            result = self.core.create(from_engine(props))
        except Exception as exc:
            self._fail("create", exc)
        return CreateResult(result.id, result.outputs)

    def read(self, id: str, props: dict[str, Any]) -> ReadResult:
        try:
            result = self.core.read(id, from_engine(props))
        except Exception as exc:
            self._fail("refresh", exc)
        return ReadResult(result.id, result.outputs, inputs=result.inputs)

    def update(self, id: str, olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        try:
            outputs = self.core.update(id, from_engine(olds), from_engine(news))
        except Exception as exc:
            self._fail("update", exc)
        return UpdateResult(outputs)

    def delete(self, id: str, props: dict[str, Any]) -> None:
        try:
            self.core.delete(id, from_engine(props))
        except Exception as exc:
            self._fail("delete", exc)
