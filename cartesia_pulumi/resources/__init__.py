"""The dynamic resources: `TwilioProvider`, `PhoneNumber`, `NumberAssignment` (and `Noop`)."""

from cartesia_pulumi.resources._base import CartesiaResourceError
from cartesia_pulumi.resources.number_assignment import (
    NumberAssignment,
    NumberAssignmentArgs,
    NumberAssignmentLifecycle,
)
from cartesia_pulumi.resources.phone_number import (
    PhoneNumber,
    PhoneNumberArgs,
    PhoneNumberLifecycle,
)
from cartesia_pulumi.resources.twilio_provider import (
    TwilioProvider,
    TwilioProviderArgs,
    TwilioProviderLifecycle,
    mask_matches,
)

__all__ = [
    "CartesiaResourceError",
    "NumberAssignment",
    "NumberAssignmentArgs",
    "NumberAssignmentLifecycle",
    "PhoneNumber",
    "PhoneNumberArgs",
    "PhoneNumberLifecycle",
    "TwilioProvider",
    "TwilioProviderArgs",
    "TwilioProviderLifecycle",
    "mask_matches",
]
