"""Helpers for the tests that install the package the way a user does, outside this checkout.

* ``built_dist``: sdist + wheel from ``python -m build`` (what ``make dist`` runs), once per test
  session into the session's temp dir.
* ``wheelhouse``: every dependency of the wheel (with the ``emulator`` extra) and the build
  backend, downloaded once per set of requirements into ``~/.cache/cartesia-pulumi/wheelhouse/``
  (``$CARTESIA_PULUMI_CACHE``), so a fresh venv installs with ``--no-index`` in seconds.
* ``pip_env``: the environment that points pip at those directories without changing any command a
  README shows (``PIP_FIND_LINKS``/``PIP_NO_INDEX``).
* ``cli_env``: an isolated engine (backend, ``PULUMI_HOME``) with the CLI on ``PATH`` and **no**
  ``PULUMI_PYTHON_CMD``, so the launchers must find the project's venv themselves.
* ``PROBE``: program text of a tiny dynamic resource that reports, from inside the provider
  process, which interpreter and which ``cartesia_pulumi`` it runs.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import re
import shutil
import sys
import zipfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import cartesia_pulumi
from tests.e2e.harness import REPO
from tests.support.cli import pulumi as pulumi_cli
from tests.support.cli import run
from tests.support.cli import user_env as cli_env  # noqa: F401  (the install tests import it here)

#: The interpreter venvs are made from: the base Python, not this checkout's .venv.
BASE_PYTHON = getattr(sys, "_base_executable", sys.executable)
PY_TAG = f"py{sys.version_info.major}{sys.version_info.minor}"
SITE = f"lib/python{sys.version_info.major}.{sys.version_info.minor}/site-packages"
#: The build backend, for editable installs from the wheelhouse (pyproject's build-system).
BUILD_REQUIREMENTS = ("setuptools>=77",)

PROBE = '''
import importlib.metadata as _metadata
import json as _json

import pulumi as _pulumi
from pulumi.dynamic import CreateResult as _CreateResult
from pulumi.dynamic import Resource as _Resource
from pulumi.dynamic import ResourceProvider as _ResourceProvider
from pulumi.dynamic import UpdateResult as _UpdateResult


def _facts(props):
    import sys

    import cartesia_pulumi

    facts = {
        "prefix": sys.prefix,
        "package": cartesia_pulumi.__file__,
        "versions": {
            d: _metadata.version(d)
            for d in ("pulumi", "httpx", "pydantic", "phonenumbers", "rich")
        },
    }
    return {"run": props["run"], "facts": _json.dumps(facts)}


class _ProbeLifecycle(_ResourceProvider):
    """Reports facts about the dynamic-provider process it runs in, on create and update."""

    def create(self, props):
        return _CreateResult("probe", _facts(props))

    def update(self, _id, _olds, news):
        return _UpdateResult(_facts(news))


class _Probe(_Resource):
    facts: _pulumi.Output[str]

    def __init__(self, name, run):
        super().__init__(_ProbeLifecycle(), name, {"run": run, "facts": None})


# Config `probeRun` (default "1"): a new value makes the probe report again (an update).
_probe = _Probe("probe", _pulumi.Config().get("probeRun") or "1")
_pulumi.export("provider_process", _probe.facts)
_pulumi.export("program_prefix", __import__("sys").prefix)
'''

#: A user's program: a provider, a number and its assignment, from stack config (+ PROBE).
PROGRAM = (
    """import pulumi

from cartesia_pulumi import NumberAssignment, PhoneNumber, TwilioProvider

config = pulumi.Config()
twilio = TwilioProvider(
    "twilio-us1",
    account_sid=config.require("accountSid"),
    api_key_sid=config.require("apiKeySid"),
    api_key_secret=config.require_secret("apiKeySecret"),
    region="us1",
)
number = PhoneNumber("support-line", number=config.require("number"), provider_id=twilio.id)
route = NumberAssignment("support-route", phone_number_id=number.id, agent_id="agent_support")
pulumi.export("provider_id", twilio.id)
pulumi.export("number_id", number.id)
"""
    + PROBE
)
#: PROGRAM's graph on the cartesia plugin instead of the dynamic resources, through plain
#: ``pulumi.CustomResource`` classes (no generated SDK needed) and the same stack config; the agent
#: is the ``agent`` config value, else ``agent_support``.
NATIVE_PROGRAM = """import pulumi

config = pulumi.Config()


def resource(kind, name, **props):
    return pulumi.CustomResource(f"cartesia:index:{kind}", name, props)


