"""Brownfield at size: ``cartesia-pulumi discover`` + the first ``pulumi up`` of what it wrote.

An organisation of N numbers (default 500) across three providers (us1, ie1, au1 of the demo's
production account), every other number assigned, is made through the public API in an emulator
subprocess. Then, timed and with the emulator's request log counted:

1. ``cartesia-pulumi discover`` (its reads: one provider list, one page per 100 numbers);
2. the first ``pulumi up`` of the generated project (the real CLI from its directory), which must
   adopt everything: no POST, no DELETE.

Usage: ``.venv/bin/python benchmarks/discover.py [--numbers 500] [--out FILE.json]``.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from cartesia_pulumi._types import Region  # noqa: E402
from cartesia_pulumi.client import CartesiaClient  # noqa: E402
from cartesia_pulumi.emulator import demo  # noqa: E402
from cartesia_pulumi.emulator.testing import EmulatorProcess  # noqa: E402
from cartesia_pulumi.testing import engine_env, find_pulumi_bin  # noqa: E402

KEYS: dict[Region, demo.TwilioKey] = {"us1": demo.PROD_US1, "ie1": demo.PROD_IE1, "au1": demo.PROD_AU1}


def _numbers(n: int) -> list[str]:
    return [f"+1628{5500000 + i:07d}" for i in range(n)]


def _seed(url: str, n: int, control: object) -> None:
    numbers = _numbers(n)
    control.seed({"twilio_accounts": [{"account_sid": demo.PROD_ACCOUNT_SID, "numbers": numbers}]})  # type: ignore[attr-defined]
    with CartesiaClient(demo.DEMO_API_KEY, base_url=url) as c:
        providers = [
            c.providers.create(
                account_sid=demo.PROD_ACCOUNT_SID, api_key_sid=k.sid, api_key_secret=k.secret, region=region
            ).id
            for region, k in KEYS.items()
        ]
        for i, number in enumerate(numbers):
            c.phone_numbers.import_(
                number=number,
                label=f"line {i}",
                provider_id=providers[i % 3],
                agent_id="agent_support" if i % 2 == 0 else None,
            )


def _requests(control: object) -> dict[str, int]:
    log = control.api_calls()  # type: ignore[attr-defined]
    return dict(Counter(call.split()[0] for call in log)) | {"total": len(log)}


def measure(n: int) -> dict[str, object]:
    """Run the scenario and return the figures."""
    with tempfile.TemporaryDirectory(prefix="cp-discover-") as tmp, EmulatorProcess(demo=True) as emu:
        root = Path(tmp)
        _seed(emu.url, n, emu.control)
        bin_dir = find_pulumi_bin()
        env = {k: v for k, v in os.environ.items() if not k.startswith("PULUMI_")}
        env.update(engine_env(root / "engine"))
        env.update({"PATH": f"{bin_dir}{os.pathsep}{env['PATH']}", "CARTESIA_API_KEY": demo.DEMO_API_KEY})
        out = root / "project"

        emu.control.clear_requests()
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "cartesia_pulumi.cli", "discover", "--out", str(out),
             "--base-url", emu.url, "--stack", "prod", "--progress", "never"],
            env=env, check=True, capture_output=True, text=True,
        )  # fmt: skip
        discover_s = time.perf_counter() - started
        discover_requests = _requests(emu.control)

        (out / "venv").symlink_to(Path(sys.executable).resolve().parents[1])

        def pulumi(*args: str) -> None:
            subprocess.run(["pulumi", *args, "--non-interactive"], cwd=out, env=env, check=True, capture_output=True, text=True)

        pulumi("stack", "init", "prod")
        config = ["config", "set-all", "--secret", f"cartesia:apiKey={demo.DEMO_API_KEY}"]
        for region, key in KEYS.items():
            config += ["--plaintext", f"twilio-{region}-apiKeySid={key.sid}", "--secret", f"twilio-{region}-apiKeySecret={key.secret}"]
        pulumi(*config)
        emu.control.clear_requests()
        started = time.perf_counter()
        pulumi("up", "--yes", "--skip-preview")
        up_s = time.perf_counter() - started
        up_requests = _requests(emu.control)
        resources = n + n // 2 + (n % 2) + 3
    return {
        "numbers": n,
        "resources": resources,
        "discover": {"seconds": round(discover_s, 2), "requests": discover_requests},
        "first_up": {"seconds": round(up_s, 2), "requests": up_requests},
        "writes_in_first_up": {k: v for k, v in up_requests.items() if k in ("POST", "DELETE")},
    }


def render(doc: dict[str, Any]) -> str:
    d, u = doc["discover"], doc["first_up"]
    return (
        f"Brownfield, {doc['numbers']} numbers on 3 providers ({doc['resources']} resources)\n"
        f"  discover        {d['seconds']:6.2f} s   requests {d['requests']}\n"
        f"  first pulumi up {u['seconds']:6.2f} s   requests {u['requests']}\n"
        f"  POST/DELETE in the first up: {doc['writes_in_first_up'] or 'none'}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--numbers", type=int, default=500)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args(argv)
    doc = measure(args.numbers)
    print(render(doc))
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(doc, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
