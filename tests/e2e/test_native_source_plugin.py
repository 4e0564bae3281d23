"""The cartesia plugin as a source plugin: ``plugin/`` (``PulumiPlugin.yaml`` with ``runtime:
python`` and ``__main__.py``) run by the engine through the Python language host's RunPlugin.

No ``pulumi-resource-cartesia`` is reachable: every ``PATH`` entry holding one is dropped (this
checkout's ``.venv/bin`` has the console script) and none is installed. The plugin directory is
a copy of ``plugin/``, reached two ways: installed into the isolated plugin cache with ``pulumi
plugin install resource cartesia <version> --file <dir>``, or named by a ``plugins:`` or a
``packages:`` entry of ``Pulumi.yaml``. The engine's log (``-v=9``) shows it launching the directory via the ``python``
runtime and calling the language host's RunPlugin. ``PULUMI_PYTHON_CMD`` (this checkout's venv,
where ``cartesia_pulumi`` is installed) is the interpreter of the program and of the plugin; in
a user's shell without it, the plugin runs in the venv its ``PulumiPlugin.yaml`` names.
Up creates the provider, the number and its route in the emulator; a preview then has no changes
and writes nothing; destroy removes all three.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest

import cartesia_pulumi
from cartesia_pulumi.emulator.testing import RunningEmulator
from tests.e2e.harness import DEMO_API_KEY, REPO
from tests.e2e.install_support import NATIVE_PROGRAM, SITE, layered_venv
from tests.e2e.programs import PRODUCTION, SUPPORT, US1_KEY, US1_SECRET
from tests.support.cli import cli_env, pulumi, user_env

pytestmark = pytest.mark.engine

NUMBER = "+14155550100"
SCRIPT = "pulumi-resource-cartesia"


def _path_without_plugin(path: str) -> str:
    """``path`` without the directories that hold a ``pulumi-resource-cartesia``."""
    kept = [d for d in path.split(os.pathsep) if d and not (Path(d) / SCRIPT).exists()]
    return os.pathsep.join(kept)


def _plugin_copy(directory: Path, plugin_yaml: str | None = None) -> Path:
    """A copy of ``plugin/`` at ``directory`` (``PulumiPlugin.yaml`` replaced if given)."""
    directory.mkdir()
    for name in ("PulumiPlugin.yaml", "__main__.py"):
        shutil.copy(REPO / "plugin" / name, directory)
    if plugin_yaml is not None:
        (directory / "PulumiPlugin.yaml").write_text(plugin_yaml)
    return directory


def _project(
    directory: Path, runtime: str, plugin_dir: Path | None, entry: str = "plugins"
) -> Path:
    directory.mkdir()
    text = f"name: source-plugin\nruntime:\n{runtime}"
    if plugin_dir is not None and entry == "plugins":
        text += f"plugins:\n  providers:\n    - name: cartesia\n      path: {plugin_dir}\n"
    elif plugin_dir is not None:
        text += f"packages:\n  cartesia: {plugin_dir}\n"
    (directory / "Pulumi.yaml").write_text(text)
    (directory / "__main__.py").write_text(NATIVE_PROGRAM)
    return directory


def _lifecycle(project: Path, env: dict[str, str], emulator: RunningEmulator, where: Path) -> None:
    """Up (the engine log shows the source route), no-change preview, destroy."""
    assert shutil.which(SCRIPT, path=env["PATH"]) is None
    assert list(Path(env["PULUMI_HOME"]).rglob(SCRIPT)) == []  # no plugin binary installed
    assert not (where / SCRIPT).exists()  # the engine can only run the directory
    pulumi(project, "stack", "init", "dev", env=env)
    pulumi(
        project, "config", "set-all",
        "--plaintext", f"cartesia:baseUrl={emulator.url}",
        "--secret", f"cartesia:apiKey={DEMO_API_KEY}",
        "--plaintext", f"accountSid={PRODUCTION}",
        "--plaintext", f"apiKeySid={US1_KEY}",
        "--secret", f"apiKeySecret={US1_SECRET}",
        "--plaintext", f"number={NUMBER}",
        "--plaintext", f"agent={SUPPORT}",
        env=env,
    )  # fmt: skip
    control = emulator.control

    up = pulumi(project, "up", "--yes", "--logtostderr", "-v=9", env=env)
    assert "+ 4 created" in up.stdout, up.stdout
    log = up.stderr
    launched = f"Launching plugin 'cartesia (resource)' from '{where}' via runtime 'python'"
    assert launched in log, log[-4000:]
    assert f"langhost[python].RunPlugin(root={where}, program={where}, entryPoint=.)" in log
    assert f"using {SCRIPT} from $PATH" not in up.stdout + log
    [provider] = control.providers()
    assert (provider["account_sid"], provider["api_key_sid"]) == (PRODUCTION, US1_KEY), provider
    line = control.numbers()[NUMBER]
    assert line["provider_id"] == provider["id"] and line["agent_id"] == SUPPORT, line
    state = pulumi(project, "stack", "export", env=env).stdout
    assert US1_SECRET not in state and DEMO_API_KEY not in state

    control.clear_requests()
    pulumi(project, "preview", "--expect-no-changes", env=env)
    assert control.writes() == []

    down = pulumi(project, "destroy", "--yes", env=env)
    assert "- 4 deleted" in down.stdout, down.stdout
    assert control.providers() == [] and NUMBER not in control.numbers()


@pytest.mark.parametrize("route", ["plugin-install", "project-plugins", "project-packages"])
def test_source_plugin_runs_through_the_language_host(
    tmp_path: Path, pulumi_bin: Path, emulator: RunningEmulator, route: str
) -> None:
    plugin_dir = _plugin_copy(tmp_path / "cartesia-plugin")
    named = plugin_dir if route.startswith("project-") else None
    entry = route.removeprefix("project-")
    project = _project(tmp_path / "source-plugin", "  name: python\n", named, entry)
    env = cli_env(tmp_path, pulumi_bin, {"PULUMI_PYTHON_CMD": sys.executable})
    env["PATH"] = _path_without_plugin(env["PATH"])
    assert shutil.which("pulumi", path=env["PATH"]) == str(pulumi_bin / "pulumi")
    where = plugin_dir
    if route == "plugin-install":
        version = cartesia_pulumi.__version__
        pulumi(project, "plugin", "install", "resource", "cartesia", version,
               "--file", str(plugin_dir), env=env)  # fmt: skip
        where = Path(env["PULUMI_HOME"]) / "plugins" / f"resource-cartesia-v{version}"
        assert (where / "PulumiPlugin.yaml").is_file()
    _lifecycle(project, env, emulator, where)


def test_source_plugin_runs_in_the_virtualenv_its_plugin_yaml_names(
    tmp_path: Path, pulumi_bin: Path, emulator: RunningEmulator
) -> None:
    """A user's shell: no PULUMI_PYTHON_CMD. The program runs in the project's venv, the plugin
    in the venv its ``PulumiPlugin.yaml`` names (relative to the plugin directory): a ``.pth``
    file only that venv has records each interpreter start there."""
    plugin_yaml = "runtime:\n  name: python\n  options:\n    virtualenv: plugin-venv\n"
    plugin_dir = _plugin_copy(tmp_path / "cartesia-plugin", plugin_yaml)
    plugin_venv = layered_venv(plugin_dir / "plugin-venv", REPO / ".venv")
    mark = tmp_path / "plugin-venv-starts.txt"
    (plugin_venv / SITE / "_started.pth").write_text(
        "import os, sys; p = os.environ.get('SOURCE_PLUGIN_MARK'); "
        "p and open(p, 'a').write(sys.prefix + '\\n')\n"
    )
    runtime = "  name: python\n  options:\n    virtualenv: venv\n"
    project = _project(tmp_path / "source-plugin", runtime, plugin_dir)
    layered_venv(project / "venv", REPO / ".venv")
    env = user_env(tmp_path / "engine", pulumi_bin, {"SOURCE_PLUGIN_MARK": str(mark)})
    env["PATH"] = _path_without_plugin(env["PATH"])
    assert "PULUMI_PYTHON_CMD" not in env
    _lifecycle(project, env, emulator, plugin_dir)
    starts = mark.read_text().splitlines()
    # up, preview, destroy: the plugin started in its venv each time (Python resolves the venv
    # prefix without following symlinks, so compare resolved paths)
    assert len(starts) >= 3 and {Path(p).resolve() for p in starts} == {plugin_venv.resolve()}
