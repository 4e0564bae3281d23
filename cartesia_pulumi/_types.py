"""Types and defaults shared by every layer: Twilio regions and the "not given" sentinel.

One place for the region list and its default (the API's ``TelephonyRegion``,
docs/cartesia-api.md §2.0), so the client, the resources, the emulator and the command-line tools
cannot disagree. ``NOT_GIVEN`` marks an argument that was left out, distinct from ``None``
(which, for example, sends JSON ``null`` to unassign an agent).
"""

from __future__ import annotations

from typing import Final, Literal, TypeAlias, TypeGuard, TypeVar, final

Region: TypeAlias = Literal["us1", "ie1", "au1"]
"""A Twilio region as Cartesia names it: US (``us1``), Ireland (``ie1``), Australia (``au1``)."""

REGIONS: Final[tuple[Region, ...]] = ("us1", "ie1", "au1")
"""Every region, in the order the API documents them."""

DEFAULT_REGION: Final[Region] = "us1"
"""The region Cartesia assumes when none is given."""


def is_region(value: object) -> bool:
    """True when ``value`` is exactly one of `REGIONS`."""
    return isinstance(value, str) and value in REGIONS


@final
class NotGiven:
    """The type of `NOT_GIVEN`: an argument the caller did not pass.

    Falsy, a singleton, and distinct from ``None`` so that "leave unchanged" and "set to null"
    can be told apart in a merge-patch.
    """

    _instance: NotGiven | None = None

    def __new__(cls) -> NotGiven:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __bool__(self) -> bool:
        return False

    def __repr__(self) -> str:
        return "NOT_GIVEN"

    def __reduce__(self) -> str:
        return "NOT_GIVEN"


NOT_GIVEN: Final = NotGiven()
"""Sentinel for "this argument was not given"."""

T = TypeVar("T")


def given(value: T | NotGiven) -> TypeGuard[T]:
    """True when ``value`` is anything but `NOT_GIVEN` (``None`` counts as given)."""
    return value is not NOT_GIVEN


__all__ = ["DEFAULT_REGION", "NOT_GIVEN", "REGIONS", "NotGiven", "Region", "given", "is_region"]
