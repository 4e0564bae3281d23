"""Smoke tests of the engine set-up itself, with the benchmark floor and the config probe.

They prove the plumbing every other engine test relies on: the stamped CLI (and the version
`cartesia_pulumi.testing` expects), our dynamic-provider launcher, the isolated file backend,
secrets encrypted in state, stack config reaching `configure()` in the provider process, and
that process running in the repository root, which the by-reference pickles of test-only
resources (`benchmarks.floor`, `tests.e2e.probe`) need.
"""

from __future__ import annotations

import base64
import subprocess
from pathlib import Path

import pulumi

from benchmarks.floor import Floor
from cartesia_pulumi.testing import PULUMI_CLI_VERSION
from tests.e2e.harness import REPO, Engine, op_counts
from tests.e2e.probe import ConfigProbe

SECRET = "smoke-secret-4b1f9c2e"  # a value that must never appear in plaintext in state


def _version_from_go_mod() -> str:
    go_mod = REPO / "tools" / "pulumi-cli" / "go.mod"
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


def test_version_testing_package_matches_go_mod_pin() -> None:
    # cartesia_pulumi.testing looks in the cache directory named after this version.
    assert _version_from_go_mod() == PULUMI_CLI_VERSION


def _program() -> None:
    a = Floor("a", {"label": "first"})
    b = Floor("b", {"after": a.id, "token": pulumi.Output.secret(SECRET)})
    pulumi.export("a_label", a.label)  # type: ignore[attr-defined]
    pulumi.export("b_token", b.token)  # type: ignore[attr-defined]


def test_lifecycle_up_preview_refresh_destroy(engine: Engine) -> None:
    stack = engine.stack(_program)

    up = stack.up()
    assert op_counts(up.summary.resource_changes).get("create") == 3  # stack + a + b
    # The floor's provider is pickled by reference: a short blob naming its module.
    (a_state,) = [r for r in stack.resources("Floor") if r["urn"].endswith("::a")]
    blob = base64.b64decode(a_state["outputs"]["__provider"])
    assert b"benchmarks.floor" in blob and len(blob) < 300
    stack.assert_no_changes()
    stack.assert_no_drift()
    refresh = stack.refresh()
    assert set(op_counts(refresh.summary.resource_changes)) <= {"same"}

    # A real edit is seen as exactly one in-place update.
    def edited() -> None:
        a = Floor("a", {"label": "second"})
        b = Floor("b", {"after": a.id, "token": pulumi.Output.secret(SECRET)})
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
        pulumi.export("cwd", probe.provider_cwd)

    stack = engine.stack(
        program,
        config={"cartesia:baseUrl": "http://127.0.0.1:9"},
        secrets={"cartesia:apiKey": "sk_car_smoke_only"},
    )
    stack.up()
    outputs = stack.outputs()
    assert outputs["seen"] == ["cartesia:apiKey", "cartesia:baseUrl"]
    assert "sk_car_smoke_only" not in stack.backend_text()
    # Test-only resources are pickled by reference and imported from the repository root.
    assert Path(outputs["cwd"]).resolve() == REPO, (
        "run pytest from the repository root: the provider process imports test-only "
        "resources from its working directory, which is pytest's"
    )
