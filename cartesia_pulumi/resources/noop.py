"""A dynamic resource that makes no API calls: the floor for engine smoke tests and benchmarks.

``Noop`` creates nothing: its id is a fresh UUID and its outputs are its inputs. ``ConfigProbe``
is the same, plus an output ``seen_config_keys`` listing the names (never the values) of the
``cartesia:*`` stack-config keys its provider process received in ``configure()``.
"""

from __future__ import annotations

import uuid
from typing import Any

import pulumi
from pulumi.dynamic import (
    CheckFailure,
    CheckResult,
    CreateResult,
    DiffResult,
    Resource,
    UpdateResult,
)

from cartesia_pulumi.resources._base import LifecycleBase, seen_config_keys

_PROVIDER_KEY = "__provider"


def _strip(props: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in props.items() if k != _PROVIDER_KEY}


class NoopLifecycle(LifecycleBase):
    """Lifecycle with no side effects; diff compares inputs (minus ``__provider``)."""

    def check(self, _olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        failures: list[CheckFailure] = []
        return CheckResult(_strip(news), failures)

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        old = {k: v for k, v in _strip(olds).items() if k != "seen_config_keys"}
        new = {k: v for k, v in _strip(news).items() if k != "seen_config_keys"}
        changed = old != new
        return DiffResult(changes=changed, replaces=[], delete_before_replace=False)

    def create(self, props: dict[str, Any]) -> CreateResult:
        return CreateResult(str(uuid.uuid4()), self._outs(props))

    def update(self, _id: str, _olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        return UpdateResult(self._outs(news))

    def delete(self, _id: str, _props: dict[str, Any]) -> None:
        return None

    def _outs(self, props: dict[str, Any]) -> dict[str, Any]:
        return _strip(props)


class ConfigProbeLifecycle(NoopLifecycle):
    """Like `NoopLifecycle`, and reports which ``cartesia:*`` config keys configure() saw."""

    def _outs(self, props: dict[str, Any]) -> dict[str, Any]:
        outs = _strip(props)
        outs["seen_config_keys"] = list(seen_config_keys())
        return outs


class Noop(Resource, module="cartesia", name="Noop"):
    """A resource that does nothing; outputs equal inputs. For smoke tests and benchmarks."""

    def __init__(
        self,
        name: str,
        props: dict[str, Any] | None = None,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__(NoopLifecycle(), name, dict(props or {}), opts)


class ConfigProbe(Resource, module="cartesia", name="ConfigProbe"):
    """A no-op resource whose output ``seen_config_keys`` lists the ``cartesia:*`` config key
    names its provider process received (values are never recorded)."""

    seen_config_keys: pulumi.Output[list[str]]
    """Sorted names of the ``cartesia:*`` stack-config keys seen by ``configure()``."""

    def __init__(
        self,
        name: str,
        props: dict[str, Any] | None = None,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        inputs = dict(props or {})
        inputs.setdefault("seen_config_keys", None)
        super().__init__(ConfigProbeLifecycle(), name, inputs, opts)
