"""httpx + pydantic client for the Cartesia telephony API (architecture.md §2)."""

from cartesia_pulumi.client import _errors as errors
from cartesia_pulumi.client._client import CartesiaClient, check_base_url, is_loopback_host
from cartesia_pulumi.client._errors import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    CartesiaError,
    ConflictError,
    InternalServerError,
    NotFoundError,
    PaymentRequiredError,
    PermissionDeniedError,
    RateLimitError,
)
from cartesia_pulumi.client._retry import RetryPolicy
from cartesia_pulumi.client.models import (
    AgentRef,
    PhoneNumberModel,
    PhoneNumberPage,
    ProviderRef,
    TwilioProviderModel,
)
from cartesia_pulumi.client.providers import UNSET

__all__ = [
    "UNSET",
    "APIConnectionError",
    "APIStatusError",
    "APITimeoutError",
    "AgentRef",
    "AuthenticationError",
    "BadRequestError",
    "CartesiaClient",
    "CartesiaError",
    "ConflictError",
    "InternalServerError",
    "NotFoundError",
    "PaymentRequiredError",
    "PermissionDeniedError",
    "PhoneNumberModel",
    "PhoneNumberPage",
    "ProviderRef",
    "RateLimitError",
    "RetryPolicy",
    "TwilioProviderModel",
    "check_base_url",
    "errors",
    "is_loopback_host",
]
