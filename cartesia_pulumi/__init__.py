"""cartesia-pulumi: Pulumi dynamic resources for Cartesia voice-agent telephony.

Resources: `TwilioProvider`, `PhoneNumber`, `NumberAssignment` (each with an ``...Args`` class).
Client: `CartesiaClient` and its error tree. Settings: `cartesia_pulumi.config.Settings`.
"""

from cartesia_pulumi._version import __version__ as __version__
from cartesia_pulumi.client import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    CartesiaClient,
    CartesiaError,
    ConflictError,
    InternalServerError,
    NotFoundError,
    PaymentRequiredError,
    PermissionDeniedError,
    RateLimitError,
)
from cartesia_pulumi.config import ConfigurationError, Settings
from cartesia_pulumi.resources import (
    CartesiaResourceError,
    NumberAssignment,
    NumberAssignmentArgs,
    PhoneNumber,
    PhoneNumberArgs,
    TwilioProvider,
    TwilioProviderArgs,
)

__all__ = [
    "APIConnectionError",
    "APIStatusError",
    "APITimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "CartesiaClient",
    "CartesiaError",
    "CartesiaResourceError",
    "ConfigurationError",
    "ConflictError",
    "InternalServerError",
    "NotFoundError",
    "NumberAssignment",
    "NumberAssignmentArgs",
    "PaymentRequiredError",
    "PermissionDeniedError",
    "PhoneNumber",
    "PhoneNumberArgs",
    "RateLimitError",
    "Settings",
    "TwilioProvider",
    "TwilioProviderArgs",
]
