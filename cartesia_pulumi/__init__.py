"""cartesia-pulumi: Pulumi resources for Cartesia voice-agent telephony.

Resources: `TwilioProvider`, `PhoneNumber`, `NumberAssignment` (each with an ``…Args`` class).
Lookups: `lookup_twilio_provider` (in a program) and `find_twilio_provider` (anywhere).
Client: `CartesiaClient` and its error tree. Settings: `cartesia_pulumi.config.Settings`.
Command line: ``cartesia-pulumi discover | call | verify``.
"""

from cartesia_pulumi._types import DEFAULT_REGION, REGIONS, Region
from cartesia_pulumi._version import __version__
from cartesia_pulumi.client import (
    APIConnectionError,
    APIResponseValidationError,
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
    TLSVerificationError,
)
from cartesia_pulumi.config import ConfigurationError, Settings
from cartesia_pulumi.lookups import find_twilio_provider, lookup_twilio_provider
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
    "DEFAULT_REGION",
    "REGIONS",
    "APIConnectionError",
    "APIResponseValidationError",
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
    "Region",
    "Settings",
    "TLSVerificationError",
    "TwilioProvider",
    "TwilioProviderArgs",
    "__version__",
    "find_twilio_provider",
    "lookup_twilio_provider",
]
