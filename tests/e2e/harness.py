"""Engine test harness: real `pulumi` CLI, local file backend, inline Automation API programs.

Every stack gets its own `file://` backend directory and `PULUMI_HOME` under the test's temp
directory, a fixed passphrase and the offline switches (no update check, no plugin download;
pulumi-engine.md §1.6). Programs are inline callables; the dynamic-provider process is started by
our `pulumi-resource-pulumi-python` launcher next to the CLI binary.

Helpers turn the engine's summaries into plain counts so tests can say "exactly one update,
zero replaces" and "a preview shows no changes".
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pulumi import automation as auto

REPO = Path(__file__).resolve().parents[2]
PASSPHRASE = "cartesia-pulumi-e2e-passphrase"
#: API key of the emulator's demo organisation (DEMO_SEED, docs/architecture.md §1).
DEMO_API_KEY = "sk_car_demo_key"

#: Operation kinds reported by the engine that count as "a change".
CHANGE_OPS = ("create", "update", "replace", "delete", "create-replacement", "delete-replaced")


def pulumi_bin_dir() -> Path:
    """Directory holding the `pulumi` binary: $CARTESIA_PULUMI_BIN, else the versioned cache.

    Raises a failure (never a skip) when the CLI is missing: engine tests must run in CI.
    """
    explicit = os.environ.get("CARTESIA_PULUMI_BIN")
    if explicit:
        bin_dir = Path(explicit)
    else:
        prefix = subprocess.run(
            [str(REPO / "tools" / "build-pulumi.sh"), "--prefix"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
        bin_dir = Path(prefix) / "bin"
    if not (bin_dir / "pulumi").exists():
        raise RuntimeError(
            f"the Pulumi CLI is not at {bin_dir}/pulumi; run `make setup` (or set "
            "CARTESIA_PULUMI_BIN to the directory of an installed CLI)"
        )
    return bin_dir


def engine_env(root: Path, python: str | None = None) -> dict[str, str]:
    """Environment for one isolated engine: backend and PULUMI_HOME under `root`."""
    backend = root / "backend"
    home = root / "pulumi-home"
    backend.mkdir(parents=True, exist_ok=True)
    home.mkdir(parents=True, exist_ok=True)
    return {
        "PULUMI_BACKEND_URL": backend.as_uri(),
        "PULUMI_HOME": str(home),
        "PULUMI_CONFIG_PASSPHRASE": PASSPHRASE,
        "PULUMI_SKIP_UPDATE_CHECK": "true",
        "PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION": "true",
        "PULUMI_CREDENTIAL_STORE": "plaintext",
        "PULUMI_PYTHON_CMD": python or str(REPO / ".venv" / "bin" / "python"),
    }


def op_counts(summary: Mapping[Any, int] | None) -> dict[str, int]:
    """Normalise an engine change summary ({OpType|str: n}) to {"create": n, ...}."""
    out: dict[str, int] = {}
    for op, n in (summary or {}).items():
        key = getattr(op, "value", op)
        out[str(key)] = out.get(str(key), 0) + int(n)
    return out


def changes_only(summary: Mapping[Any, int] | None) -> dict[str, int]:
    """The counts of `op_counts` without "same"/"read" entries and zeroes."""
    return {k: v for k, v in op_counts(summary).items() if k in CHANGE_OPS and v}


def assert_no_changes(preview: auto.PreviewResult) -> None:
    """A preview that would change nothing."""
    changes = changes_only(preview.change_summary)
    assert changes == {}, f"expected no changes, preview shows {changes}\n{preview.stdout}"


@dataclass(frozen=True)
class CartesiaStackConfig:
    """`cartesia:*` stack config for a test: pass as `engine.stack(prog, **cfg.kwargs())`."""

    config: dict[str, str]
    secrets: dict[str, str]

    def kwargs(self) -> dict[str, dict[str, str]]:
        return {"config": dict(self.config), "secrets": dict(self.secrets)}


@dataclass
class EngineStack:
    """One stack of an inline program on an isolated backend. Use through the `engine` fixture."""

    stack: auto.Stack
    root: Path
    env: dict[str, str]
    log: list[str] = field(default_factory=list)

    # -- operations -------------------------------------------------------------------------
    def _out(self, line: str) -> None:
        self.log.append(line)

    def up(self, **kw: Any) -> auto.UpResult:
        return self.stack.up(on_output=self._out, color="never", **kw)

    def preview(self, **kw: Any) -> auto.PreviewResult:
        return self.stack.preview(on_output=self._out, color="never", **kw)

    def refresh(self, **kw: Any) -> auto.RefreshResult:
        return self.stack.refresh(on_output=self._out, color="never", **kw)

    def preview_refresh(self, **kw: Any) -> auto.PreviewResult:
        return self.stack.preview_refresh(on_output=self._out, color="never", **kw)

    def destroy(self, **kw: Any) -> auto.DestroyResult:
        return self.stack.destroy(on_output=self._out, color="never", **kw)

    def outputs(self) -> dict[str, Any]:
        return {k: v.value for k, v in self.stack.outputs().items()}

    def set_program(self, program: Callable[[], None]) -> None:
        self.stack.workspace.program = program

    def set_config(self, key: str, value: str, *, secret: bool = False) -> None:
        self.stack.set_config(key, auto.ConfigValue(value, secret=secret))

    # -- assertions -------------------------------------------------------------------------
    def assert_no_changes(self) -> auto.PreviewResult:
        """`pulumi preview` shows no changes."""
        result = self.preview()
        assert_no_changes(result)
        return result

    def assert_no_drift(self) -> auto.PreviewResult:
        """`pulumi refresh --preview-only` finds nothing that differs from state."""
        result = self.preview_refresh()
        changes = changes_only(result.change_summary)
        assert changes == {}, f"refresh found drift: {changes}\n{result.stdout}"
        return result

    # -- state ------------------------------------------------------------------------------
    def deployment(self) -> dict[str, Any]:
        """The stack's current deployment (state), as exported by the CLI."""
        return dict(self.stack.export_stack().deployment or {})

    def resources(self, type_suffix: str | None = None) -> list[dict[str, Any]]:
        res = self.deployment().get("resources") or []
        if type_suffix:
            res = [r for r in res if str(r.get("type", "")).endswith(type_suffix)]
        return list(res)

    def backend_text(self) -> str:
        """Every file of the backend (state, history, backups) and PULUMI_HOME (logs) as text."""
        chunks = []
        for base in (self.root / "backend", self.root / "pulumi-home"):
            for path in sorted(base.rglob("*")):
                if path.is_file():
                    chunks.append(path.read_bytes().decode("utf-8", "replace"))
        return "\n".join(chunks)

    def output_text(self) -> str:
        """Everything the engine and the providers printed during this stack's operations."""
        return "\n".join(self.log)


