"""Agent lookups (§2.16; U30-U34), the deprecated agent numbers route (§2.12) and deletion (U23)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from cartesia_pulumi.emulator.demo import AGENT_SALES, AGENT_SUPPORT, DEMO_ORG_ID
from cartesia_pulumi.emulator.testing import RunningEmulator
from tests.emulator.emulator_support import assert_error, headers, import_number, provision

LEGACY_FIELDS = {
    "id", "name", "description", "created_at", "updated_at", "tts_voice", "tts_language",
    "noise_suppression_level", "has_text_to_agent_run", "deployment_count", "webhook_id",
    "deleted_at", "git_repository", "git_deploy_branch", "phone_numbers",
}
SUMMARY_FIELDS = {"id", "name", "description", "created_at", "updated_at", "version_id"}


def _seed_agents(emulator: RunningEmulator, count: int) -> list[str]:
    """``count`` more demo agents, created in this order (so listed newest first: reversed)."""
    agents = [
        {"id": f"agent_extra_{i:02d}", "name": f"Extra {i}", "description": f"desk {i % 3}"}
        for i in range(count)
    ]
    emulator.control.seed({"organizations": [{"id": DEMO_ORG_ID, "agents": agents}]})
    return [a["id"] for a in agents]


# --- legacy /agents ----------------------------------------------------------------------------


def test_list_agents_legacy_returns_summaries_in_creation_order(
    api: httpx.Client, provider: dict[str, Any]
) -> None:
    """U30: {summaries: [AgentSummary]}, oldest first; phone_numbers lists assigned numbers."""
    n = import_number(api, provider["id"], agent_id=AGENT_SALES.id)
    r = api.get("/agents")
    assert r.status_code == 200, r.text
    summaries = r.json()["summaries"]
    assert [(s["id"], s["name"]) for s in summaries] == [AGENT_SUPPORT, AGENT_SALES]
    assert all(set(s) == LEGACY_FIELDS for s in summaries)
    assert summaries[1]["phone_numbers"] == [{"id": n["id"], "number": n["number"]}]
    assert summaries[0]["phone_numbers"] == []
    assert summaries[0]["created_at"].endswith("Z") and summaries[0]["deleted_at"] is None


def test_get_agent_legacy_returns_summary(api: httpx.Client) -> None:
    """U30: GET /agents/{agent_id} is the same AgentSummary as in the list."""
    got = api.get(f"/agents/{AGENT_SUPPORT.id}").json()
    assert got == api.get("/agents").json()["summaries"][0]


def test_get_agent_legacy_unknown_or_other_org_returns_404(
    api: httpx.Client, other_api: httpx.Client
) -> None:
    """U25: another organisation's agent is as invisible as an unknown one."""
    assert_error(api.get("/agents/agent_nope"), 404, "not_found")
    assert_error(other_api.get(f"/agents/{AGENT_SUPPORT.id}"), 404, "not_found")
    assert [s["id"] for s in other_api.get("/agents").json()["summaries"]] == ["agent_other"]


def test_get_agent_route_does_not_shadow_sibling_routes(api: httpx.Client) -> None:
    """U34/§2.15: /agents/{agent_id} never takes phone-numbers, calls, templates... for an ID."""
    assert api.get("/agents/phone-numbers").json() == {"data": [], "has_more": False}
    assert_error(api.get("/agents/calls"), 405, "method_not_allowed")
    body = assert_error(api.get("/agents/templates"), 404, "not_found")
    assert body["message"] == "No route for GET /agents/templates."
    assert_error(api.get("/v1/agents/models"), 404, "not_found")


# --- /v1/agents --------------------------------------------------------------------------------


def test_list_agents_v1_paginates_newest_first(
    api: httpx.Client, emulator: RunningEmulator
) -> None:
    """U31: limit default 10, newest first, next_page = last ID while has_more."""
    extra = _seed_agents(emulator, 12)
    newest_first = [*reversed(extra), AGENT_SALES.id, AGENT_SUPPORT.id]
    first = api.get("/v1/agents").json()
    assert [a["id"] for a in first["data"]] == newest_first[:10]
    assert first["has_more"] is True and first["next_page"] == newest_first[9]
    assert all(set(a) == SUMMARY_FIELDS for a in first["data"])
    second = api.get("/v1/agents", params={"starting_after": first["next_page"]}).json()
    assert [a["id"] for a in second["data"]] == newest_first[10:]
    assert second["has_more"] is False and second["next_page"] is None
    back = api.get("/v1/agents", params={"ending_before": newest_first[10], "limit": 3}).json()
    assert [a["id"] for a in back["data"]] == newest_first[7:10]
    assert back["has_more"] is True


def test_list_agents_v1_q_matches_name_and_description(
    api: httpx.Client, emulator: RunningEmulator
) -> None:
    """U31: case-insensitive substring over name or description."""
    _seed_agents(emulator, 6)

    def ids(q: str) -> set[str]:
        return {a["id"] for a in api.get("/v1/agents", params={"q": q, "limit": 100}).json()["data"]}

    assert ids("SUPPORT") == {AGENT_SUPPORT.id}
    assert ids("desk 1") == {"agent_extra_01", "agent_extra_04"}
    assert ids("nothing like it") == set()


