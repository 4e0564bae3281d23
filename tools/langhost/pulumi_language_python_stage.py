"""Stage one of ``pulumi-language-python``: choose the project's interpreter, then exec the host.

Why a stage: our language host (``pulumi_language_python.py`` next to this file) runs the user's
program in its own process, so it must *be* the project's interpreter, and it needs ``grpc`` and
``pulumi`` from the project's virtualenv. The official Go host reads the ``virtualenv`` and
``toolchain`` runtime options from the RPC requests and starts the program with that venv's
Python; we must decide before any RPC arrives, so this file reads ``Pulumi.yaml`` itself. It uses
only the standard library (any ``python3`` can run it), then replaces itself with
``<venv>/bin/python -u pulumi_language_python.py <engine args>``.

Which interpreter (the same order as the ``pulumi-resource-pulumi-python`` launcher, so the program
and its dynamic providers always run in one venv):

1. ``$PULUMI_PYTHON_CMD`` -- handled by the sh launcher before this stage runs. Unlike the official
   host, it wins over ``Pulumi.yaml``: our test tooling pins the interpreter with it.
2. ``runtime.options.virtualenv``, relative to the project directory (where ``Pulumi.yaml`` is),
   as the official host resolves it.
3. ``runtime.options.toolchain``: ``pip`` (the default) needs nothing more; ``uv`` means ``.venv``;
   ``poetry`` means ``poetry env info --path``.
4. ``python3`` on ``PATH``.

Finding the project: the engine starts plugins in the *program* directory (``main:`` when set),
which may hold a ``Pulumi.yaml`` of its own (the root project of this repository points ``main``
at ``examples/quickstart``). So the search starts where the CLI runs (``/proc/<parent>/cwd``; the
CLI changes there for ``--cwd``), walks up to the first project file like the CLI does, and keeps
it only if its ``main`` is the directory we were started in; otherwise the nearest project file
above our own directory is used.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

#: Project file names in the CLI's order of preference.
PROJECT_FILES = ("Pulumi.json", "Pulumi.yaml", "Pulumi.yml")
HOST = "pulumi_language_python.py"
TOOLCHAINS = ("pip", "uv", "poetry")


class LaunchError(Exception):
    """The interpreter cannot be chosen; the message is one sentence for the user."""


@dataclass(frozen=True)
class Project:
    """What the stage needs from a project file."""

    file: Path
    main: Path  # the program directory: the engine's working directory for plugins
    virtualenv: str | None
    toolchain: str | None

    @property
    def root(self) -> Path:
        """The project directory, against which a relative ``virtualenv`` is resolved."""
        return self.file.parent


# -- a small YAML subset: block and flow mappings of scalars (all Pulumi.yaml needs here) ----------


def _strip_comment(line: str) -> str:
    """``line`` without a trailing ``# comment`` (a ``#`` inside quotes is kept)."""
    quote = ""
    for i, ch in enumerate(line):
        if quote:
            if ch == quote:
                quote = ""
        elif ch in "'\"":
            quote = ch
        elif ch == "#" and (i == 0 or line[i - 1].isspace()):
            return line[:i].rstrip()
    return line.rstrip()


def _scalar(text: str) -> str:
    text = text.strip()
    if len(text) >= 2 and text[0] == text[-1] == '"':
        return str(json.loads(text))
    if len(text) >= 2 and text[0] == text[-1] == "'":
        return text[1:-1].replace("''", "'")
    return text


_FLOW_TOKEN = re.compile(r"\s*(\"(?:[^\"\\]|\\.)*\"|'(?:[^']|'')*'|[{}\[\],:]|[^{}\[\],:\"']+)")


def _flow(text: str) -> Any:
    """Parse a flow collection (``{a: b, c: {d: e}}``, ``[x, y]``) of scalars."""
    tokens = []
    pos = 0
    while pos < len(text.rstrip()):
        m = _FLOW_TOKEN.match(text, pos)
        if not m:
            raise ValueError(f"unexpected text {text[pos : pos + 20]!r}")
        tokens.append(m.group(1).strip())
        pos = m.end()
    value, rest = _flow_value([t for t in tokens if t])
    if rest:
        raise ValueError(f"unexpected {rest[0]!r} after a flow collection")
    return value


def _flow_value(tokens: list[str]) -> tuple[Any, list[str]]:
    head, rest = tokens[0], tokens[1:]
    if head not in "{[":
        return _scalar(head), rest
    close = "}" if head == "{" else "]"
    items: list[Any] = []
    mapping: dict[str, Any] = {}
    while rest and rest[0] != close:
        if head == "{":
            key, rest = _flow_value(rest)
            value: Any = None
            if rest and rest[0] == ":":
                rest = rest[1:]
                if rest and rest[0] not in ",}":
                    value, rest = _flow_value(rest)
            mapping[str(key)] = value
        else:
            item, rest = _flow_value(rest)
            items.append(item)
        if rest and rest[0] == ",":
            rest = rest[1:]
    if not rest:
        raise ValueError(f"missing {close!r}")
    return (mapping if head == "{" else items), rest[1:]


_KEY = re.compile(r"^(\"[^\"]*\"|'[^']*'|[^\s:#'\"][^:#]*?)\s*:(?:\s+(.*))?$")