twilio = resource(
    "TwilioProvider",
    "twilio-us1",
    accountSid=config.require("accountSid"),
    apiKeySid=config.require("apiKeySid"),
    apiKeySecret=config.require_secret("apiKeySecret"),
    region="us1",
)
number = resource("PhoneNumber", "support-line", number=config.require("number"), providerId=twilio.id)
agent = config.get("agent") or "agent_support"
resource("NumberAssignment", "support-route", phoneNumberId=number.id, agentId=agent)
pulumi.export("number_id", number.id)
"""

#: ``Pulumi.yaml``'s runtime section of a project laid out like `pulumi new python`.
VENV_RUNTIME = "runtime:\n  name: python\n  options:\n    toolchain: pip\n    virtualenv: venv\n"

#: Stack config for PROGRAM against the emulator's demo seed (production account, us1 key 1).
ACCOUNT_SID = "AC0123456789abcdef0123456789abcdef"
KEYS = {
    1: ("SK0123456789abcdef0123456789abc001", "demo-us1-secret-1"),
    2: ("SK0123456789abcdef0123456789abc002", "demo-us1-secret-2"),
}
NUMBER = "+14155550100"
DEMO_API_KEY = "sk_car_demo_key"


def write_project(directory: Path, name: str, runtime: str, files: Mapping[str, str]) -> Path:
    """A project laid out like `pulumi new python`: Pulumi.yaml, .gitignore and ``files``."""
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "Pulumi.yaml").write_text(
        f"name: {name}\ndescription: cartesia-pulumi, installed like a user installs it\n{runtime}"
    )
    (directory / ".gitignore").write_text("*.pyc\nvenv/\n")
    for rel, text in files.items():
        (directory / rel).write_text(text)
    return directory


def wheel_project(directory: Path, program: str, dist: Dist, env: Mapping[str, str]) -> Path:
    """A `pulumi new python` project at ``directory`` whose own ``venv`` has the wheel installed.

    ``requirements.txt`` pins this version; pip finds the wheel and a cached wheelhouse of its
    dependencies (no index). ``env`` is the engine environment the commands run in.
    """
    project = write_project(
        directory,
        directory.name,
        VENV_RUNTIME,
        {
            "requirements.txt": f"cartesia-pulumi=={cartesia_pulumi.__version__}\n",
            "__main__.py": program,
        },
    )
    assert REPO not in project.parents
    installing = {**env, **pip_env(dist.directory, wheelhouse(dist.wheel))}
    run([BASE_PYTHON, "-m", "venv", "venv"], project, installing)
    run([venv_python(project / "venv"), "-m", "pip", "install", "-r", "requirements.txt"],
        project, installing)  # fmt: skip
    return project


def configure_stack(project: Path, env: Mapping[str, str], emulator_url: str, key: int = 1) -> None:
    """Stack config (one ``pulumi config set-all``) of everything PROGRAM reads, key ``key``."""
    sid, secret = KEYS[key]
    pulumi_cli(
        project, "config", "set-all",
        "--plaintext", f"cartesia:baseUrl={emulator_url}",
        "--secret", f"cartesia:apiKey={DEMO_API_KEY}",
        "--plaintext", f"accountSid={ACCOUNT_SID}",
        "--plaintext", f"apiKeySid={sid}",
        "--secret", f"apiKeySecret={secret}",
        "--plaintext", f"number={NUMBER}",
        env=env,
    )  # fmt: skip


def cache_root() -> Path:
    """The cache root tools/build-pulumi.sh uses (``$CARTESIA_PULUMI_CACHE`` or ~/.cache/...)."""
    explicit = os.environ.get("CARTESIA_PULUMI_CACHE")
    if explicit:
        return Path(explicit)
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "cartesia-pulumi"


@contextmanager
def locked(path: Path) -> Iterator[None]:
    """An exclusive lock on ``path`` (created), so concurrent sessions build a cache entry once."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


@dataclass(frozen=True)
class Dist:
    """What ``make dist`` produces."""

    wheel: Path
    sdist: Path

    @property
    def directory(self) -> Path:
        return self.wheel.parent


def built_dist(basetemp: Path) -> Dist:
    """sdist + wheel of this checkout, built once per test session under ``basetemp``."""
    out = basetemp / "dist"
    with locked(basetemp / "dist.lock"):
        if not (out / ".complete").exists():
            shutil.rmtree(out, ignore_errors=True)
            run([sys.executable, "-m", "build", "--outdir", str(out), str(REPO)], REPO)
            (out / ".complete").touch()
    (wheel,) = out.glob("cartesia_pulumi-*.whl")
    (sdist,) = out.glob("cartesia_pulumi-*.tar.gz")
    return Dist(wheel=wheel, sdist=sdist)


