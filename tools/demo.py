"""`make demo` / `make demo-down`: the quickstart deployed offline against the local emulator.

`up`:   starts the emulator with its demo seed and a durable data file (or reuses one already
        answering on the demo port), selects or creates the `demo` stack of the root project
        (Pulumi.yaml at the top of the repository, program in examples/quickstart), writes its
        config, runs `pulumi up`, then prints what now exists in Cartesia: the provider (masked
        key), the numbers and the agent each one routes to.
`down`: destroys the stack, removes it, stops the emulator and deletes `.demo/`.

Everything lives under `.demo/` (emulator data and log, file backend, PULUMI_HOME), so the demo
never touches a real Pulumi account or Cartesia. The same project runs against the real API with
`pulumi config set --secret cartesia:apiKey …` and no `cartesia:baseUrl` (see README).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx

from cartesia_pulumi.client import CartesiaClient

ROOT = Path(__file__).resolve().parents[1]
# Overridable so the demo's own test can run beside a developer's demo without touching it.
DEMO = Path(os.environ.get("CARTESIA_DEMO_DIR", ROOT / ".demo")).resolve()
PORT = int(os.environ.get("CARTESIA_DEMO_PORT", "8787"))
URL = f"http://127.0.0.1:{PORT}"
STACK = os.environ.get("CARTESIA_DEMO_STACK", "demo")
PROJECT = "cartesia-quickstart"
API_KEY = "sk_car_demo_key"  # the emulator's demo organisation (not a real key)

# Values from the emulator's demo seed (docs/architecture.md §1).
CONFIG = {
    f"{PROJECT}:twilioAccountSid": "AC0123456789abcdef0123456789abcdef",
    f"{PROJECT}:twilioApiKeySid": "SK0123456789abcdef0123456789abc001",
    f"{PROJECT}:region": "us1",
    f"{PROJECT}:numbers": json.dumps(["+14155550100", "+14155550101"]),
    f"{PROJECT}:agentId": "agent_support",
    "cartesia:baseUrl": URL,
}
SECRETS = {
    f"{PROJECT}:twilioApiKeySecret": "demo-us1-secret-1",
    "cartesia:apiKey": API_KEY,
}


def pulumi_bin() -> Path:
    explicit = os.environ.get("CARTESIA_PULUMI_BIN")
    if explicit:
        return Path(explicit)
    prefix = subprocess.run(
        [str(ROOT / "tools" / "build-pulumi.sh"), "--prefix"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    return Path(prefix) / "bin"


def pulumi_env() -> dict[str, str]:
    (DEMO / "state").mkdir(parents=True, exist_ok=True)
    (DEMO / "pulumi-home").mkdir(parents=True, exist_ok=True)
    env = dict(os.environ)
    env.update(
        {
            "PATH": f"{pulumi_bin()}{os.pathsep}{env.get('PATH', '')}",
            "PULUMI_BACKEND_URL": (DEMO / "state").as_uri(),
            "PULUMI_HOME": str(DEMO / "pulumi-home"),
            "PULUMI_SKIP_UPDATE_CHECK": "true",
            "PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION": "true",
            "PULUMI_CREDENTIAL_STORE": "plaintext",
            "PULUMI_PYTHON_CMD": sys.executable,
        }
    )
    env.setdefault("PULUMI_CONFIG_PASSPHRASE", "cartesia-demo")
    return env


def pulumi(*args: str, check: bool = True, quiet: bool = False) -> subprocess.CompletedProcess[str]:
    # The stack's config file lives in .demo/ too (not next to Pulumi.yaml), so the demo never
    # writes into the work tree.
    cmd = ["pulumi", *args, "--non-interactive", "--color", "never"]
    if args[0] in ("config", "up", "destroy", "preview", "refresh"):
        cmd += ["--config-file", str(DEMO / f"Pulumi.{STACK}.yaml")]
    out = subprocess.PIPE if quiet else None
    return subprocess.run(cmd, cwd=ROOT, env=pulumi_env(), check=check, text=True, stdout=out, stderr=out)


def emulator_alive() -> bool:
    try:
        return httpx.get(f"{URL}/_emulator/state", timeout=1.0).status_code == 200
    except httpx.HTTPError:
        return False


def start_emulator() -> None:
    if emulator_alive():
        print(f"emulator: reusing the one at {URL}")
        return
    DEMO.mkdir(exist_ok=True)
    log = (DEMO / "emulator.log").open("ab")
    proc = subprocess.Popen(
        [sys.executable, "-m", "cartesia_pulumi.emulator", "--port", str(PORT),
         "--data", str(DEMO / "emulator.sqlite"), "--demo"],
        cwd=ROOT, stdout=log, stderr=log, stdin=subprocess.DEVNULL, start_new_session=True,
    )
    (DEMO / "emulator.pid").write_text(str(proc.pid))
    deadline = time.monotonic() + 20
    while not emulator_alive():
        if proc.poll() is not None or time.monotonic() > deadline:
            sys.exit(f"emulator did not start; see {DEMO / 'emulator.log'}")
        time.sleep(0.1)
    print(f"emulator: started at {URL} (data {DEMO / 'emulator.sqlite'}, pid {proc.pid})")


def stop_emulator() -> None:
    pid_file = DEMO / "emulator.pid"
    if not pid_file.exists():
        return
    pid = int(pid_file.read_text())
    try:
        os.kill(pid, signal.SIGTERM)
        for _ in range(50):
            os.kill(pid, 0)
            time.sleep(0.1)
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    pid_file.unlink()
    print("emulator: stopped")


def configure_stack() -> None:
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
    for key, value in CONFIG.items():
        args += ["--plaintext", f"{key}={value}"]
    for key, value in SECRETS.items():
        args += ["--secret", f"{key}={value}"]
    pulumi(*args, quiet=True)


def show_inventory() -> None:
    """Print what exists in Cartesia now, read back through the API client."""
    with CartesiaClient(API_KEY, base_url=URL) as client:
        providers = client.providers.list()
        numbers = list(client.phone_numbers.iter())
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
    start_emulator()
    configure_stack()
    pulumi("up", "--yes", "--stack", STACK)
    show_inventory()
    print(f"\nmake demo took {time.monotonic() - start:.1f}s; run it again: it reports no changes.")


def down() -> None:
    if (DEMO / "state").exists():
        if not emulator_alive():
            start_emulator()  # destroy needs the API
        pulumi("destroy", "--yes", "--stack", STACK, check=False)
        pulumi("stack", "rm", "--yes", STACK, check=False, quiet=True)
    stop_emulator()
    shutil.rmtree(DEMO, ignore_errors=True)
    print("demo removed")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("action", choices=["up", "down"])
    args = parser.parse_args()
    up() if args.action == "up" else down()


if __name__ == "__main__":
    main()