class Engine:
    """Creates isolated stacks and always destroys and removes them at teardown."""

    def __init__(self, root: Path, bin_dir: Path) -> None:
        self.root = root
        self.bin_dir = bin_dir
        self.command = auto.PulumiCommand(root=str(bin_dir.parent))
        self._stacks: list[EngineStack] = []

    def stack(
        self,
        program: Callable[[], None],
        *,
        name: str = "test",
        project: str = "cp-e2e",
        config: Mapping[str, str] | None = None,
        secrets: Mapping[str, str] | None = None,
        env: Mapping[str, str] | None = None,
    ) -> EngineStack:
        """A new stack with its own backend; `config`/`secrets` are stack config values."""
        root = self.root / f"{project}-{name}-{len(self._stacks)}"
        envs = engine_env(root)
        envs.update(env or {})
        opts = auto.LocalWorkspaceOptions(
            pulumi_command=self.command,
            env_vars=envs,
            project_settings=auto.ProjectSettings(name=project, runtime="python"),
        )
        stack = auto.create_or_select_stack(name, project_name=project, program=program, opts=opts)
        values = {k: auto.ConfigValue(v) for k, v in (config or {}).items()}
        values.update({k: auto.ConfigValue(v, secret=True) for k, v in (secrets or {}).items()})
        if values:
            stack.set_all_config(values)
        handle = EngineStack(stack=stack, root=root, env=envs)
        self._stacks.append(handle)
        return handle

    def teardown(self) -> list[str]:
        """Destroy and remove every stack; returns the problems met (never raises)."""
        problems: list[str] = []
        for handle in reversed(self._stacks):
            try:
                handle.stack.destroy(color="never")
            except Exception as exc:  # the test may have left a broken stack on purpose
                problems.append(f"destroy {handle.stack.name}: {exc}")
            try:
                handle.stack.workspace.remove_stack(handle.stack.name, force=True)
            except Exception as exc:
                problems.append(f"remove {handle.stack.name}: {exc}")
        self._stacks.clear()
        return problems

