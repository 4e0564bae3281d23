"""The migration plan from an exported deployment: import entries, delete order, refusals.

The whole migration through the real CLI: tests/e2e/test_native_migration.py.
"""

from __future__ import annotations

import shlex
from typing import Any

import pytest

from cartesia_pulumi.provider.migrate import MigrationError, plan

PREFIX = "urn:pulumi:dev::proj::"
STACK = f"{PREFIX}pulumi:pulumi:Stack::proj-dev"
DYN_PROVIDER = f"{PREFIX}pulumi:providers:pulumi-python::default"
DYN_REF = f"{DYN_PROVIDER}::4c2f0a6e"


def _res(kind: str, name: str, rid: str, **extra: Any) -> dict[str, Any]:
    urn = f"{PREFIX}pulumi-python:dynamic/cartesia:{kind}::{name}"
    return {
        "urn": urn,
        "type": f"pulumi-python:dynamic/cartesia:{kind}",
        "id": rid,
        "parent": STACK,
        "provider": DYN_REF,
        "inputs": {},
        "outputs": {},
        **extra,
    }


def _deployment(*resources: dict[str, Any]) -> dict[str, Any]:
    return {
        "resources": [
            {"urn": STACK, "type": "pulumi:pulumi:Stack"},
            {"urn": DYN_PROVIDER, "type": "pulumi:providers:pulumi-python", "id": "4c2f0a6e"},
            *resources,
        ]
    }


def _stack() -> list[dict[str, Any]]:
    return [
        _res("TwilioProvider", "twilio", "ata_1"),
        _res("PhoneNumber", "line", "ap_1"),
        # The dynamic assignment's own id is not the plugin's import id: the number's is.
        _res("NumberAssignment", "line-agent", "asg-xyz", outputs={"phone_number_id": "ap_1"}),
    ]


def test_import_entries_use_the_plugin_types_names_and_ids() -> None:
    result = plan(_deployment(*_stack()))
    assert result.import_file == {
        "resources": [
            {"type": "cartesia:index:TwilioProvider", "name": "twilio", "id": "ata_1"},
            {"type": "cartesia:index:PhoneNumber", "name": "line", "id": "ap_1"},
            {"type": "cartesia:index:NumberAssignment", "name": "line-agent", "id": "ap_1"},
        ]
    }
    assert result.counts == {"NumberAssignment": 1, "PhoneNumber": 1, "TwilioProvider": 1}


def test_deletes_dependents_first_then_the_unused_dynamic_default_provider() -> None:
    result = plan(_deployment(*reversed(_stack())))
    assert [u.rsplit("::", 1)[-1] for u in result.delete_urns] == [
        "line-agent",
        "line",
        "twilio",
        "default",
    ]
    argv = shlex.split(result.delete_command("dev"))
    assert argv[:6] == ["pulumi", "state", "delete", "--stack", "dev", "--yes"]
    assert argv[6:] == result.delete_urns


def test_dynamic_default_provider_stays_when_another_dynamic_resource_uses_it() -> None:
    other = {
        "urn": f"{PREFIX}pulumi-python:dynamic:Resource::mine",
        "type": "pulumi-python:dynamic:Resource",
        "id": "x",
        "provider": DYN_REF,
    }
    result = plan(_deployment(*_stack(), other))
    assert DYN_PROVIDER not in result.delete_urns
    assert len(result.delete_urns) == 3


def test_a_resource_in_a_component_keeps_its_parent() -> None:
    component = f"{PREFIX}acme:Telephony::tel"
    number = _res("PhoneNumber", "line", "ap_1", parent=component)
    number["urn"] = f"{PREFIX}acme:Telephony$pulumi-python:dynamic/cartesia:PhoneNumber::line"
    result = plan(_deployment(number))
    (entry,) = result.import_file["resources"]
    assert entry["parent"] in result.import_file["nameTable"]
    assert result.import_file["nameTable"][entry["parent"]] == component
    assert entry["name"] == "line"


@pytest.mark.parametrize(
    ("deployment", "fragment"),
    [
        (_deployment(), "no dynamic TwilioProvider, PhoneNumber or NumberAssignment"),
        (_deployment(_res("PhoneNumber", "line", "ap_1", protect=True)), "is protected"),
        (_deployment(_res("NumberAssignment", "a", "x")), "has no phone_number_id"),
        (_deployment(_res("PhoneNumber", "line", "")), "has no id"),
        ({**_deployment(*_stack()), "pending_operations": [{"type": "creating"}]}, "pending"),
    ],
)
def test_refusals_are_one_sentence(deployment: dict[str, Any], fragment: str) -> None:
    with pytest.raises(MigrationError) as info:
        plan(deployment)
    message = str(info.value)
    assert fragment in message, message
    assert message.count(". ") == 0 and message.endswith("."), message
