"""How the launchers next to the CLI choose an interpreter, without the engine (fast).

* The language host's stdlib stage (tools/langhost/pulumi_language_python_stage.py): reading
  ``Pulumi.yaml`` (block and flow forms, JSON, comments, quotes, ``main:``), finding the project
  whose program directory the engine started us in, and the one-sentence refusals.
* The provider launchers' sh function (tools/launchers/choose-python.sh), run through the real
  ``pulumi-resource-pulumi-python`` launcher with fake interpreters that print how they were
  started: ``PULUMI_PYTHON_CMD`` first, then ``PULUMI_RUNTIME_VIRTUALENV`` (relative to the project
  directory of the process that started it, like the CLI, else ``$PWD``), the toolchains, python3.
* ``tools/build-pulumi.sh`` into an empty cache writes launchers that name no checkout.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

from tests.e2e.harness import REPO
from tests.e2e.install_support import run, shared_cli_cache

LAUNCHERS = REPO / "tools" / "launchers"


def _load_stage() -> ModuleType:
    path = REPO / "tools" / "langhost" / "pulumi_language_python_stage.py"
    spec = importlib.util.spec_from_file_location("pulumi_language_python_stage_test", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


stage = _load_stage()


# -- the language host's stage ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "name: p  # a comment\ndescription: 'a: b # not a comment'\nruntime:\n  name: python\n"
            '  options:\n    # the venv\n    virtualenv: "my venv"\n    toolchain: pip\n',
            ("my venv", "pip"),
        ),
        (
            "name: p\nruntime: {name: python, options: {virtualenv: venv, toolchain: uv}}\n",
            ("venv", "uv"),
        ),
        ("runtime: {name: python,\n  options: {virtualenv: 'v'}}\nmain: .\n", ("v", None)),
        (
            '{"name": "p", "runtime": {"name": "python", "options": {"virtualenv": "j"}}}',
            ("j", None),
        ),
        ("name: p\nruntime: python\n", (None, None)),
        ("description: >\n  folded: text\nruntime:\n  name: python\n", (None, None)),
    ],
    ids=["block-comments-quotes", "flow", "flow-two-lines", "json", "no-options", "folded-scalar"],
)
def test_parse_project_reads_runtime_options(
    tmp_path: Path, text: str, expected: tuple[str | None, str | None]
) -> None:
    file = tmp_path / ("Pulumi.json" if text.startswith("{") else "Pulumi.yaml")
    file.write_text(text)
    project = stage.load_project(file)
    assert (project.virtualenv, project.toolchain) == expected
    assert project.main == tmp_path.resolve()


def test_find_project_with_main_directory_prefers_cli_project(tmp_path: Path) -> None:
    (tmp_path / "Pulumi.yaml").write_text("name: root\nruntime: python\nmain: app\n")
    app = tmp_path / "app"
    app.mkdir()
    (app / "Pulumi.yaml").write_text("name: app\nruntime: python\n")
    (tmp_path / "docs").mkdir()
    # The engine starts the host in `app`; the CLI runs where it found the root project: in its
    # directory or below it.
    for cli_dir in (tmp_path, tmp_path / "docs"):
        found = stage.find_project(app, cli_dir)
        assert found is not None and found.file == tmp_path / "Pulumi.yaml", cli_dir
    # A CLI run in `app` deploys the app project itself.
    found = stage.find_project(app, app)
    assert found is not None and found.file == app / "Pulumi.yaml"
    # Without the CLI's directory, the nearest project file is the best guess.
    found = stage.find_project(app, None)
    assert found is not None and found.file == app / "Pulumi.yaml"


def test_choose_python_with_unknown_toolchain_refuses_in_one_sentence(tmp_path: Path) -> None:
    (tmp_path / "Pulumi.yaml").write_text("runtime: {name: python, options: {toolchain: conda}}\n")
    with pytest.raises(stage.LaunchError) as err:
        stage.choose_python(stage.load_project(tmp_path / "Pulumi.yaml"), tmp_path)
    assert str(err.value) == (
        "Pulumi.yaml sets runtime.options.toolchain to 'conda'; use one of pip, uv, poetry."
    )


def test_choose_python_with_uv_toolchain_uses_dot_venv(tmp_path: Path) -> None:
    (tmp_path / "Pulumi.yaml").write_text("runtime: {name: python, options: {toolchain: uv}}\n")
    python = _fake_python(tmp_path / ".venv")
    chosen, venv = stage.choose_python(stage.load_project(tmp_path / "Pulumi.yaml"), tmp_path)
    assert (chosen, venv) == (str(python), tmp_path / ".venv")


def test_activated_env_puts_venv_first_and_drops_pythonhome(tmp_path: Path) -> None:
    env = stage.activated({"PATH": "/usr/bin", "PYTHONHOME": "/x"}, tmp_path / "venv")
    assert env == {
        "PATH": f"{tmp_path}/venv/bin{os.pathsep}/usr/bin",
        "VIRTUAL_ENV": f"{tmp_path}/venv",
    }


# -- the provider launchers' sh choice ---------------------------------------------------------


def _executable(path: Path, body: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"#!/bin/sh\n{body}\n")
    path.chmod(0o755)
    return path


def _fake_python(venv: Path) -> Path:
    """``venv/bin/python``: prints its own path, its arguments and PATH's first entry."""
    return _executable(venv / "bin" / "python", 'echo "$0|$*|${PATH%%:*}"')


