"""`ConfigProbe`: a test-only dynamic resource that reports what its provider process was given.

Its outputs say which of a fixed list of `cartesia:*` stack-config keys reached `configure()`
in the dynamic-provider process (names only, read through the public `Config.get`; values are
never recorded), and that process's working directory (the by-reference pickles of
`benchmarks.floor` and of this module rely on it being the repository root). Otherwise it does
nothing: no API call, outputs equal inputs.

The class lives in an importable module (not a test file run as `__main__`), so Pulumi pickles it
by reference and the provider process imports this module from the repository root.
"""

from __future__ import annotations

import os
import threading
import uuid
from typing import Any

import pulumi
from pulumi.dynamic import (
    CheckResult,
    ConfigureRequest,
    CreateResult,
    DiffResult,
    Resource,
    ResourceProvider,
)

#: The keys looked for. A fixed list because `Config` has no public way to enumerate keys.
PROBED_KEYS = ("cartesia:apiKey", "cartesia:apiVersion", "cartesia:baseUrl")

_LOCK = threading.Lock()
# Per provider process: configure() runs once there, create() later, possibly on another of
# the server's threads. Module state, not `self`: the instance is what gets pickled.
_SEEN: list[str] = []


def _user_props(props: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in props.items() if k != "__provider"}


class ConfigProbeLifecycle(ResourceProvider):
    """Records in `configure()` which of `PROBED_KEYS` are present; reports them on create."""

    serialize_as_secret_always = False

    def configure(self, req: ConfigureRequest) -> None:
        present = [key for key in PROBED_KEYS if req.config.get(key) is not None]
        with _LOCK:
            _SEEN[:] = present

    def check(self, _olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        return CheckResult(_user_props(news), [])

    def diff(self, _id: str, _olds: dict[str, Any], _news: dict[str, Any]) -> DiffResult:
        # The probe's outputs describe the process that created it; never worth an update.
        return DiffResult(changes=False, replaces=[], delete_before_replace=False)

    def create(self, props: dict[str, Any]) -> CreateResult:
        with _LOCK:
            seen = list(_SEEN)
        outs = {**_user_props(props), "seen_config_keys": seen, "provider_cwd": os.getcwd()}
        return CreateResult(str(uuid.uuid4()), outs)


class ConfigProbe(Resource, module="tests", name="ConfigProbe"):
    """Outputs `seen_config_keys` (sorted subset of `PROBED_KEYS`) and `provider_cwd`."""

    seen_config_keys: pulumi.Output[list[str]]
    provider_cwd: pulumi.Output[str]

    def __init__(self, name: str, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__(
            ConfigProbeLifecycle(), name, {"seen_config_keys": None, "provider_cwd": None}, opts
        )
