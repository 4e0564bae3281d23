"""`make demo` / `make demo-down`: the quickstart deployed offline against the local emulator.

`up`:   makes sure an emulator *this demo started* runs on the demo port (`make demo DEMO_PORT=…`,
        default 8787) with its demo seed and a durable data file, selects or creates the `demo`
        stack of the root project (Pulumi.yaml at the top of the repository, program in
        examples/quickstart, interpreter from its `virtualenv: .venv`), writes its config, runs
        `pulumi up`, then prints what now exists in Cartesia: the provider (masked key), the
        numbers and the agent each one routes to.
`down`: destroys the stack, removes it, stops the demo's emulator and deletes `.demo/`.

Everything lives under `.demo/` (emulator data, log and record, file backend, PULUMI_HOME), so the
demo never touches a real Pulumi account or Cartesia. The same project runs against the real API
with `pulumi config set --secret cartesia:apiKey …` and no `cartesia:baseUrl` (see README).

Shared machines: another checkout's emulator (or anything else) may answer on the demo port. The
demo never talks to a server it did not start. It records the emulator's pid and process start
time in `.demo/emulator.json` and, before reusing it, checks that this very process still holds
the listening socket of the port (Linux `/proc/net/tcp*` and `/proc/<pid>/fd`). A busy port, an
emulator that does not start and a failing `pulumi` command each end the demo with one sentence
on stderr (exit 1), not a traceback.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx

from cartesia_pulumi.client import CartesiaClient, CartesiaError

ROOT = Path(__file__).resolve().parents[1]
# Overridable so the demo's own test can run beside a developer's demo without touching it.
DEMO = Path(os.environ.get("CARTESIA_DEMO_DIR", ROOT / ".demo")).resolve()
STACK = os.environ.get("CARTESIA_DEMO_STACK", "demo")
PROJECT = "cartesia-quickstart"
API_KEY = "sk_car_demo_key"  # the emulator's demo organisation (not a real key)
RECORD = DEMO / "emulator.json"
LOG = DEMO / "emulator.log"
READY = "Cartesia emulator listening on "
START_TIMEOUT = 30.0


class DemoError(Exception):
    """Ends the demo: the message is one sentence for the user."""


def demo_port() -> int:
    raw = os.environ.get("CARTESIA_DEMO_PORT") or "8787"
    if not raw.isdigit() or not 0 < int(raw) < 65536:
        raise DemoError(f"DEMO_PORT must be a TCP port number (1-65535), not {raw!r}.")
    return int(raw)


def url_of(port: int) -> str:
    return f"http://127.0.0.1:{port}"


def config(url: str) -> dict[str, str]:
    """Plain stack config; values from the emulator's demo seed."""
    return {
        f"{PROJECT}:twilioAccountSid": "AC0123456789abcdef0123456789abcdef",
        f"{PROJECT}:twilioApiKeySid": "SK0123456789abcdef0123456789abc001",
        f"{PROJECT}:region": "us1",
        f"{PROJECT}:numbers": json.dumps(["+14155550100", "+14155550101"]),
        f"{PROJECT}:agentId": "agent_support",
        "cartesia:baseUrl": url,
    }


SECRETS = {
    f"{PROJECT}:twilioApiKeySecret": "demo-us1-secret-1",
    "cartesia:apiKey": API_KEY,
}


# -- which process holds a port (Linux /proc) ---------------------------------------------------


