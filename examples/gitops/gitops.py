"""What the CI workflow runs: preview | apply | drift | review | review-destroy (pulumi CLI).

    python gitops.py preview [--stack production]   # pull requests: what merging would change
    python gitops.py apply   [--stack production]   # main branch: refresh + up, converge, verify
    python gitops.py drift   [--stack production]   # schedule: drift in Cartesia or git, verify
    python gitops.py review --pr 42 [--route N=AGENT] [--no-suffix]   # one pull request's stack
    python gitops.py review-destroy --pr 42         # its teardown when the PR closes

Runs the `pulumi` on PATH in the project directory next to this file. Backend, passphrase and
Cartesia credentials come from the environment (PULUMI_BACKEND_URL / PULUMI_ACCESS_TOKEN,
PULUMI_CONFIG_PASSPHRASE, CARTESIA_API_KEY, optionally CARTESIA_BASE_URL); the Twilio key secret
from $TWILIO_API_KEY_SECRET, stored as secret stack config before each run (never on argv).

* preview: `pulumi preview --refresh --diff`; it also shows what apply would undo (drift).
* apply:   `pulumi up --refresh --yes`, then `pulumi preview --expect-no-changes`, then
           `cartesia-pulumi verify --stack` (Twilio still accepts the keys, every number routes to
           its agent). The refresh matters: without it an out-of-band edit in Cartesia is
           invisible to `up`.
* drift:   `pulumi refresh --preview-only --expect-no-changes` (Cartesia differs from state),
           `pulumi preview --expect-no-changes` (git differs from state) and `verify` (a revoked
           Twilio key or a released number, which no refresh can see).
* review:  a stack per pull request on the production stack's provider (`Pulumi.review.yaml`):
           its numbers are `--route NUMBER=AGENT` or slot `pr % len(reviewNumbers)` of the pool.

Exit codes: 0 ok / no drift; 1 a pulumi command failed; 2 bad usage; 3 drift or a verify problem
found, or not converged after apply.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
PROJECT = "cartesia-gitops"
EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_DRIFT = 0, 1, 2, 3
#: What the CLI says when --expect-no-changes is violated, e.g. "error: no changes were expected
#: for refresh but changes were proposed" (v3.274.1 exits 7 for refresh; match the words).
NO_CHANGES_VIOLATED = ("no changes were expected", "but changes were proposed")


class PulumiFailed(Exception):
    pass


class Runner:
    def __init__(self, work_dir: Path, stack: str) -> None:
        self.work_dir = work_dir
        self.stack = stack

    def run(
        self, *args: str, stdin: str | None = None, check: bool = True
    ) -> subprocess.CompletedProcess[str]:
        cmd = ["pulumi", *args, "--stack", self.stack, "--non-interactive", "--color", "never"]
        print(f"$ {' '.join(cmd)}", flush=True)
        proc = subprocess.run(cmd, cwd=self.work_dir, input=stdin, capture_output=True, text=True)
        sys.stdout.write(proc.stdout)
        sys.stderr.write(proc.stderr)
        sys.stdout.flush()
        if check and proc.returncode != 0:
            raise PulumiFailed(f"pulumi {args[0]} exited {proc.returncode}")
        return proc

    def expect_no_changes(self, *args: str) -> bool:
        """True if the command proposes no changes; False on changes; raises on other failures."""
        proc = self.run(*args, "--expect-no-changes", check=False)
        if proc.returncode == 0:
            return True
        text = (proc.stdout + proc.stderr).lower()
        if all(part in text for part in NO_CHANGES_VIOLATED):
            return False
        raise PulumiFailed(f"pulumi {args[0]} exited {proc.returncode}")


def select_stack(p: Runner, create: bool) -> None:
    args = ["stack", "select", p.stack] + (["--create"] if create else [])
    subprocess.run(  # `stack select` has no --stack flag; run it directly
        ["pulumi", *args, "--non-interactive", "--color", "never"],
        cwd=p.work_dir,
        check=True,
        capture_output=True,
        text=True,
    )
    secret = os.environ.get("TWILIO_API_KEY_SECRET")
    if secret:
        p.run("config", "set", "--secret", f"{PROJECT}:twilioApiKeySecret", stdin=secret)


def verify(p: Runner) -> int:
    """`cartesia-pulumi verify` of the stack, with this script's interpreter (the project venv)."""
    cmd = [sys.executable, "-m", "cartesia_pulumi.cli", "verify", "--stack", p.stack, "--cwd", str(p.work_dir)]
    print(f"$ cartesia-pulumi verify --stack {p.stack}", flush=True)
    proc = subprocess.run(cmd, cwd=p.work_dir, capture_output=True, text=True)
    sys.stdout.write(proc.stdout)
    sys.stderr.write(proc.stderr)
    sys.stdout.flush()
    if proc.returncode == 3:
        return EXIT_DRIFT
    if proc.returncode != 0:
        raise PulumiFailed(f"cartesia-pulumi verify exited {proc.returncode}")
    return EXIT_OK


