"""What the CI workflow runs: preview | apply | drift | review | review-destroy (pulumi CLI).

    python gitops.py preview [--stack production]   # pull requests: what merging would change
    python gitops.py apply   [--stack production]   # main branch: refresh + up, then verify
    python gitops.py drift   [--stack production]   # schedule: fail if Cartesia or git drifted
    python gitops.py review --pr 42 [--no-suffix]   # a short-lived stack for one pull request
    python gitops.py review-destroy --pr 42         # its teardown when the PR closes

Runs the `pulumi` on PATH in the project directory next to this file. Backend, passphrase and
Cartesia credentials come from the environment (PULUMI_BACKEND_URL / PULUMI_ACCESS_TOKEN,
PULUMI_CONFIG_PASSPHRASE, CARTESIA_API_KEY, optionally CARTESIA_BASE_URL); the Twilio key secret
from $TWILIO_API_KEY_SECRET, stored as secret stack config before each run (never on argv).

* preview: `pulumi preview --refresh --diff`; it also shows what apply would undo (drift).
* apply:   `pulumi up --refresh --yes`, then `pulumi preview --expect-no-changes`. The refresh
           matters: without it an out-of-band edit in Cartesia is invisible to `up`.
* drift:   `pulumi refresh --preview-only --expect-no-changes` (Cartesia differs from state) and
           `pulumi preview --expect-no-changes` (git differs from state).

Exit codes: 0 ok / no drift; 1 a pulumi command failed; 2 bad usage; 3 drift found (drift) or
not converged after apply (apply).
"""

from __future__ import annotations

import argparse
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


def preview(p: Runner) -> int:
    p.run("preview", "--refresh", "--diff")
    return EXIT_OK


def apply(p: Runner) -> int:
    p.run("up", "--refresh", "--yes", "--skip-preview")
    if not p.expect_no_changes("preview"):
        print("gitops: NOT CONVERGED: a preview after the update still proposes changes")
        return EXIT_DRIFT
    print(f"gitops: {p.stack} applied and converged")
    return EXIT_OK


def drift(p: Runner) -> int:
    found = []
    if not p.expect_no_changes("refresh", "--preview-only"):
        found.append("Cartesia differs from the stack's state (out-of-band change)")
    if not p.expect_no_changes("preview"):
        found.append("the committed configuration is not applied yet")
    if found:
        print("gitops: DRIFT: " + "; ".join(found) + ". Run `gitops.py apply` to converge.")
        return EXIT_DRIFT
    print(f"gitops: {p.stack}: no drift")
    return EXIT_OK


def review_stack(pr: int) -> str:
    return f"review-pr-{pr}"


def review(p: Runner, no_suffix: bool) -> int:
    """Create (or update) the PR's stack from the `Pulumi.review.yaml` template and apply it."""
    target = p.work_dir / f"Pulumi.{p.stack}.yaml"
    if not target.exists():
        target.write_text((p.work_dir / "Pulumi.review.yaml").read_text())
    select_stack(p, create=True)
    p.run("config", "set", f"{PROJECT}:reviewSuffix", "false" if no_suffix else "true")
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
    args = parser.parse_args(argv)

    stack = review_stack(args.pr) if args.command.startswith("review") else args.stack
    p = Runner(args.work_dir, stack)
    try:
        if args.command == "review":
            return review(p, args.no_suffix)
        select_stack(p, create=getattr(args, "create", False))
        if args.command == "review-destroy":
            return review_destroy(p)
        return {"preview": preview, "apply": apply, "drift": drift}[args.command](p)
    except (PulumiFailed, subprocess.CalledProcessError) as exc:
        stderr = getattr(exc, "stderr", None)
        print(f"gitops: {exc}{': ' + stderr.strip() if stderr else ''}", file=sys.stderr)
        return EXIT_FAILED


if __name__ == "__main__":
    sys.exit(main())