@pytest.mark.parametrize(
    "params",
    [{"limit": "0"}, {"limit": "101"}, {"limit": "x"}, {"starting_after": "agent_nope"},
     {"starting_after": AGENT_SALES.id, "ending_before": AGENT_SALES.id}],
)
def test_list_agents_v1_with_bad_page_request_returns_400(
    api: httpx.Client, params: dict[str, str]
) -> None:
    """U15 as for phone numbers."""
    assert_error(api.get("/v1/agents", params=params), 400, "invalid_request")


def test_get_agent_v1_returns_managed_agent(api: httpx.Client) -> None:
    """U33: ManagedAgent = summary fields + config + version (whose id is the version_id)."""
    (summary,) = [a for a in api.get("/v1/agents").json()["data"] if a["id"] == AGENT_SALES.id]
    got = api.get(f"/v1/agents/{AGENT_SALES.id}").json()
    assert set(got) == {"id", "name", "description", "created_at", "updated_at", "config", "version"}
    assert got["version"]["id"] == summary["version_id"]
    assert {k: got[k] for k in ("id", "name", "description")} == {
        "id": AGENT_SALES.id, "name": AGENT_SALES.name, "description": None,
    }
    assert {"instructions", "model", "language", "audio", "tools", "system_tools"} <= set(
        got["config"]
    )


def test_get_agent_v1_unknown_or_other_org_returns_404(
    api: httpx.Client, other_api: httpx.Client
) -> None:
    assert_error(api.get("/v1/agents/agent_nope"), 404, "not_found")
    assert_error(other_api.get(f"/v1/agents/{AGENT_SALES.id}"), 404, "not_found")


@pytest.mark.parametrize("version", ["2025-04-16", "2026-03-01", "2026-08-14"])
@pytest.mark.parametrize("path", ["/agents", "/v1/agents", f"/v1/agents/{AGENT_SALES.id}"])
def test_agent_lookup_with_any_accepted_version_succeeds(emulator: RunningEmulator, path: str, version: str) -> None:
    """U32: no version is special on the agent routes."""
    assert httpx.get(emulator.url + path, headers=headers(version=version)).status_code == 200


def test_get_agent_v1_requires_api_key(emulator: RunningEmulator) -> None:
    """U1 applies to the agent routes too."""
    r = httpx.get(f"{emulator.url}/v1/agents", headers={"Cartesia-Version": "2026-03-01"})
    assert_error(r, 401, "unauthorized")


def test_seed_agent_rename_bumps_updated_at_only_on_change(
    api: httpx.Client, emulator: RunningEmulator
) -> None:
    before = api.get(f"/agents/{AGENT_SALES.id}").json()
    emulator.control.advance_clock(60)
    emulator.control.seed({"organizations": [{"id": DEMO_ORG_ID, "agents": [AGENT_SALES._asdict()]}]})
    assert api.get(f"/agents/{AGENT_SALES.id}").json()["updated_at"] == before["updated_at"]
    renamed = {"id": AGENT_SALES.id, "name": "Sales EMEA"}
    emulator.control.seed({"organizations": [{"id": DEMO_ORG_ID, "agents": [renamed]}]})
    after = api.get(f"/agents/{AGENT_SALES.id}").json()
    assert after["name"] == "Sales EMEA" and after["updated_at"] > before["updated_at"]
    assert after["created_at"] == before["created_at"]


# --- deprecated numbers route, deletion --------------------------------------------------------


def test_legacy_agent_numbers_lists_numbers_assigned_to_agent(
    api: httpx.Client, provider: dict[str, Any]
) -> None:
    """§2.12 (deprecated)."""
    import_number(api, provider["id"], agent_id=AGENT_SUPPORT.id)
    c = provision(api, agent_id=AGENT_SUPPORT.id).json()
    rows = api.get(f"/agents/{AGENT_SUPPORT.id}/phone-numbers").json()
    assert [r["number"] for r in rows] == ["+14155550100", c["number"]]
    assert [r["is_cartesia_managed"] for r in rows] == [False, True]
    assert set(rows[0]) == {"agent_id", "number", "created_at", "updated_at", "is_cartesia_managed"}
    assert_error(api.get("/agents/agent_nope/phone-numbers"), 404)


def test_delete_agent_unassigns_its_numbers(
    api: httpx.Client, provider: dict[str, Any], emulator: RunningEmulator
) -> None:
    """U23: numbers of a deleted agent become unassigned; the lookups then answer 404."""
    n = import_number(api, provider["id"], agent_id=AGENT_SALES.id)
    emulator.control.delete_agent(DEMO_ORG_ID, AGENT_SALES.id)
    assert api.get(f"/agents/phone-numbers/{n['id']}").json()["agent"] is None
    assert_error(api.get(f"/agents/{AGENT_SALES.id}"), 404)
    assert_error(api.get(f"/v1/agents/{AGENT_SALES.id}"), 404)
