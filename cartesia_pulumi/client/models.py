"""Wire models. Unknown response fields and unknown enum values are ignored or kept as plain
strings, because Cartesia may add both within one API version (cartesia-api.md §1)."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict


class _Wire(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class TwilioProviderModel(_Wire):
    """A linked Twilio account (``/agents/phone-numbers/providers``).

    ``api_key_sid`` is partially masked by the server (R4); the secret is never returned.
    """

    id: str
    type: str = "twilio"
    account_sid: str = ""
    api_key_sid: str = ""
    region: str = "us1"
    label: str | None = None


class ProviderRef(_Wire):
    """The provider embedded in a phone number (Twilio, Cartesia or SIP trunk)."""

    type: str
    id: str | None = None
    account_sid: str | None = None
    api_key_sid: str | None = None
    region: str | None = None
    label: str | None = None


class AgentRef(_Wire):
    """The agent a number is assigned to."""

    id: str
    name: str = ""


class PhoneNumberModel(_Wire):
    """A phone number (imported or Cartesia-provisioned)."""

    id: str
    number: str
    label: str | None = None
    agent: AgentRef | None = None
    provider: ProviderRef | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None

    @property
    def agent_id(self) -> str | None:
        """Id of the assigned agent, or ``None``."""
        return self.agent.id if self.agent else None

    @property
    def provider_id(self) -> str | None:
        """Id of the provider (``None`` for Cartesia-managed numbers)."""
        return self.provider.id if self.provider else None


class PhoneNumberPage(_Wire):
    """One page of ``GET /agents/phone-numbers``."""

    data: list[PhoneNumberModel]
    has_more: bool = False
