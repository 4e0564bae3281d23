"""Moving a stack from the dynamic resources to the ``cartesia`` plugin, without touching Cartesia.

From an exported deployment (``pulumi stack export``), :func:`plan` finds the dynamic
``TwilioProvider``, ``PhoneNumber`` and ``NumberAssignment`` resources and returns

* the bulk import file for ``pulumi import --file``: each one as the plugin's type under the same
  name (and parent), with the plugin's import id (docs/native-provider.md): a provider and a
  number by their Cartesia id, an assignment by the id of the number it routes;
* the URNs of the dynamic ones for ``pulumi state delete``, dependents first (assignments,
  numbers, providers), plus the dynamic-provider plugin's default provider when nothing else
  uses it.

Both steps only change Pulumi's state: the import reads each object from Cartesia, the deletion
forgets the dynamic entries. docs/migrating-to-the-plugin.md gives the whole procedure.
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass, field
from typing import Any

#: dynamic resource type -> the plugin's type token.
TYPES = {
    "pulumi-python:dynamic/cartesia:TwilioProvider": "cartesia:index:TwilioProvider",
    "pulumi-python:dynamic/cartesia:PhoneNumber": "cartesia:index:PhoneNumber",
    "pulumi-python:dynamic/cartesia:NumberAssignment": "cartesia:index:NumberAssignment",
}
#: Order of ``pulumi state delete``: a resource only after everything that depends on it.
_DELETE_ORDER = ("NumberAssignment", "PhoneNumber", "TwilioProvider")
_DYNAMIC_PROVIDER = "pulumi:providers:pulumi-python"


class MigrationError(ValueError):
    """The deployment cannot be migrated as it is; the message says which resource and why."""


@dataclass
class Plan:
    """What to import and what to forget."""

    #: ``{"resources": [...], "nameTable": {...}}``, the ``pulumi import --file`` format.
    import_file: dict[str, Any]
    #: URNs for ``pulumi state delete``, in a safe order.
    delete_urns: list[str]
    #: counts per kind, for the summary line.
    counts: dict[str, int] = field(default_factory=dict)

    def delete_command(self, stack: str | None = None) -> str:
        """The ``pulumi state delete`` command line (shell-quoted) for :attr:`delete_urns`."""
        args = ["pulumi", "state", "delete"]
        if stack:
            args += ["--stack", stack]
        args += ["--yes", *self.delete_urns]
        return " ".join(shlex.quote(a) for a in args)


def _name(urn: str) -> str:
    return urn.rsplit("::", 1)[-1]


def _import_id(kind: str, res: dict[str, Any]) -> str:
    urn = str(res.get("urn", ""))
    if kind == "NumberAssignment":
        number = (res.get("outputs") or {}).get("phone_number_id") or (res.get("inputs") or {}).get(
            "phone_number_id"
        )
        if not isinstance(number, str) or not number:
            raise MigrationError(
                f"{urn} has no phone_number_id in the state; run pulumi refresh, then migrate again."
            )
        return number
    rid = res.get("id")
    if not isinstance(rid, str) or not rid:
        raise MigrationError(f"{urn} has no id in the state (never created?); run pulumi up first.")
    return rid


def plan(deployment: dict[str, Any]) -> Plan:
    """The import file and the state deletions for an exported deployment (its ``deployment``).

    Raises:
        MigrationError: no dynamic cartesia resource in the deployment, a resource without an
            id, a pending operation, or one that is protected.
    """
    resources = list(deployment.get("resources") or [])
    pending = deployment.get("pending_operations") or []
    if pending:
        raise MigrationError(
            "The stack has pending operations from an interrupted update; finish them "
            "(pulumi refresh --clear-pending-creates) and migrate again."
        )
    urns = {str(r.get("urn")): r for r in resources}
    stack_urns = {u for u, r in urns.items() if r.get("type") == "pulumi:pulumi:Stack"}
    entries: list[dict[str, Any]] = []
    name_table: dict[str, str] = {}
    by_kind: dict[str, list[str]] = {k: [] for k in _DELETE_ORDER}
    ours: set[str] = set()
    for res in resources:
        token = TYPES.get(str(res.get("type", "")))
        if token is None or res.get("delete"):
            continue
        urn = str(res["urn"])
        kind = token.rsplit(":", 1)[-1]
        if res.get("protect"):
            raise MigrationError(
                f"{urn} is protected; remove protect from the program and run pulumi up, then "
                "migrate (pulumi state delete refuses protected resources)."
            )
        entry: dict[str, Any] = {"type": token, "name": _name(urn), "id": _import_id(kind, res)}
        parent = res.get("parent")
        if parent and parent not in stack_urns:
            # The parent (a component) stays as it is; the import puts the new resource under it.
            label = f"parent-{len(name_table)}"
            name_table[label] = str(parent)
            entry["parent"] = label
        entries.append(entry)
        by_kind[kind].append(urn)
        ours.add(urn)
    if not entries:
        raise MigrationError(
            "The stack has no dynamic TwilioProvider, PhoneNumber or NumberAssignment to migrate."
        )
    delete = [u for kind in _DELETE_ORDER for u in by_kind[kind]]
    # The dynamic-provider plugin's default provider goes too, when only our resources used it.
    for urn, res in urns.items():
        if res.get("type") != _DYNAMIC_PROVIDER:
            continue
        ref_prefix = f"{urn}::"
        users = {u for u, r in urns.items() if str(r.get("provider", "")).startswith(ref_prefix)}
        if users <= ours:
            delete.append(urn)
    doc: dict[str, Any] = {"resources": entries}
    if name_table:
        doc["nameTable"] = name_table
    return Plan(doc, delete, {k: len(v) for k, v in by_kind.items()})
