"""Promote the multi-region program to one stack, safely (Pulumi Automation API).

    venv/bin/python promote.py STACK [--create] [--allow-replace] [--allow-delete] [--dry-run]

Run it with the project's venv (``virtualenv: venv`` in Pulumi.yaml), which has ``pulumi`` and
``cartesia-pulumi`` from requirements.txt.

1. Selects STACK of the project next to this file (``--create`` creates it if missing).
2. Stores the Twilio key secrets found in the environment as secret stack config:
   ``TWILIO_KEY_SECRET_US1`` / ``_IE1`` / ``_AU1`` -> ``twilioKeySecrets.<region>``.
   Cartesia credentials are read by the provider from ``cartesia:apiKey`` / ``cartesia:baseUrl``
   or from ``CARTESIA_API_KEY`` / ``CARTESIA_BASE_URL``.
3. Previews. Refuses to apply when the preview replaces or deletes anything, unless
   ``--allow-replace`` / ``--allow-delete`` says so (``--dry-run`` stops after the preview).
4. Applies (``pulumi up``), then previews again and requires "no changes" (converged).

Exit codes: 0 applied and converged (or nothing to do, or dry run without refusal);
1 an engine operation failed; 2 bad usage; 3 refused (replacements/deletions not allowed);
4 applied but not converged (the follow-up preview still shows changes).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from pulumi import automation as auto

HERE = Path(__file__).resolve().parent
PROJECT = "cartesia-multi-region"
REGIONS = ("us1", "ie1", "au1")

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_REFUSED, EXIT_NOT_CONVERGED = 0, 1, 2, 3, 4

REPLACE_OPS = frozenset(
    {"replace", "create-replacement", "delete-replaced", "import-replacement", "read-replacement"}
)
DELETE_OPS = frozenset({"delete", "discard"})
CHANGE_OPS = REPLACE_OPS | DELETE_OPS | {"create", "update", "import"}


@dataclass
class Plan:
    """What a preview would do, per resource (stack resource and unchanged ones excluded)."""

    ops: dict[str, set[str]] = field(default_factory=dict)  # urn -> ops

    def record(self, event: auto.EngineEvent) -> None:
        pre = event.resource_pre_event
        if pre is None:
            return
        op = getattr(pre.metadata.op, "value", pre.metadata.op)
        urn = pre.metadata.urn
        if "::pulumi:pulumi:Stack::" in urn or "::pulumi:providers:" in urn:
            return  # the stack itself and default providers are bookkeeping, not resources
        if op in CHANGE_OPS:
            self.ops.setdefault(urn, set()).add(str(op))

    def urns(self, kinds: frozenset[str]) -> list[str]:
        return sorted(urn for urn, ops in self.ops.items() if ops & kinds)

    @property
    def replaces(self) -> list[str]:
        return self.urns(REPLACE_OPS)

    @property
    def deletes(self) -> list[str]:
        # A replaced resource's old copy is "delete-replaced", not a deletion.
        return [u for u in self.urns(DELETE_OPS) if u not in self.replaces]

    @property
    def empty(self) -> bool:
        return not self.ops

    def describe(self) -> str:
        if self.empty:
            return "  no changes"
        return "\n".join(
            f"  {'/'.join(sorted(ops)):<18} {urn.split('::')[-2].rsplit(':', 1)[-1]:<16} "
            f"{urn.rsplit('::', 1)[-1]}"
            for urn, ops in sorted(self.ops.items())
        )


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description="Preview, guard, apply and verify one stack.")
    p.add_argument("stack", help="target stack, e.g. staging or production")
    p.add_argument("--create", action="store_true", help="create the stack if it does not exist")
    p.add_argument(
        "--allow-replace", action="store_true", help="apply even if resources are replaced"
    )
    p.add_argument(
        "--allow-delete", action="store_true", help="apply even if resources are deleted"
    )
    p.add_argument("--dry-run", action="store_true", help="preview and check the guards only")
    p.add_argument("--work-dir", type=Path, default=HERE, help=argparse.SUPPRESS)
    return p.parse_args(argv)


def open_stack(name: str, work_dir: Path, create: bool) -> auto.Stack:
    if create:
        return auto.create_or_select_stack(name, work_dir=str(work_dir))
    return auto.select_stack(name, work_dir=str(work_dir))


def store_env_secrets(stack: auto.Stack) -> list[str]:
    stored = []
    for region in REGIONS:
        value = os.environ.get(f"TWILIO_KEY_SECRET_{region.upper()}")
        if value:
            stack.set_config(
                f"{PROJECT}:twilioKeySecrets.{region}",
                auto.ConfigValue(value, secret=True),
                path=True,
            )
            stored.append(region)
    return stored


def preview(stack: auto.Stack, out: Callable[[str], object]) -> Plan:
    plan = Plan()
    stack.preview(on_event=plan.record, on_output=out, color="never", diff=False)
    return plan


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    say = print

    def quiet(_line: str) -> None:  # preview text is summarised by Plan instead
        return None

    try:
        stack = open_stack(args.stack, args.work_dir, args.create)
    except auto.StackNotFoundError:
        say(f"promote: stack {args.stack!r} does not exist (pass --create to create it)")
        return EXIT_USAGE
    stored = store_env_secrets(stack)
    if stored:
        say(f"promote: stored Twilio key secrets for {', '.join(stored)} from the environment")

    try:
        plan = preview(stack, quiet)
    except auto.CommandError as exc:
        say(f"promote: preview of {args.stack} failed:\n{exc}")
        return EXIT_FAILED
    say(f"promote: preview of {args.stack}:\n{plan.describe()}")

    refusals = []
    if plan.replaces and not args.allow_replace:
        refusals.append(f"{len(plan.replaces)} replacement(s); pass --allow-replace to apply")
    if plan.deletes and not args.allow_delete:
        refusals.append(f"{len(plan.deletes)} deletion(s); pass --allow-delete to apply")
    if refusals:
        say("promote: REFUSED: " + "; ".join(refusals))
        return EXIT_REFUSED
    if args.dry_run:
        say("promote: dry run, nothing applied")
        return EXIT_OK
    if plan.empty:
        say(f"promote: {args.stack} is already converged")
        return EXIT_OK

    try:
        stack.up(on_output=say, color="never")
    except auto.CommandError as exc:
        say(f"promote: pulumi up on {args.stack} failed:\n{exc}")
        return EXIT_FAILED

    try:
        after = preview(stack, quiet)
    except auto.CommandError as exc:
        say(f"promote: verification preview failed:\n{exc}")
        return EXIT_FAILED
    if not after.empty:
        say(f"promote: NOT CONVERGED, a preview after the update still shows:\n{after.describe()}")
        return EXIT_NOT_CONVERGED
    say(f"promote: {args.stack} applied and converged (a new preview shows no changes)")
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
