"""Agent lookups: ``GET /agents/{agent_id}`` and ``GET /agents`` (docs/cartesia-api.md §2.16).

Only lookups: preview uses them to say that an ``agent_id`` does not exist before anything is
written. Agents themselves are made in Cartesia's Playground or CLI.
"""

from __future__ import annotations

import builtins
from typing import TYPE_CHECKING

from cartesia_pulumi.client._paths import path_of
from cartesia_pulumi.client.models import AgentList, AgentModel

if TYPE_CHECKING:
    from cartesia_pulumi.client._client import CartesiaClient


class Agents:
    """Agent lookups. Use through ``CartesiaClient.agents``."""

    def __init__(self, client: CartesiaClient) -> None:
        self._client = client

    def get(self, agent_id: str) -> AgentModel:
        """One agent (404 when it does not exist in this organisation)."""
        return self._client.request("GET", path_of("agents", agent_id), cast_to=AgentModel)

    def list(self) -> builtins.list[AgentModel]:
        """Every agent of the organisation (the legacy list is not paginated)."""
        return self._client.request("GET", path_of("agents"), cast_to=AgentList).summaries