def _block(lines: list[tuple[int, str]]) -> dict[str, Any]:
    """Parse an indented block mapping; values are scalars, flow collections or nested blocks."""
    out: dict[str, Any] = {}
    i = 0
    while i < len(lines):
        indent, content = lines[i]
        child = []
        i += 1
        while i < len(lines) and lines[i][0] > indent:
            child.append(lines[i])
            i += 1
        m = _KEY.match(content)
        if not m:
            continue  # a list item, a block scalar line: nothing the stage reads
        key, value = _scalar(m.group(1)), (m.group(2) or "").strip()
        if value.startswith(("{", "[")):
            value = " ".join([value, *(c for _, c in child)])
            out[key] = _flow(value)
        elif value and value not in ("|", ">", "|-", ">-"):
            out[key] = _scalar(value)
        elif child and not value:
            out[key] = _block(child)
    return out


def parse_project_text(text: str) -> dict[str, Any]:
    """The top-level mapping of a project file (JSON, or the YAML subset above)."""
    if text.lstrip().startswith("{"):
        data = json.loads(text)
        return data if isinstance(data, dict) else {}
    lines = []
    for raw in text.splitlines():
        if raw.strip() in ("---", "...") or raw.lstrip().startswith("%"):
            continue
        content = _strip_comment(raw)
        if content.strip():
            lines.append((len(content) - len(content.lstrip(" ")), content.strip()))
    return _block(lines)


# -- finding the project and its interpreter -------------------------------------------------------


def load_project(file: Path) -> Project:
    """Read ``runtime.options.virtualenv/toolchain`` and ``main`` from a project file."""
    try:
        data = parse_project_text(file.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise LaunchError(f"Cannot read {file} to find its virtualenv option ({exc}).") from None
    runtime = data.get("runtime")
    options = runtime.get("options") if isinstance(runtime, dict) else None
    options = options if isinstance(options, dict) else {}
    main = file.parent
    if isinstance(data.get("main"), str) and data["main"]:
        target = (file.parent / data["main"]).resolve()
        main = target if target.is_dir() else target.parent
    venv, toolchain = options.get("virtualenv"), options.get("toolchain")
    return Project(
        file=file,
        main=main.resolve(),
        virtualenv=str(venv) if venv else None,
        toolchain=str(toolchain).lower() if toolchain else None,
    )


def _search_up(start: Path) -> Path | None:
    for directory in (start, *start.parents):
        for name in PROJECT_FILES:
            if (directory / name).is_file():
                return directory / name
    return None


def cli_cwd() -> Path | None:
    """The working directory of the process that started us (the pulumi CLI), where readable."""
    try:
        return Path(os.readlink(f"/proc/{os.getppid()}/cwd"))
    except OSError:
        return None


def find_project(cwd: Path, parent_cwd: Path | None) -> Project | None:
    """The project whose program directory is ``cwd``, searching from ``parent_cwd`` first."""
    cwd = cwd.resolve()
    for start in (parent_cwd, cwd):
        found = _search_up(start) if start is not None else None
        if found is not None:
            project = load_project(found)
            if project.main == cwd:
                return project
    found = _search_up(cwd)
    return load_project(found) if found is not None else None


def _poetry_venv(cwd: Path) -> str:
    try:
        out = subprocess.run(
            ["poetry", "env", "info", "--path"], cwd=cwd, capture_output=True, text=True, check=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        out = ""
    if not out:
        raise LaunchError(
            "Pulumi.yaml sets `toolchain: poetry`, but `poetry env info --path` found no "
            "environment; run `poetry install` in the project directory first."
        )
    return out


def choose_python(project: Project | None, cwd: Path) -> tuple[str, Path | None]:
    """The interpreter to run the host with, and the venv it belongs to (``None``: no venv)."""
    venv = project.virtualenv if project else None
    toolchain = (project.toolchain if project else None) or "pip"
    if toolchain not in TOOLCHAINS:
        raise LaunchError(
            f"Pulumi.yaml sets runtime.options.toolchain to {toolchain!r}; use one of "
            f"{', '.join(TOOLCHAINS)}."
        )
    if not venv and toolchain == "uv":
        venv = ".venv"
    elif not venv and toolchain == "poetry":
        venv = _poetry_venv(cwd)
    if not venv or project is None:
        on_path = shutil.which("python3") or shutil.which("python")
        if on_path is None:
            raise LaunchError(
                "No python3 on PATH for the Python language host; set runtime.options.virtualenv "
                "in Pulumi.yaml or PULUMI_PYTHON_CMD."
            )
        return on_path, None
    directory = Path(venv) if os.path.isabs(venv) else project.root / venv
    python = directory / "bin" / "python"
    if not python.is_file():
        state = "is not a virtual environment" if directory.exists() else "does not exist"
        raise LaunchError(
            f"The 'virtualenv' option in {project.file} is {venv!r}, but {directory} {state}; "
            f"create it with `python3 -m venv {directory}` and "
            f"`{python} -m pip install -r requirements.txt`."
        )
    return str(python), directory


def activated(env: dict[str, str], venv: Path | None) -> dict[str, str]:
    """``env`` with ``venv`` activated as the official host does (PATH, VIRTUAL_ENV, PYTHONHOME)."""
    out = dict(env)
    if venv is not None:
        out["PATH"] = f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
        out["VIRTUAL_ENV"] = str(venv)
        out.pop("PYTHONHOME", None)
    return out


def main(argv: list[str]) -> int:
    """Exec the language host with the project's interpreter; 1 with one sentence if impossible."""
    cwd = Path.cwd()
    try:
        python, venv = choose_python(find_project(cwd, cli_cwd()), cwd)
    except LaunchError as exc:
        sys.stderr.write(f"{exc}\n")
        return 1
    host = str(Path(__file__).resolve().with_name(HOST))
    os.execve(python, [python, "-u", host, *argv], activated(dict(os.environ), venv))
    return 0  # not reached


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