def preview(p: Runner) -> int:
    p.run("preview", "--refresh", "--diff")
    return EXIT_OK


def apply(p: Runner) -> int:
    p.run("up", "--refresh", "--yes", "--skip-preview")
    if not p.expect_no_changes("preview"):
        print("gitops: NOT CONVERGED: a preview after the update still proposes changes")
        return EXIT_DRIFT
    if verify(p) != EXIT_OK:
        print(f"gitops: {p.stack} applied, but verify found problems (see above)")
        return EXIT_DRIFT
    print(f"gitops: {p.stack} applied, converged and verified")
    return EXIT_OK


def drift(p: Runner) -> int:
    found = []
    if not p.expect_no_changes("refresh", "--preview-only"):
        found.append("Cartesia differs from the stack's state (out-of-band change)")
    if not p.expect_no_changes("preview"):
        found.append("the committed configuration is not applied yet")
    if verify(p) != EXIT_OK:
        found.append("verify found problems Pulumi cannot see (a revoked key, a released number)")
    if found:
        print("gitops: DRIFT: " + "; ".join(found) + ". Run `gitops.py apply` to converge.")
        return EXIT_DRIFT
    print(f"gitops: {p.stack}: no drift")
    return EXIT_OK


def review_stack(pr: int) -> str:
    return f"review-pr-{pr}"


def review_routes(p: Runner, pr: int, explicit: list[str]) -> dict[str, str]:
    """The review stack's routing table: `--route NUMBER=AGENT`s, else one number of the pool."""
    if explicit:
        routes = {}
        for spec in explicit:
            number, _, agent = spec.partition("=")
            if not number.startswith("+") or not agent:
                raise ValueError(f"--route {spec!r} must be NUMBER=AGENT, e.g. +14155550102=agent_support")
            routes[number] = agent
        return routes
    template = (p.work_dir / "Pulumi.review.yaml").read_text()
    pool = [line.split('"')[1] for line in template.splitlines() if line.strip().startswith('- "+')]
    agent = next(
        (line.split(":", 2)[2].strip() for line in template.splitlines() if ":reviewAgent:" in line),
        "",
    )
    if not pool or not agent:
        raise ValueError("Pulumi.review.yaml has no reviewNumbers/reviewAgent; pass --route NUMBER=AGENT")
    return {pool[pr % len(pool)]: agent}


def review(p: Runner, pr: int, no_suffix: bool, routes: list[str]) -> int:
    """Create (or update) the PR's stack from the `Pulumi.review.yaml` template and apply it."""
    table = review_routes(p, pr, routes)
    target = p.work_dir / f"Pulumi.{p.stack}.yaml"
    if not target.exists():
        target.write_text((p.work_dir / "Pulumi.review.yaml").read_text())
    select_stack(p, create=True)
    p.run("config", "set", f"{PROJECT}:reviewSuffix", "false" if no_suffix else "true")
    p.run("config", "set", f"{PROJECT}:routes", json.dumps(table))
    p.run("up", "--yes", "--skip-preview")
    return EXIT_OK


def review_destroy(p: Runner) -> int:
    p.run("destroy", "--yes", "--skip-preview")
    p.run("stack", "rm", "--yes")
    (p.work_dir / f"Pulumi.{p.stack}.yaml").unlink(missing_ok=True)
    return EXIT_OK


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="GitOps for Cartesia telephony.")
    parser.add_argument("--work-dir", type=Path, default=HERE, help=argparse.SUPPRESS)
    sub = parser.add_subparsers(dest="command", required=True)
    for name in ("preview", "apply", "drift"):
        cmd = sub.add_parser(name)
        cmd.add_argument("--stack", default="production")
        cmd.add_argument("--create", action="store_true", help="create the stack if missing")
    for name in ("review", "review-destroy"):
        cmd = sub.add_parser(name)
        cmd.add_argument("--pr", type=int, required=True, help="pull request number")
        if name == "review":
            cmd.add_argument(
                "--no-suffix",
                action="store_true",
                help="no RandomPet label suffix (when the pulumi-random plugin is unavailable)",
            )
            cmd.add_argument(
                "--route",
                action="append",
                default=[],
                metavar="NUMBER=AGENT",
                help="this review stack's numbers (default: one from reviewNumbers)",
            )
    args = parser.parse_args(argv)

    stack = review_stack(args.pr) if args.command.startswith("review") else args.stack
    p = Runner(args.work_dir, stack)
    try:
        if args.command == "review":
            return review(p, args.pr, args.no_suffix, args.route)
        select_stack(p, create=getattr(args, "create", False))
        if args.command == "review-destroy":
            return review_destroy(p)
        return {"preview": preview, "apply": apply, "drift": drift}[args.command](p)
    except ValueError as exc:
        print(f"gitops: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except (PulumiFailed, subprocess.CalledProcessError) as exc:
        stderr = getattr(exc, "stderr", None)
        print(f"gitops: {exc}{': ' + stderr.strip() if stderr else ''}", file=sys.stderr)
        return EXIT_FAILED


if __name__ == "__main__":
    sys.exit(main())
