"""Outbound calls from an imported number: ``POST /agents/calls`` (docs/cartesia-api.md §2.13).

Cartesia places each call through the number's provider, so through its Twilio region. A POST is
never repeated after an ambiguous failure (a repeat could ring someone twice); only a 429 or a
connection that never opened is retried.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from cartesia_pulumi.client._paths import path_of
from cartesia_pulumi.client.models import OutboundCalls

if TYPE_CHECKING:
    from cartesia_pulumi.client._client import CartesiaClient


class Calls:
    """Outbound calls. Use through ``CartesiaClient.calls``."""

    def __init__(self, client: CartesiaClient) -> None:
        self._client = client

    def create(
        self,
        *,
        from_number_id: str,
        agent_id: str,
        to: Sequence[str],
        metadata: Mapping[str, Any] | None = None,
        ringing_timeout_seconds: int | None = None,
        max_call_duration_minutes: int | None = None,
    ) -> OutboundCalls:
        """Place one call per number in ``to`` (E.164), answered by ``agent_id``.

        Returns one result per target, in order: an ``agent_call_id`` or an ``error``.
        """
        body: dict[str, Any] = {
            "from_number_id": from_number_id,
            "agent_id": agent_id,
            "outbound_calls": [
                {"to_number": n, **({"metadata": dict(metadata)} if metadata else {})} for n in to
            ],
        }
        if ringing_timeout_seconds is not None:
            body["ringing_timeout_seconds"] = ringing_timeout_seconds
        if max_call_duration_minutes is not None:
            body["max_call_duration_minutes"] = max_call_duration_minutes
        return self._client.request(
            "POST", path_of("agents", "calls"), json=body, cast_to=OutboundCalls
        )
