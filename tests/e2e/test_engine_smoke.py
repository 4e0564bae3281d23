"""Smoke tests of the engine set-up itself, with the no-op dynamic resource from the package.

They prove the plumbing every other engine test relies on: the stamped CLI, our dynamic-provider
launcher, the isolated file backend, secrets encrypted in state, and stack config reaching
`configure()` in the provider process.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pulumi

from cartesia_pulumi.resources.noop import ConfigProbe, Noop
from tests.e2e.harness import Engine, op_counts

SECRET = "smoke-secret-4b1f9c2e"  # a value that must never appear in plaintext in state


def _version_from_go_mod() -> str:
    go_mod = Path(__file__).resolve().parents[2] / "tools" / "pulumi-cli" / "go.mod"
    for line in go_mod.read_text().splitlines():
        parts = line.split()
        if len(parts) >= 2 and parts[0] == "github.com/pulumi/pulumi/pkg/v3":
            return parts[1]
    raise AssertionError("pkg/v3 is not pinned in tools/pulumi-cli/go.mod")


def test_version_is_stamped(pulumi_bin: Path) -> None:
    out = subprocess.run(
        [str(pulumi_bin / "pulumi"), "version"], check=True, capture_output=True, text=True
    ).stdout.strip()
    assert out == _version_from_go_mod()


def _program() -> None:
    a = Noop("a", {"label": "first"})
    b = Noop("b", {"after": a.id, "token": pulumi.Output.secret(SECRET)})
    pulumi.export("a_label", a.label)  # type: ignore[attr-defined]
    pulumi.export("b_token", b.token)  # type: ignore[attr-defined]


def test_lifecycle_up_preview_refresh_destroy(engine: Engine) -> None:
    stack = engine.stack(_program)

    up = stack.up()
    assert op_counts(up.summary.resource_changes).get("create") == 3  # stack + a + b
    stack.assert_no_changes()
    stack.assert_no_drift()
    refresh = stack.refresh()
    assert set(op_counts(refresh.summary.resource_changes)) <= {"same"}

    # A real edit is seen as exactly one in-place update.
    def edited() -> None:
        a = Noop("a", {"label": "second"})
        b = Noop("b", {"after": a.id, "token": pulumi.Output.secret(SECRET)})
        pulumi.export("a_label", a.label)  # type: ignore[attr-defined]
        pulumi.export("b_token", b.token)  # type: ignore[attr-defined]

    stack.set_program(edited)
    counts = op_counts(stack.up().summary.resource_changes)
    assert counts.get("update") == 1 and "replace" not in counts

    destroy = stack.destroy()
    assert op_counts(destroy.summary.resource_changes).get("delete") == 3
    assert stack.resources() == []
    # Plugins are found next to the real binary, not on $PATH (no warning noise).
    assert "from $PATH" not in stack.output_text()
    assert "Updating" in stack.output_text() or "Destroying" in stack.output_text()


def test_secret_input_is_secret_output_and_encrypted_in_state(engine: Engine) -> None:
    stack = engine.stack(_program)
    stack.up()

    outputs = stack.stack.outputs()
    assert outputs["b_token"].secret is True
    assert outputs["b_token"].value == SECRET
    assert outputs["a_label"].secret is False

    # The state file, its history and backups, and the CLI logs hold only ciphertext.
    text = stack.backend_text()
    assert "first" in text  # sanity: we are reading the real state files
    assert SECRET not in text


def test_configure_sees_cartesia_config(engine: Engine) -> None:
    def program() -> None:
        probe = ConfigProbe("probe")
        pulumi.export("seen", probe.seen_config_keys)

    stack = engine.stack(
        program,
        config={"cartesia:baseUrl": "http://127.0.0.1:9"},
        secrets={"cartesia:apiKey": "sk_car_smoke_only"},
    )
    stack.up()
    seen = stack.outputs()["seen"]
    assert "cartesia:apiKey" in seen
    assert "cartesia:baseUrl" in seen
    assert "sk_car_smoke_only" not in stack.backend_text()