def _launch(
    cli_dir: Path, program_dir: Path, env: dict[str, str]
) -> subprocess.CompletedProcess[str]:
    """Run the dynamic-provider launcher as the engine does: its parent (here a shell standing in
    for the CLI) works in ``cli_dir``; the launcher itself starts in ``program_dir``."""
    script = 'cd "$1" && env --chdir="$2" "$3" 127.0.0.1:1; exit $?'  # no exec: sh stays parent
    launcher = LAUNCHERS / "pulumi-resource-pulumi-python"
    return subprocess.run(
        ["sh", "-c", script, "sh", cli_dir, program_dir, launcher],
        env=env, capture_output=True, text=True, timeout=30,
    )  # fmt: skip


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project whose `main` is `app` (the engine starts plugins there)."""
    (tmp_path / "Pulumi.yaml").write_text("name: p\nruntime: python\nmain: app\n")
    (tmp_path / "app").mkdir()
    return tmp_path


def _base_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    """PATH with a fake ``python3`` and a fake ``poetry`` (whose env is ``poetry-env``) first."""
    fake_bin = tmp_path / "path-bin"
    _executable(fake_bin / "python3", 'echo "$0|$*|${PATH%%:*}"')
    _executable(fake_bin / "poetry", f"echo {tmp_path / 'poetry-env'}")
    return {"PATH": f"{fake_bin}{os.pathsep}/usr/bin{os.pathsep}/bin", **extra}


@pytest.mark.parametrize(
    ("variables", "venv"),
    [
        ({"PULUMI_RUNTIME_VIRTUALENV": "venv"}, "venv"),
        ({"PULUMI_RUNTIME_VIRTUALENV": "venv/", "PULUMI_RUNTIME_TOOLCHAIN": "uv"}, "venv"),
        ({"PULUMI_RUNTIME_TOOLCHAIN": "uv"}, ".venv"),
        ({"PULUMI_RUNTIME_TOOLCHAIN": "poetry"}, "poetry-env"),
    ],
    ids=["virtualenv", "virtualenv-over-toolchain", "uv", "poetry"],
)
def test_provider_launcher_with_runtime_options_runs_project_venv(
    project: Path, variables: dict[str, str], venv: str
) -> None:
    python = _fake_python(project / venv)
    out = _launch(project, project / "app", _base_env(project, **variables))
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == f"{python}|-u -m pulumi.dynamic 127.0.0.1:1|{python.parent}"


def test_provider_launcher_with_venv_only_in_program_directory_uses_it(project: Path) -> None:
    python = _fake_python(project / "app" / "venv")  # the official launcher's $PWD rule
    out = _launch(project, project / "app", _base_env(project, PULUMI_RUNTIME_VIRTUALENV="venv"))
    assert out.stdout.startswith(f"{python}|"), out.stderr


def test_provider_launcher_with_python_cmd_ignores_virtualenv(project: Path) -> None:
    _fake_python(project / "venv")
    pinned = _fake_python(project / "pinned")
    env = _base_env(project, PULUMI_RUNTIME_VIRTUALENV="venv", PULUMI_PYTHON_CMD=str(pinned))
    out = _launch(project, project / "app", env)
    assert out.stdout.startswith(f"{pinned}|-u -m pulumi.dynamic"), out.stderr


def test_provider_launcher_without_options_runs_python3_on_path(project: Path) -> None:
    out = _launch(project, project / "app", _base_env(project))
    assert out.stdout.startswith(f"{project / 'path-bin' / 'python3'}|-u -m pulumi.dynamic")


def test_provider_launcher_with_missing_venv_fails_with_one_sentence(project: Path) -> None:
    out = _launch(project, project / "app", _base_env(project, PULUMI_RUNTIME_VIRTUALENV="venv"))
    venv = project / "venv"
    assert out.returncode == 1 and out.stdout == ""
    assert out.stderr == (
        f"The 'virtualenv' option in Pulumi.yaml is 'venv', but {venv} is not a virtual "
        f"environment (no bin/python); create it with `python3 -m venv {venv}` and "
        f"`{venv}/bin/python -m pip install -r requirements.txt`.\n"
    )


# -- what build-pulumi.sh writes into a cache ---------------------------------------------------


def test_build_pulumi_into_shared_cache_names_no_checkout(tmp_path: Path, pulumi_bin: Path) -> None:
    cache = tmp_path / "cache"
    bin_dir = shared_cli_cache(cache, pulumi_bin)  # the built CLI, never rebuilt
    env = {**os.environ, "CARTESIA_PULUMI_CACHE": str(cache), "PULUMI_PYTHON_CMD": sys.executable}
    run([REPO / "tools" / "build-pulumi.sh"], REPO, env)
    written = sorted(p.name for p in bin_dir.iterdir())
    assert written == [
        "choose-python.sh", "pulumi", "pulumi-language-python", "pulumi-language-yaml",
        "pulumi-resource-pulumi-python", "pulumi-resource-random", "pulumi_language_python.py",
        "pulumi_language_python_stage.py", "pulumi_resource_random.py",
    ]  # fmt: skip
    # The YAML host is a link to its own versioned directory in the same cache.
    yaml_host = bin_dir / "pulumi-language-yaml"
    assert yaml_host.is_symlink() and yaml_host.resolve().is_relative_to(cache.resolve())
    for path in bin_dir.iterdir():
        if path.name not in ("pulumi", "pulumi-language-yaml"):
            text = path.read_text()
            assert str(REPO) not in text and sys.prefix not in text, path
