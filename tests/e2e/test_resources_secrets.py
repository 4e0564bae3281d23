"""Secrets under the engine: the Twilio secret and the Cartesia API key never reach disk in
plaintext, and ``api_key_secret`` is a secret in state inputs and outputs."""

from __future__ import annotations

import json
from typing import Any

from cartesia_pulumi.emulator.testing import RunningEmulator
from tests.e2e.harness import (
    DEMO_API_KEY,
    CartesiaStackConfig,
    Engine,
    EngineStack,
    cartesia_resources,
    changes_only,
    op_counts,
    plugin_env,
    state_key,
)
from tests.e2e.programs import (
    US1_KEY,
    US1_KEY_2,
    US1_SECRET,
    US1_SECRET_2,
    both_adapters,
    providers_in,
    quickstart,
    sha256_hex,
)

#: How the engine marks an encrypted secret value in an exported deployment.
SECRET_SIG = "4dabf18193072939515e22adb298388d"


def _is_secret(value: Any, *, encrypted: bool = False) -> bool:
    """A secret value of a deployment; on disk it must also be encrypted."""
    if not (isinstance(value, dict) and SECRET_SIG in value):
        return False
    return "ciphertext" in value if encrypted else True


def _provider_on_disk(stack: EngineStack) -> dict[str, Any]:
    """The TwilioProvider of the stack's checkpoint file as written by the file backend."""
    (path,) = (stack.root / "backend" / ".pulumi" / "stacks").rglob("test.json")
    checkpoint = json.loads(path.read_text())["checkpoint"]
    (res,) = [r for r in checkpoint["latest"]["resources"] if r["type"].endswith("TwilioProvider")]
    return dict(res)


@both_adapters
def test_state_after_rotation_refresh_and_noop_up_has_no_plaintext_secrets(
    adapter: str, emulator: RunningEmulator, cartesia: CartesiaStackConfig, engine: Engine
) -> None:
    control = emulator.control
    graph = quickstart(["+14155550100"])
    stack = engine.stack(graph.program(adapter), env=plugin_env(adapter), **cartesia.kwargs())
    stack.up()
    stack.set_program(
        graph.with_provider(api_key_sid=US1_KEY_2, api_key_secret=US1_SECRET_2).program(adapter)
    )
    rotated = stack.up()
    assert changes_only(rotated.summary.resource_changes) == {"update": 1}, rotated.stdout
    refresh = stack.refresh()
    assert set(op_counts(refresh.summary.resource_changes)) <= {"same"}, refresh.stdout
    noop = stack.up()
    assert changes_only(noop.summary.resource_changes) == {}, noop.stdout
    (provider,) = providers_in(control)
    assert provider["api_key_secret_sha256"] == sha256_hex(US1_SECRET_2)

    text = stack.backend_text()
    # Sanity: these are the real state files, holding the (non-secret) key SIDs.
    assert US1_KEY_2 in text and US1_KEY in text  # the old one lives on in history/backups
    for secret in (US1_SECRET, US1_SECRET_2, DEMO_API_KEY):
        assert secret not in text, f"{secret!r} is in plaintext in the backend or PULUMI_HOME"
        assert secret not in stack.output_text(), f"{secret!r} was printed by the engine"

    # Marked secret in inputs and outputs (the Automation API exports with --show-secrets) ...
    (state,) = cartesia_resources(stack, "TwilioProvider")
    assert _is_secret(state["inputs"]["api_key_secret"]), state["inputs"]
    assert _is_secret(state["outputs"]["api_key_secret"]), state["outputs"]
    # ... and encrypted in the checkpoint file itself.
    on_disk = _provider_on_disk(stack)
    key = state_key(adapter, "api_key_secret")
    assert _is_secret(on_disk["inputs"][key], encrypted=True), on_disk["inputs"]
    assert _is_secret(on_disk["outputs"][key], encrypted=True), on_disk["outputs"]
    assert state["outputs"]["api_key_sid"] == US1_KEY_2  # not a secret: stays readable
    if adapter == "dynamic":
        assert "api_key_secret" in state.get("additionalSecretOutputs", []), state
        # The pickled lifecycle carries nothing secret (and is not needlessly encrypted).
        assert not _is_secret(state["outputs"]["__provider"])
        assert "apiKey" not in state["outputs"]["__provider"]
    else:
        # The plugin marks the secret itself (schema `secret: true`); nothing else is secret.
        secret_outputs = [k for k, v in state["outputs"].items() if _is_secret(v)]
        assert secret_outputs == ["api_key_secret"], state["outputs"]
