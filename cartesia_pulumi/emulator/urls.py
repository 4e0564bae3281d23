"""Route table of the emulator: the Cartesia API routes and the control routes, in match order.

Order matters where paths share a prefix (``docs/cartesia-api.md §2.15``): fixed paths such as
``/agents/phone-numbers/providers`` and ``/agents/phone-numbers/provision`` come before their
``{id}`` siblings, and the agent routes ``/agents/{agent_id}`` and ``/v1/agents/{agent_id}``
use a path parameter that never matches the names of sibling routes (``phone-numbers``,
``calls``, ...; U34), so ``GET /agents/calls`` is a 405, not "agent 'calls' not found".
"""

from __future__ import annotations

from starlette.convertors import Convertor, register_url_convertor
from starlette.routing import Route

from cartesia_pulumi.emulator.control_api import ControlApi, Endpoint
from cartesia_pulumi.emulator.responses import CartesiaResponses

#: Path segments under ``/agents/`` and ``/v1/agents/`` that name routes, not agents.
RESERVED_AGENT_SEGMENTS = (
    "phone-numbers",
    "calls",
    "templates",
    "metrics",
    "deployments",
    "models",
    "tools",
)


class AgentIdConvertor(Convertor[str]):
    """An agent ID path segment: anything but a reserved route name."""

    regex = "(?!(?:" + "|".join(RESERVED_AGENT_SEGMENTS) + ")(?:/|$))[^/]+"

    def convert(self, value: str) -> str:
        return value

    def to_string(self, value: str) -> str:
        return value


register_url_convertor("cartesia_agent_id", AgentIdConvertor())

PN = "/agents/phone-numbers"
AGENT = "{agent_id:cartesia_agent_id}"


def api_routes(r: CartesiaResponses) -> list[Route]:
    """The emulated Cartesia routes (COVERAGE.md lists each with its rule function)."""
    w = r.wrap
    return [
        Route(f"{PN}/providers", w(r.list_providers), methods=["GET"]),
        Route(f"{PN}/providers", w(r.create_provider), methods=["POST"]),
        Route(f"{PN}/providers/{{provider_id}}", w(r.get_provider), methods=["GET"]),
        Route(f"{PN}/providers/{{provider_id}}", w(r.update_provider), methods=["PATCH"]),
        Route(f"{PN}/providers/{{provider_id}}", w(r.delete_provider), methods=["DELETE"]),
        Route(f"{PN}/provision", w(r.provision_number), methods=["POST"]),
        Route(PN, w(r.list_numbers), methods=["GET"]),
        Route(PN, w(r.import_number), methods=["POST"]),
        Route(f"{PN}/{{number_id}}", w(r.get_number), methods=["GET"]),
        Route(f"{PN}/{{number_id}}", w(r.update_number), methods=["PATCH"]),
        Route(f"{PN}/{{number_id}}", w(r.delete_number), methods=["DELETE"]),
        Route("/agents/calls", w(r.place_calls), methods=["POST"]),
        Route("/agents", w(r.list_agents), methods=["GET"]),
        Route(f"/agents/{AGENT}", w(r.get_agent), methods=["GET"]),
        Route(f"/agents/{AGENT}/phone-numbers", w(r.legacy_agent_numbers), methods=["GET"]),
        Route("/v1/agents", w(r.list_agents_v1), methods=["GET"]),
        Route(f"/v1/agents/{AGENT}", w(r.get_agent_v1), methods=["GET"]),
        Route("/twilio/call/outbound", w(r.legacy_outbound), methods=["POST"]),
    ]


def control_routes(c: ControlApi) -> list[Route]:
    """The control routes under ``/_emulator`` (``docs/emulator.md``), grouped by path."""
    table: dict[str, dict[str, Endpoint]] = {
        "/health": {"GET": c.health},
        "/seed": {"POST": c.seed},
        "/reset": {"POST": c.reset},
        "/state": {"GET": c.state},
        "/calls": {"GET": c.placed_calls},
        "/requests": {"GET": c.requests, "DELETE": c.clear_requests},
        "/requests/wait": {"GET": c.wait_for_request},
        "/faults": {"POST": c.add_fault, "GET": c.list_faults, "DELETE": c.clear_faults},
        "/settings": {"GET": c.settings, "POST": c.settings},
        "/clock": {"POST": c.clock},
        "/console/phone-numbers/{number_id}": {
            "PATCH": c.console_update_number,
            "DELETE": c.console_delete_number,
        },
        "/console/providers/{provider_id}": {"PATCH": c.console_update_provider},
        "/organizations/{org_id}/agents/{agent_id}": {"DELETE": c.delete_agent},
        "/twilio/accounts/{account_sid}/keys": {"POST": c.twilio_add_key},
        "/twilio/keys/{sid}/revoke": {"POST": c.twilio_revoke_key},
        "/twilio/accounts/{account_sid}/numbers": {"POST": c.twilio_add_number},
        "/twilio/accounts/{account_sid}/numbers/{number}": {"DELETE": c.twilio_remove_number},
    }
    return [
        Route("/_emulator" + path, c.wrap(endpoint), methods=[method])
        for path, by_method in table.items()
        for method, endpoint in by_method.items()
    ]
