"""Shared constants (the emulator's demo seed) and helpers for the unit tests."""

from __future__ import annotations

from typing import Any

from pulumi.dynamic import ConfigureRequest
from pulumi.dynamic.config import Config

from cartesia_pulumi.resources import TwilioProviderLifecycle

DEMO_KEY = "sk_car_demo_key"
ACCOUNT = "AC0123456789abcdef0123456789abcdef"
KEY_US1 = "SK0123456789abcdef0123456789abc001"
SECRET_US1 = "demo-us1-secret-1"
KEY_US1_B = "SK0123456789abcdef0123456789abc002"
SECRET_US1_B = "demo-us1-secret-2"
KEY_IE1 = "SK0123456789abcdef0123456789abc101"
SECRET_IE1 = "demo-ie1-secret-1"
STAGING = "ACfedcba9876543210fedcba9876543210"
STAGING_KEY_US1 = "SKfedcba9876543210fedcba9876543001"
STAGING_SECRET_US1 = "staging-us1-secret-1"


class SleepRecorder:
    """Injected sleep: records the requested delays, never sleeps."""

    def __init__(self) -> None:
        self.calls: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.calls.append(seconds)


class FakeTime:
    """Injected sleep + monotonic clock: sleeping advances the clock, nothing really waits."""

    def __init__(self, start: float = 1000.0) -> None:
        self.now = start
        self.sleeps: list[float] = []

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds

    def clock(self) -> float:
        return self.now


def configure_for(url: str, api_key: str = DEMO_KEY, **extra: str) -> None:
    """Do what the dynamic-provider server's configure() would do with this stack config."""
    raw = {"cartesia:apiKey": api_key, "cartesia:baseUrl": url, **extra}
    TwilioProviderLifecycle().configure(ConfigureRequest(Config(raw, "proj")))


def api_requests(emulator: Any) -> list[tuple[str, str]]:
    """(method, path) of every API request the emulator logged since the last clear."""
    return [(r["method"], r["path"]) for r in emulator.control.requests()]