def wheel_requirements(wheel: Path) -> list[str]:
    """The ``Requires-Dist`` lines of a wheel's metadata."""
    with zipfile.ZipFile(wheel) as zf:
        (meta,) = [n for n in zf.namelist() if n.endswith(".dist-info/METADATA")]
        lines = zf.read(meta).decode().splitlines()
    return sorted(
        line.split(":", 1)[1].strip() for line in lines if line.startswith("Requires-Dist:")
    )


def wheelhouse(wheel: Path) -> Path:
    """A directory with every dependency of ``wheel[emulator]`` and the build backend.

    Keyed by the requirements and the Python version, so it is downloaded (pip's cache, else
    PyPI) only when those change.
    """
    reqs = [*wheel_requirements(wheel), *BUILD_REQUIREMENTS]
    key = hashlib.sha256(json.dumps([PY_TAG, reqs]).encode()).hexdigest()[:16]
    house = cache_root() / "wheelhouse" / f"{PY_TAG}-{key}"
    with locked(house.with_suffix(".lock")):
        if not (house / ".complete").exists():
            shutil.rmtree(house, ignore_errors=True)
            run(
                [sys.executable, "-m", "pip", "download", "--disable-pip-version-check",
                 "--dest", str(house), f"{wheel}[emulator]", *BUILD_REQUIREMENTS],
                REPO,
            )  # fmt: skip
            for own in house.glob("cartesia_pulumi-*"):
                own.unlink()  # the wheel under test is never cached
            (house / ".complete").touch()
    return house


def pip_env(*find_links: Path) -> dict[str, str]:
    """Variables that make pip install only from ``find_links`` (no index, no version check)."""
    return {
        "PIP_NO_INDEX": "1",
        "PIP_FIND_LINKS": " ".join(str(p) for p in find_links),
        "PIP_DISABLE_PIP_VERSION_CHECK": "1",
    }


def clone_checkout(dest: Path) -> Path:
    """``git clone`` of this checkout into ``dest``, carrying the work tree's uncommitted changes.

    A clone alone would test the last commit; copying changed and new (not ignored) files and
    removing deleted ones makes it test what is about to be committed.
    """
    run(["git", "clone", "-q", str(REPO), str(dest)], dest.parent)

    def listed(*flags: str) -> list[str]:
        out = run(["git", "ls-files", "-z", *flags], REPO).stdout
        return [name for name in out.split("\0") if name]

    deleted = set(listed("--deleted"))
    for name in listed("--modified", "--others", "--exclude-standard"):
        if name not in deleted:
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(REPO / name, dest / name)
    for name in deleted:
        (dest / name).unlink(missing_ok=True)
    return dest


def _link_or_copy(source: Path, dest: Path) -> None:
    dest.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, dest)
    except OSError:  # another file system
        shutil.copy2(source, dest)


def shared_cli_cache(cache: Path, pulumi_bin: Path) -> Path:
    """A CLI cache at ``cache`` holding the already-built ``pulumi`` and, where the YAML host is
    built (``<cache>/pulumi-yaml-<version>/bin``), ``pulumi-language-yaml`` (hard links, else
    copies), so tools/build-pulumi.sh rebuilds neither."""
    prefix = run([REPO / "tools" / "build-pulumi.sh", "--prefix"], REPO).stdout.strip()
    bin_dir = cache / Path(prefix).name / "bin"
    _link_or_copy(pulumi_bin / "pulumi", bin_dir / "pulumi")
    yaml_host = pulumi_bin / "pulumi-language-yaml"
    if yaml_host.exists():
        go_mod = (REPO / "tools" / "pulumi-yaml" / "go.mod").read_text()
        [version] = re.findall(r"^\s*github\.com/pulumi/pulumi-yaml (\S+)", go_mod, re.M)
        _link_or_copy(
            yaml_host.resolve(), cache / f"pulumi-yaml-{version}" / "bin" / "pulumi-language-yaml"
        )
    return bin_dir


def venv_python(venv: Path) -> Path:
    return venv / "bin" / "python"


def layered_venv(venv: Path, over: Path) -> Path:
    """A real venv at ``venv`` (own prefix, no pip) that also sees the packages of venv ``over``.

    Cheap stand-in for "a venv with the project's requirements" where only the interpreter choice
    is under test: ``site.addsitedir`` (in a .pth) also runs ``over``'s .pth files, so editable
    installs there resolve too.
    """
    run([BASE_PYTHON, "-m", "venv", "--without-pip", str(venv)], venv.parent)
    line = f"import site; site.addsitedir({str(over / SITE)!r})\n"
    (venv / SITE / "_layered_over.pth").write_text(line)
    return venv


def provider_facts(outputs: Mapping[str, object]) -> dict[str, object]:
    """The PROBE's report from a stack's outputs (``pulumi stack output --json``)."""
    value = outputs["provider_process"]
    assert isinstance(value, str), outputs
    return dict(json.loads(value))
