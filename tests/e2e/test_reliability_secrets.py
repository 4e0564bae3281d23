"""Issue 6 item 9: no plaintext secret anywhere after a full lifecycle with key rotation.

up (key c001) -> rotate to c002 -> refresh -> up -> destroy, with the rotation `up` run at
the highest log verbosity, flowing logs to the plugins and to stderr. Then the exact secret
strings (both Twilio secrets and the Cartesia API key) must not appear in the state file, its
history and backups, PULUMI_HOME (logs), nor in anything the engine or the provider printed.
"""

from __future__ import annotations

from pathlib import Path

from cartesia_pulumi.emulator.testing import RunningEmulator
from tests.e2e.harness import DEMO_API_KEY, CartesiaStackConfig, Engine, changes_only
from tests.e2e.reliability_support import (
    KEY_SECRET_1,
    KEY_SECRET_2,
    KEY_SID_2,
    fleet_program,
    org_state,
    seed_numbers,
)

SECRETS = (KEY_SECRET_1, KEY_SECRET_2, DEMO_API_KEY)


def _files_text(root: Path) -> tuple[str, list[str]]:
    names, chunks = [], []
    for path in sorted(root.rglob("*")):
        if path.is_file():
            names.append(str(path.relative_to(root)))
            chunks.append(path.read_bytes().decode("utf-8", "replace"))
    return "\n".join(chunks), names


def test_lifecycle_rotation_leaves_no_plaintext_secret(
    emulator: RunningEmulator, cartesia: CartesiaStackConfig, engine: Engine
) -> None:
    control = emulator.control
    seed_numbers(control, 2)
    logs = engine.root / "glog"  # the CLI's log files (glog writes them to $TMPDIR)
    logs.mkdir()
    stack = engine.stack(fleet_program(2), env={"TMPDIR": str(logs)}, **cartesia.kwargs())
    printed: list[str] = []

    up = stack.up()
    printed += [up.stdout, up.stderr]
    stack.set_program(fleet_program(2, key_sid=KEY_SID_2, key_secret=KEY_SECRET_2))
    rotated = stack.up(log_verbosity=11, log_flow=True, log_to_std_err=True, debug=True)
    printed += [rotated.stdout, rotated.stderr]
    assert changes_only(rotated.summary.resource_changes) == {"update": 1}
    assert org_state(control)["providers"][0]["api_key_sid"] == KEY_SID_2
    refresh = stack.refresh(log_verbosity=9, log_flow=True)  # verbose, to log files
    printed += [refresh.stdout, refresh.stderr]
    final = stack.up()
    printed += [final.stdout, final.stderr]
    assert changes_only(final.summary.resource_changes) == {}
    # What the history keeps before the stack is gone.
    history_text, history_files = _files_text(stack.root / "backend")
    destroy = stack.destroy()
    printed += [destroy.stdout, destroy.stderr]

    backend_text = stack.backend_text()
    assert any("history" in n for n in history_files), history_files  # history/backups read
    log_text, log_files = _files_text(logs)
    assert any("pulumi" in n for n in log_files) and len(log_text) > 10_000, log_files
    verbose = rotated.stderr
    assert len(verbose) > 10_000, "the verbose run is expected to log a lot to stderr"
    assert "api_key_secret" in verbose  # the logs really cover the provider's inputs
    places = {
        "state, history, backups, PULUMI_HOME": backend_text + history_text,
        "CLI and plugin log files": log_text,
        "engine output (on_output)": stack.output_text(),
        "stdout/stderr of every operation": "\n".join(printed),
        "workspace": _files_text(stack.root)[0],
    }
    for where, text in places.items():
        for secret in SECRETS:
            assert secret not in text, f"{secret!r} appears in plaintext in {where}"
