"""The benchmark floor: a dynamic resource that makes no API call, through the same engine path.

``Floor`` costs what Pulumi itself costs for one Python dynamic resource (the engine, the
Automation API program, the dynamic-provider server, pickling and state), and nothing else: its
id is a fresh UUID, its outputs are its inputs, ``read`` returns what the state holds. The
benchmark deploys the workload's graph of these (same names, inputs and dependencies) to get the
floor F(N) against which our resources are measured. The engine smoke tests use it too.

``FloorLifecycle`` is a plain ``ResourceProvider``, not the product's base class, so nothing of
the package's configuration or HTTP client is loaded for the floor. Its instances carry no
attributes, so Pulumi pickles it *by reference* (module ``benchmarks.floor`` + class name, a few
dozen bytes per resource, like our lifecycles): the dynamic-provider process must be able to
import ``benchmarks.floor``. It can because that process runs with the driving process's working
directory, the repository root, first on ``sys.path`` (``python -m pulumi.dynamic``);
``benchmarks/run.py`` changes into the repository root for that reason, and
``tests/e2e/test_engine_smoke.py`` asserts the provider's working directory.
"""

from __future__ import annotations

import uuid
from typing import Any

import pulumi
from pulumi.dynamic import (
    CheckResult,
    CreateResult,
    DiffResult,
    ReadResult,
    Resource,
    ResourceProvider,
    UpdateResult,
)

#: Input key under which Pulumi passes the pickled provider; not a user input.
_PROVIDER_KEY = "__provider"


def _user_props(props: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in props.items() if k != _PROVIDER_KEY}


class FloorLifecycle(ResourceProvider):
    """No side effects: create returns the inputs, diff compares inputs, delete does nothing."""

    # The blob names this class and nothing else: there is no secret in it to hide.
    serialize_as_secret_always = False

    def check(self, _olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        """Accept any inputs unchanged."""
        return CheckResult(_user_props(news), [])

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        """A change when any user input differs; never a replacement."""
        changed = _user_props(olds) != _user_props(news)
        return DiffResult(changes=changed, replaces=[], delete_before_replace=False)

    def create(self, props: dict[str, Any]) -> CreateResult:
        """A fresh UUID as id; outputs equal inputs."""
        return CreateResult(str(uuid.uuid4()), _user_props(props))

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        """Nothing to read: the state is the truth."""
        return ReadResult(id_, _user_props(props))

    def update(self, _id: str, _olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        """Outputs become the new inputs."""
        return UpdateResult(_user_props(news))

    def delete(self, _id: str, _props: dict[str, Any]) -> None:
        """Nothing to delete."""
        return None


class Floor(Resource, module="bench", name="Floor"):
    """A resource that does nothing; its outputs (attributes) equal its inputs.

    Args:
        name: resource name.
        props: inputs (plain values or Outputs, secrets included), echoed as outputs.
        opts: resource options.
    """

    def __init__(
        self,
        name: str,
        props: dict[str, Any] | None = None,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__(FloorLifecycle(), name, dict(props or {}), opts)