def _start_time(pid: int) -> str | None:
    """The process's start time in clock ticks (field 22 of /proc/<pid>/stat), None if gone."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return stat.rsplit(")", 1)[1].split()[19]


def _alive(pid: int, start_time: str | None) -> bool:
    """Whether ``pid`` is still the process that was started at ``start_time`` (pid reuse)."""
    if start_time is None:  # no /proc here: the pid is all we know
        try:
            os.kill(pid, 0)
        except OSError:
            return False
        return True
    return _start_time(pid) == start_time


def _listening_inodes(port: int) -> set[str] | None:
    """Socket inodes listening on ``port`` (IPv4 and IPv6); None where /proc cannot tell."""
    inodes: set[str] = set()
    readable = False
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        readable = True
        for line in lines:
            fields = line.split()
            if fields[3] == "0A" and int(fields[1].rsplit(":", 1)[1], 16) == port:  # 0A: LISTEN
                inodes.add(fields[9])
    return inodes if readable else None


def holds_port(pid: int, port: int) -> bool | None:
    """Whether process ``pid`` holds the listening socket of ``port`` (None: cannot tell here)."""
    inodes = _listening_inodes(port)
    if inodes is None:
        return None
    try:
        fds = os.listdir(f"/proc/{pid}/fd")
    except OSError:
        return False
    for fd in fds:
        try:
            target = os.readlink(f"/proc/{pid}/fd/{fd}")
        except OSError:
            continue
        if target.startswith("socket:[") and target[8:-1] in inodes:
            return True
    return False


def port_is_free(port: int) -> bool:
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


# -- the demo's own emulator ---------------------------------------------------------------------


def _legacy_record() -> dict[str, Any] | None:
    """An emulator started by the demo before emulator.json existed (only its pid was kept)."""
    try:
        pid = int((DEMO / "emulator.pid").read_text())
    except (OSError, ValueError):
        return None
    port = demo_port()
    return {"pid": pid, "port": port, "start_time": _start_time(pid)} if holds_port(pid, port) else None


def own_emulator() -> dict[str, Any] | None:
    """The emulator this demo started, if it still runs and holds its port; else None."""
    try:
        record = json.loads(RECORD.read_text())
    except (OSError, ValueError):
        return _legacy_record()
    pid, port = int(record["pid"]), int(record["port"])
    if not _alive(pid, record["start_time"]) or holds_port(pid, port) is False:
        return None
    return dict(record)


def _last_log_line() -> str:
    try:
        lines = [line for line in LOG.read_text(errors="replace").splitlines() if line.strip()]
    except OSError:
        return ""
    return lines[-1].strip() if lines else ""


def start_emulator(port: int) -> dict[str, Any]:
    """Start the demo's emulator on ``port``; refuse a port that something else holds."""
    if not port_is_free(port):
        raise DemoError(
            f"port {port} is in use by another program (not an emulator this demo started); "
            f"stop it, or run the demo on a free port with `make demo DEMO_PORT={free_port()}`."
        )
    DEMO.mkdir(parents=True, exist_ok=True)
    offset = LOG.stat().st_size if LOG.exists() else 0
    with LOG.open("ab") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "cartesia_pulumi.emulator", "--port", str(port),
             "--data", str(DEMO / "emulator.sqlite"), "--demo"],
            cwd=ROOT, stdout=log, stderr=log, stdin=subprocess.DEVNULL, start_new_session=True,
        )  # fmt: skip
    deadline = time.monotonic() + START_TIMEOUT
    while READY not in LOG.read_text(errors="replace")[offset:]:
        if proc.poll() is not None:
            raise DemoError(
                f"the emulator did not start (exit code {proc.returncode}; {_last_log_line()}); "
                f"see {LOG}."
            )
        if time.monotonic() > deadline:
            proc.kill()
            raise DemoError(f"the emulator did not start within {START_TIMEOUT:.0f} s; see {LOG}.")
        time.sleep(0.05)  # the emulator writes its ready line to the log file; poll it
    if holds_port(proc.pid, port) is False:
        proc.kill()
        raise DemoError(f"the emulator started but another process holds port {port}; see {LOG}.")
    try:
        healthy = httpx.get(f"{url_of(port)}/_emulator/health", timeout=5.0).status_code == 200
    except httpx.HTTPError:
        healthy = False
    if not healthy:
        proc.kill()
        raise DemoError(f"the emulator on port {port} does not answer its health check; see {LOG}.")
    record = {"pid": proc.pid, "port": port, "start_time": _start_time(proc.pid)}
    RECORD.write_text(json.dumps(record))
    print(f"emulator: started at {url_of(port)} (data {DEMO / 'emulator.sqlite'}, pid {proc.pid})")
    return record


def ensure_emulator(port: int) -> str:
    """The URL of the demo's own emulator on ``port``, started if needed."""
    own = own_emulator()
    if own is not None and own["port"] == port:
        print(f"emulator: reusing the one this demo started at {url_of(port)} (pid {own['pid']})")
        return url_of(port)
    if own is not None:
        stop_emulator()  # ours, on another port: restart it where it was asked for
    start_emulator(port)
    return url_of(port)


def stop_emulator() -> None:
    """Stop the demo's own emulator (never another process) and forget its record."""
    own = own_emulator()
    RECORD.unlink(missing_ok=True)
    (DEMO / "emulator.pid").unlink(missing_ok=True)
    if own is None:
        return
    pid = int(own["pid"])
    try:
        os.kill(pid, signal.SIGTERM)
        for _ in range(100):
            if not _alive(pid, own["start_time"]):
                break
            time.sleep(0.05)
        else:
            os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    print("emulator: stopped")


# -- pulumi ---------------------------------------------------------------------------------------


