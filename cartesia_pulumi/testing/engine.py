"""Drive the real Pulumi CLI offline: isolated stacks of inline programs, and their summaries.

For this project's engine tests and benchmarks, and for users who want to run their own
cartesia-pulumi programs in CI against the emulator before touching the real API. Nothing here
knows about this repository's layout: the CLI and the Python interpreter are found as described
in :func:`find_pulumi_bin` and :func:`engine_env`.

Every stack gets its own ``file://`` backend directory and ``PULUMI_HOME`` under a root
directory, a fixed passphrase, and the switches that keep the CLI offline (no update check, no
plugin download). Programs are inline callables (Automation API); the dynamic-provider process
is started by the ``pulumi-resource-pulumi-python`` launcher found next to the CLI (or on
``PATH``) with the interpreter named by ``PULUMI_PYTHON_CMD``.

The helpers :func:`op_counts`, :func:`changes_only` and :func:`assert_no_changes` turn the
engine's change summaries into plain counts, so a test can say "exactly one update, no
replace" or "a preview shows no changes".
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypedDict

from pulumi import automation as auto

#: Pulumi CLI version this package is tested with; names the cache directory
#: ``<cache>/cartesia-pulumi/pulumi-<version>/bin`` that ``make setup`` fills.
PULUMI_CLI_VERSION = "v3.274.1"
#: Environment variable naming a directory that holds an installed ``pulumi``.
ENV_PULUMI_BIN = "CARTESIA_PULUMI_BIN"
#: Passphrase of every isolated backend (test state only; never use it for real stacks).
PASSPHRASE = "cartesia-pulumi-e2e-passphrase"
#: Operation kinds reported by the engine that count as "a change".
CHANGE_OPS = ("create", "update", "replace", "delete", "create-replacement", "delete-replaced")


class PulumiCLINotFound(RuntimeError):
    """No ``pulumi`` binary where :func:`find_pulumi_bin` looked."""


def _cache_root() -> Path:
    # Same order as tools/build-pulumi.sh, so the directory it fills is the one found here.
    explicit = os.environ.get("CARTESIA_PULUMI_CACHE")
    if explicit:
        return Path(explicit)
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "cartesia-pulumi"


def find_pulumi_bin(
    bin_dir: str | os.PathLike[str] | None = None, *, version: str = PULUMI_CLI_VERSION
) -> Path:
    """Directory holding the ``pulumi`` binary to drive.

    Looked up in this order: ``bin_dir``; ``$CARTESIA_PULUMI_BIN``; the directory of ``pulumi``
    on ``PATH``; ``~/.cache/cartesia-pulumi/pulumi-<version>/bin`` (``$CARTESIA_PULUMI_CACHE``
    or ``$XDG_CACHE_HOME`` move the cache root, as for the build script).

    Args:
        bin_dir: explicit directory; when given, nothing else is consulted.
        version: CLI version whose cache directory is the last resort.

    Returns:
        The directory (absolute).

    Raises:
        PulumiCLINotFound: the chosen directory has no ``pulumi``, or none was found. It is
            an error, never a skip: engine tests must run.
    """
    if bin_dir is not None:
        candidates = [(Path(bin_dir), "the bin_dir argument")]
    elif os.environ.get(ENV_PULUMI_BIN):
        candidates = [(Path(os.environ[ENV_PULUMI_BIN]), f"${ENV_PULUMI_BIN}")]
    else:
        on_path = shutil.which("pulumi")
        candidates = [(Path(on_path).parent, "PATH")] if on_path else []
        candidates.append((_cache_root() / f"pulumi-{version}" / "bin", "the CLI cache"))
    for directory, _source in candidates:
        if (directory / "pulumi").is_file():
            return directory.resolve()
    directory, source = candidates[-1]
    raise PulumiCLINotFound(
        f"no pulumi CLI at {directory / 'pulumi'} (from {source}); install the Pulumi CLI or "
        f"set {ENV_PULUMI_BIN} to the directory that holds it (in this repository: make setup)"
    )


def engine_env(root: Path, python: str | None = None) -> dict[str, str]:
    """Environment of one isolated engine whose backend and ``PULUMI_HOME`` live under ``root``.

    Args:
        root: directory for ``backend/`` and ``pulumi-home/`` (created if missing).
        python: interpreter for the dynamic-provider process (``PULUMI_PYTHON_CMD``); default
            ``sys.executable``, so the provider imports the same packages as the caller.

    Returns:
        Variables to pass to the CLI (on top of the caller's environment).
    """
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
        "PULUMI_PYTHON_CMD": python or sys.executable,
    }


def op_counts(summary: Mapping[Any, int] | None) -> dict[str, int]:
    """Normalise an engine change summary (``{OpType | str: n}``) to ``{"create": n, ...}``."""
    out: dict[str, int] = {}
    for op, n in (summary or {}).items():
        key = str(getattr(op, "value", op))
        out[key] = out.get(key, 0) + int(n)
    return out


def changes_only(summary: Mapping[Any, int] | None) -> dict[str, int]:
    """The counts of :func:`op_counts` without ``same``/``read`` entries and zeroes."""
    return {k: v for k, v in op_counts(summary).items() if k in CHANGE_OPS and v}


def assert_no_changes(preview: auto.PreviewResult) -> None:
    """Fail (AssertionError with the preview's output) unless the preview changes nothing."""
    changes = changes_only(preview.change_summary)
    assert changes == {}, f"expected no changes, preview shows {changes}\n{preview.stdout}"


class StackConfigKwargs(TypedDict):
    """The ``config=`` / ``secrets=`` keyword arguments of :meth:`Engine.stack`."""

    config: dict[str, str]
    secrets: dict[str, str]


@dataclass(frozen=True)
class CartesiaStackConfig:
    """``cartesia:*`` stack config: pass as ``engine.stack(program, **cfg.kwargs())``."""

    config: dict[str, str]
    secrets: dict[str, str]

    @classmethod
    def for_emulator(cls, url: str, api_key: str) -> CartesiaStackConfig:
        """Config pointing the provider process at an emulator (``url``) with ``api_key``."""
        return cls(config={"cartesia:baseUrl": url}, secrets={"cartesia:apiKey": api_key})

    def kwargs(self) -> StackConfigKwargs:
        """``config=`` and ``secrets=`` keyword arguments of :meth:`Engine.stack`."""
        return {"config": dict(self.config), "secrets": dict(self.secrets)}


@dataclass
class EngineStack:
    """One stack of an inline program on its own backend; made by :meth:`Engine.stack`.

    Operations print nothing: the engine's output is kept in :attr:`log`.
    """

    stack: auto.Stack
    root: Path
    env: dict[str, str]
    log: list[str] = field(default_factory=list)

    # -- operations -------------------------------------------------------------------------
    def _out(self, line: str) -> None:
        self.log.append(line)

    def up(self, **kw: Any) -> auto.UpResult:
        """``pulumi up``; keyword arguments go to ``Stack.up``."""
        return self.stack.up(on_output=self._out, color="never", **kw)

    def preview(self, **kw: Any) -> auto.PreviewResult:
        """``pulumi preview``."""
        return self.stack.preview(on_output=self._out, color="never", **kw)

    def refresh(self, **kw: Any) -> auto.RefreshResult:
        """``pulumi refresh``."""
        return self.stack.refresh(on_output=self._out, color="never", **kw)

    def preview_refresh(self, **kw: Any) -> auto.PreviewResult:
        """``pulumi refresh --preview-only``."""
        return self.stack.preview_refresh(on_output=self._out, color="never", **kw)

    def destroy(self, **kw: Any) -> auto.DestroyResult:
        """``pulumi destroy``."""
        return self.stack.destroy(on_output=self._out, color="never", **kw)

    def outputs(self) -> dict[str, Any]:
        """Stack outputs as plain values (secrets revealed)."""
        return {k: v.value for k, v in self.stack.outputs().items()}

    def set_program(self, program: Callable[[], None]) -> None:
        """Replace the inline program used by the next operation."""
        self.stack.workspace.program = program

    def set_config(self, key: str, value: str, *, secret: bool = False) -> None:
        """Set one stack config value."""
        self.stack.set_config(key, auto.ConfigValue(value, secret=secret))

    # -- assertions -------------------------------------------------------------------------
    def assert_no_changes(self) -> auto.PreviewResult:
        """Fail unless ``pulumi preview`` shows no changes; returns the preview."""
        result = self.preview()
        assert_no_changes(result)
        return result

    def assert_no_drift(self) -> auto.PreviewResult:
        """Fail unless ``pulumi refresh --preview-only`` finds nothing that differs from state."""
        result = self.preview_refresh()
        changes = changes_only(result.change_summary)
        assert changes == {}, f"refresh found drift: {changes}\n{result.stdout}"
        return result

    # -- state ------------------------------------------------------------------------------
    def deployment(self) -> dict[str, Any]:
        """The stack's current deployment (state), as exported by the CLI."""
        return dict(self.stack.export_stack().deployment or {})

    def resources(self, type_suffix: str | None = None) -> list[dict[str, Any]]:
        """Resources in the state, optionally only those whose type ends with ``type_suffix``."""
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
    """Creates isolated stacks under one root and destroys and removes them at teardown.

    Args:
        root: directory under which each stack gets its own backend and ``PULUMI_HOME``.
        bin_dir: directory of the ``pulumi`` CLI; ``None`` looks it up (:func:`find_pulumi_bin`).
        python: interpreter for the dynamic-provider process; default ``sys.executable``.
    """

    def __init__(
        self,
        root: Path,
        bin_dir: str | os.PathLike[str] | None = None,
        *,
        python: str | None = None,
    ) -> None:
        self.root = Path(root)
        self.bin_dir = find_pulumi_bin(bin_dir)
        self.python = python
        # PulumiCommand wants the prefix whose bin/ holds the binary.
        self.command = auto.PulumiCommand(root=str(self.bin_dir.parent))
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
        """A new stack of ``program`` with its own backend.

        Args:
            program: the inline Pulumi program.
            name: stack name.
            project: project name.
            config: plain stack config values (``"cartesia:baseUrl": ...``).
            secrets: secret stack config values (encrypted with :data:`PASSPHRASE`).
            env: extra environment for the CLI and its plugins.

        Returns:
            The stack handle; :meth:`teardown` destroys it.
        """
        root = self.root / f"{project}-{name}-{len(self._stacks)}"
        envs = engine_env(root, self.python)
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
        """Destroy and remove every stack, newest first; returns the problems met (never raises)."""
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
