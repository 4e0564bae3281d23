"""httpx + pydantic client for the Cartesia telephony API (docs/architecture.md, "Client")."""

from cartesia_pulumi.client import _errors as errors
from cartesia_pulumi.client._client import CartesiaClient, ServerClock
from cartesia_pulumi.client._errors import (
    APIConnectionError,
    APIResponseValidationError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    CartesiaError,
    ConflictError,
    InternalServerError,
    NotFoundError,
    PaginationError,
    PaymentRequiredError,
    PermissionDeniedError,
    RateLimitError,
    TLSVerificationError,
    is_ambiguous,
)
from cartesia_pulumi.client._paths import path_of
from cartesia_pulumi.client._retry import RetryPolicy
from cartesia_pulumi.client.models import (
    AgentModel,
    AgentRef,
    CallResult,
    OutboundCalls,
    PhoneNumberModel,
    PhoneNumberPage,
    ProviderRef,
    TwilioProviderModel,
)
from cartesia_pulumi.config import is_loopback_host

__all__ = [
    "APIConnectionError",
    "APIResponseValidationError",
    "APIStatusError",
    "APITimeoutError",
    "AgentModel",
    "AgentRef",
    "AuthenticationError",
    "BadRequestError",
    "CallResult",
    "CartesiaClient",
    "CartesiaError",
    "ConflictError",
    "InternalServerError",
    "NotFoundError",
    "OutboundCalls",
    "PaginationError",
    "PaymentRequiredError",
    "PermissionDeniedError",
    "PhoneNumberModel",
    "PhoneNumberPage",
    "ProviderRef",
    "RateLimitError",
    "RetryPolicy",
    "ServerClock",
    "TLSVerificationError",
    "TwilioProviderModel",
    "errors",
    "is_ambiguous",
    "is_loopback_host",
    "path_of",
]
