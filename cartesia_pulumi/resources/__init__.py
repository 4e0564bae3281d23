"""The Pulumi dynamic resources: `TwilioProvider`, `PhoneNumber`, `NumberAssignment`.

Each module holds the resource class, its ``…Args`` and its dynamic-provider lifecycle (an adapter
over `cartesia_pulumi.core`). The lifecycles' import paths are recorded in every stack's state, so
they are a compatibility promise across releases.
"""

from cartesia_pulumi.core.errors import CartesiaResourceError
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