def pulumi_bin() -> Path:
    explicit = os.environ.get("CARTESIA_PULUMI_BIN")
    if explicit:
        bin_dir = Path(explicit)
    else:
        prefix = subprocess.run(
            [str(ROOT / "tools" / "build-pulumi.sh"), "--prefix"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
        bin_dir = Path(prefix) / "bin"
    if not os.access(bin_dir / "pulumi", os.X_OK):
        raise DemoError(f"the Pulumi CLI is not at {bin_dir / 'pulumi'}; run `make setup`.")
    return bin_dir


def pulumi_env() -> dict[str, str]:
    (DEMO / "state").mkdir(parents=True, exist_ok=True)
    (DEMO / "pulumi-home").mkdir(parents=True, exist_ok=True)
    env = dict(os.environ)
    # The interpreter comes from Pulumi.yaml (`virtualenv: .venv`), as for any `pulumi up` here.
    env.pop("PULUMI_PYTHON_CMD", None)
    env.update(
        {
            "PATH": f"{pulumi_bin()}{os.pathsep}{env.get('PATH', '')}",
            "PULUMI_BACKEND_URL": (DEMO / "state").as_uri(),
            "PULUMI_HOME": str(DEMO / "pulumi-home"),
            "PULUMI_SKIP_UPDATE_CHECK": "true",
            "PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION": "true",
            "PULUMI_CREDENTIAL_STORE": "plaintext",
        }
    )
    env.setdefault("PULUMI_CONFIG_PASSPHRASE", "cartesia-demo")
    return env


def pulumi(*args: str, check: bool = True, quiet: bool = False) -> int:
    """Run ``pulumi <args>`` at the root; on failure (``check``) show its message, then end."""
    # The stack's config file lives in .demo/ too (not next to Pulumi.yaml), so the demo never
    # writes into the work tree.
    cmd = ["pulumi", *args, "--non-interactive", "--color", "never"]
    if args[0] in ("config", "up", "destroy", "preview", "refresh"):
        cmd += ["--config-file", str(DEMO / f"Pulumi.{STACK}.yaml")]
    out = subprocess.PIPE if quiet else None
    proc = subprocess.run(cmd, cwd=ROOT, env=pulumi_env(), text=True, stdout=out, stderr=out)
    if check and proc.returncode != 0:
        if quiet:
            sys.stderr.write(proc.stderr or proc.stdout or "")
        name = " ".join(a for a in args[:2] if not a.startswith("-"))
        raise DemoError(f"`pulumi {name}` failed (exit code {proc.returncode}); its message is above.")
    return proc.returncode


def configure_stack(url: str) -> None:
    pulumi("stack", "select", "--create", STACK, quiet=True)
    # `stack select --create` has no --config-file and writes the new stack's encryption salt
    # next to Pulumi.yaml; move it to where every other command reads the config from.
    created = ROOT / f"Pulumi.{STACK}.yaml"
    if created.exists():
        if not (DEMO / created.name).exists():
            shutil.move(created, DEMO / created.name)
        else:
            created.unlink()
    args = ["config", "set-all", "--stack", STACK]
    for key, value in config(url).items():
        args += ["--plaintext", f"{key}={value}"]
    for key, value in SECRETS.items():
        args += ["--secret", f"{key}={value}"]
    pulumi(*args, quiet=True)


def show_inventory(url: str) -> None:
    """Print what exists in Cartesia now, read back through the API client."""
    try:
        with CartesiaClient(API_KEY, base_url=url) as client:
            providers = client.providers.list()
            numbers = list(client.phone_numbers.iter())
    except CartesiaError as exc:
        raise DemoError(f"could not read back what exists in the emulator at {url} ({exc}).") from None
    print("\nWhat exists in Cartesia (emulator) now:")
    for p in providers:
        label = f"  label={p.label!r}" if p.label else ""
        print(f"  provider {p.id}  twilio {p.account_sid}  region={p.region}  key={p.api_key_sid}{label}")
    for n in sorted(numbers, key=lambda n: n.number):
        agent = f"{n.agent.id} ({n.agent.name})" if n.agent else "unassigned"
        print(f"  number   {n.number:<14} {n.id}  label={n.label!r:<22} -> {agent}")
    if not providers and not numbers:
        print("  nothing")


def up() -> None:
    start = time.monotonic()
    url = ensure_emulator(demo_port())
    configure_stack(url)
    pulumi("up", "--yes", "--stack", STACK)
    show_inventory(url)
    print(f"\nmake demo took {time.monotonic() - start:.1f}s; run it again: it reports no changes.")


def down() -> None:
    if (DEMO / "state").exists():
        url = ensure_emulator(demo_port())  # destroy needs the API
        configure_stack(url)  # the emulator may have moved to another port
        pulumi("destroy", "--yes", "--stack", STACK, check=False)
        pulumi("stack", "rm", "--yes", STACK, check=False, quiet=True)
    stop_emulator()
    shutil.rmtree(DEMO, ignore_errors=True)
    print("demo removed")


def main() -> int:
    """Run `up` or `down`; one sentence on stderr and exit 1 when the demo cannot go on."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("action", choices=["up", "down"])
    args = parser.parse_args()
    try:
        up() if args.action == "up" else down()
    except DemoError as exc:
        print(f"make demo: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("make demo: interrupted", file=sys.stderr)
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
