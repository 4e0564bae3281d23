"""Wire models. Unknown response fields and unknown enum values are ignored or kept as plain
strings, because Cartesia may add both within one API version (docs/cartesia-api.md §1)."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, model_validator

from cartesia_pulumi._types import DEFAULT_REGION

_FRACTION = re.compile(r"T\d{2}:\d{2}:\d{2}\.(\d+)")


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
    region: str = DEFAULT_REGION
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
    """A phone number (imported or Cartesia-provisioned).

    ``created_at_text`` keeps the timestamp as the server wrote it, so its precision is known
    (`created_at_resolution`): the documented example has whole seconds, other Cartesia endpoints
    write milliseconds.
    """

    id: str
    number: str
    label: str | None = None
    agent: AgentRef | None = None
    provider: ProviderRef | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    created_at_text: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _keep_created_text(cls, data: Any) -> Any:
        if isinstance(data, dict) and isinstance(data.get("created_at"), str):
            data = {**data, "created_at_text": data["created_at"]}
        return data

    @property
    def agent_id(self) -> str | None:
        """Id of the assigned agent, or ``None``."""
        return self.agent.id if self.agent else None

    @property
    def provider_id(self) -> str | None:
        """Id of the provider (``None`` for Cartesia-managed numbers)."""
        return self.provider.id if self.provider else None

    @property
    def created_epoch(self) -> float | None:
        """``created_at`` as epoch seconds (a naive timestamp is read as UTC)."""
        if self.created_at is None:
            return None
        created = self.created_at
        if created.tzinfo is None:
            created = created.replace(tzinfo=UTC)
        return created.timestamp()

    @property
    def created_at_resolution(self) -> float:
        """Seconds one unit of ``created_at`` stands for (1.0 without a fraction)."""
        match = _FRACTION.search(self.created_at_text or "")
        return 10.0 ** -len(match.group(1)) if match else 1.0


class AgentModel(_Wire):
    """An agent summary (only what this package uses; the API returns more)."""

    id: str
    name: str = ""


class AgentList(_Wire):
    """``GET /agents``."""

    summaries: list[AgentModel]


class CallResult(_Wire):
    """One target of ``POST /agents/calls``: a call id, or an error (a free-form object)."""

    number: str
    agent_call_id: str | None = None
    error: dict[str, Any] | None = None

    @property
    def placed(self) -> bool:
        return self.agent_call_id is not None and self.error is None

    @property
    def error_message(self) -> str:
        """The error's message (or its JSON) for display; empty when the call was placed."""
        if not self.error:
            return ""
        message = self.error.get("message") or self.error.get("detail")
        return str(message) if message else str(self.error)


class OutboundCalls(_Wire):
    """The answer of ``POST /agents/calls``: one result per target, in order."""

    calls: list[CallResult]


class PhoneNumberPage(_Wire):
    """One page of ``GET /agents/phone-numbers``."""

    data: list[PhoneNumberModel]
    has_more: bool = False
