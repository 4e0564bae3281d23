"""Inline Pulumi programs (and emulator helpers) shared by the resource engine tests.

Programs are built from plain parameters so a test can describe "the quickstart graph with N
numbers" or "two providers, one number on the second" and then swap in an edited program with
``stack.set_program(...)``. Resource names are stable across edits: providers are named by the
key of the ``providers`` mapping, numbers by ``NumberSpec.name`` (default ``line-<index>``) and
their assignments ``<number name>-agent``, so changing a field keeps the same URN.

Every program exports ``provider_ids`` ({provider name: id}), ``number_ids``
({number name: id}) and ``assignment_agents`` ({number name: agent id}).

The demo values below are the emulator's DEMO_SEED (docs/emulator.md §4).
"""

from __future__ import annotations

import asyncio
import gc
import hashlib
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from typing import Any

import pulumi
import pytest
from pulumi import automation as auto

from cartesia_pulumi.emulator.control import EmulatorControl
from cartesia_pulumi.provider.schema import RESOURCES, to_camel, to_snake
from cartesia_pulumi.resources import NumberAssignment, PhoneNumber, TwilioProvider

# -- DEMO_SEED values -------------------------------------------------------------------------
PRODUCTION = "AC0123456789abcdef0123456789abcdef"
STAGING = "ACfedcba9876543210fedcba9876543210"
US1_KEY = "SK0123456789abcdef0123456789abc001"
US1_SECRET = "demo-us1-secret-1"
US1_KEY_2 = "SK0123456789abcdef0123456789abc002"
US1_SECRET_2 = "demo-us1-secret-2"
IE1_KEY = "SK0123456789abcdef0123456789abc101"
IE1_SECRET = "demo-ie1-secret-1"
US_NUMBERS = ("+14155550100", "+14155550101", "+14155550102")
SUPPORT = "agent_support"
SALES = "agent_sales"

#: API path prefix of phone numbers and providers (docs/cartesia-api.md).
NUMBERS_PATH = "/agents/phone-numbers"
PROVIDERS_PATH = "/agents/phone-numbers/providers"


# -- the two adapters ---------------------------------------------------------------------------

#: The adapters every parametrised engine test runs against: the dynamic resources
#: (`cartesia_pulumi.resources`) and the `cartesia` provider plugin (`cartesia_pulumi.provider`).
ADAPTERS = ("dynamic", "native")

#: Runs a test once per adapter; the test takes ``adapter: str``.
both_adapters = pytest.mark.parametrize("adapter", ADAPTERS)


class _NativeResource(pulumi.CustomResource):
    """A `cartesia:index:*` resource of the plugin, with the dynamic classes' snake_case surface.

    Not the generated SDK (built elsewhere): a plain ``CustomResource`` with the schema's
    camelCase names mapped to snake_case attributes, as generated Python SDKs do.
    """

    token = ""

    def __init__(
        self, name: str, opts: pulumi.ResourceOptions | None = None, **inputs: Any
    ) -> None:
        table = RESOURCES[self.token]
        props: dict[str, Any] = {k: v for k, v in inputs.items() if v is not None}
        for f in table.fields:
            props.setdefault(f.name, None)
        super().__init__(self.token, name, props, opts)

    def translate_input_property(self, prop: str) -> str:
        return to_camel(prop)

    def translate_output_property(self, prop: str) -> str:
        return to_snake(prop)


class NativeTwilioProvider(_NativeResource):
    token = "cartesia:index:TwilioProvider"


class NativePhoneNumber(_NativeResource):
    token = "cartesia:index:PhoneNumber"


class NativeNumberAssignment(_NativeResource):
    token = "cartesia:index:NumberAssignment"


#: adapter -> (TwilioProvider, PhoneNumber, NumberAssignment) classes.
CLASSES: Mapping[str, tuple[type, type, type]] = {
    "dynamic": (TwilioProvider, PhoneNumber, NumberAssignment),
    "native": (NativeTwilioProvider, NativePhoneNumber, NativeNumberAssignment),
}


@dataclass(frozen=True)
class ProviderSpec:
    """Inputs of one `TwilioProvider`."""

    account_sid: str = PRODUCTION
    api_key_sid: str = US1_KEY
    api_key_secret: str = US1_SECRET
    region: str | None = "us1"
    label: str | None = None
    adopt: bool | None = None


#: The us1 provider of the production account with key ...c001.
US1 = ProviderSpec()
#: The same account's ie1 provider.
IE1 = ProviderSpec(api_key_sid=IE1_KEY, api_key_secret=IE1_SECRET, region="ie1")


@dataclass(frozen=True)
class NumberSpec:
    """One `PhoneNumber` and, if ``agent_id`` is set, its `NumberAssignment`."""

    number: str
    provider: str = "twilio"
    agent_id: str | None = SUPPORT
    label: str | None = None
    adopt: bool | None = None
    name: str | None = None


@dataclass(frozen=True)
class Graph:
    """A whole program: providers by resource name, then numbers in order."""

    providers: Mapping[str, ProviderSpec] = field(default_factory=lambda: {"twilio": US1})
    numbers: Sequence[NumberSpec] = ()

    def number_name(self, index: int) -> str:
        return self.numbers[index].name or f"line-{index}"

    def with_provider(self, name: str = "twilio", **changes: Any) -> Graph:
        """A copy with fields of one provider changed."""
        providers = dict(self.providers)
        providers[name] = replace(providers[name], **changes)
        return Graph(providers, self.numbers)

    def with_number(self, index: int, **changes: Any) -> Graph:
        """A copy with fields of the number at ``index`` changed (same resource names)."""
        numbers = list(self.numbers)
        numbers[index] = replace(numbers[index], name=self.number_name(index), **changes)
        return Graph(self.providers, numbers)

    def program(self, adapter: str = "dynamic") -> Callable[[], None]:
        return telephony_program(self.providers, self.numbers, adapter=adapter)


def telephony_program(
    providers: Mapping[str, ProviderSpec],
    numbers: Iterable[NumberSpec] = (),
    *,
    adapter: str = "dynamic",
) -> Callable[[], None]:
    """An inline program declaring ``providers`` and ``numbers`` (see the module docstring) with
    the resource classes of ``adapter`` (`ADAPTERS`)."""
    providers = dict(providers)
    numbers = list(numbers)
    twilio_cls, number_cls, assignment_cls = CLASSES[adapter]

    def program() -> None:
        made: dict[str, Any] = {}
        for name, p in providers.items():
            made[name] = twilio_cls(
                name,
                account_sid=p.account_sid,
                api_key_sid=p.api_key_sid,
                # A plain string: the resource itself must make it secret.
                api_key_secret=p.api_key_secret,
                region=p.region,
                label=p.label,
                adopt=p.adopt,
            )
        number_ids: dict[str, Any] = {}
        agents: dict[str, Any] = {}
        for i, n in enumerate(numbers):
            name = n.name or f"line-{i}"
            phone = number_cls(
                name,
                number=n.number,
                provider_id=made[n.provider].id,
                label=n.label,
                adopt=n.adopt,
            )
            number_ids[name] = phone.id
            if n.agent_id is not None:
                route = assignment_cls(
                    f"{name}-agent", phone_number_id=phone.id, agent_id=n.agent_id
                )
                agents[name] = route.agent_id
        pulumi.export("provider_ids", {k: v.id for k, v in made.items()})
        pulumi.export("number_ids", number_ids)
        pulumi.export("assignment_agents", agents)

    return program


def quickstart(
    numbers: Sequence[str] = ("+14155550100", "+1 (415) 555-0101"),
    *,
    agent_id: str | None = SUPPORT,
    provider: ProviderSpec = US1,
) -> Graph:
    """The quickstart graph: one us1 provider, ``numbers`` on it, each assigned to ``agent_id``."""
    return Graph({"twilio": provider}, [NumberSpec(n, agent_id=agent_id) for n in numbers])


def quickstart_n(count: int, **kw: Any) -> Graph:
    """The quickstart graph with the first ``count`` demo US numbers (at most 3)."""
    assert 0 <= count <= len(US_NUMBERS), f"the demo seed has {len(US_NUMBERS)} US numbers"
    return quickstart(US_NUMBERS[:count], **kw)


# -- emulator helpers ---------------------------------------------------------------------------


def sha256_hex(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def org(control: EmulatorControl, org_id: str = "org_demo") -> dict[str, Any]:
    """The state dump of one organisation."""
    for o in control.state()["organizations"]:
        if o["id"] == org_id:
            return dict(o)
    raise AssertionError(f"organisation {org_id} not in the emulator state")


def providers_in(control: EmulatorControl) -> list[dict[str, Any]]:
    return list(org(control)["providers"])


def numbers_in(control: EmulatorControl) -> dict[str, dict[str, Any]]:
    """Phone numbers in the emulator by E.164 number."""
    return {n["number"]: n for n in org(control)["phone_numbers"]}


def api_calls(control: EmulatorControl) -> list[str]:
    """The request log as ``"METHOD /path"`` strings, oldest first (control routes excluded)."""
    return [f"{r['method']} {r['path']}" for r in control.requests()]


def writes(control: EmulatorControl) -> list[str]:
    """The non-GET part of :func:`api_calls`."""
    return [c for c in api_calls(control) if not c.startswith("GET ")]


# -- expected engine failures ----------------------------------------------------------------


@contextmanager
def engine_fails() -> Iterator[pytest.ExceptionInfo[auto.CommandError]]:
    """``pytest.raises(auto.CommandError)`` for an engine operation that must fail.

    Works around a Pulumi SDK leak: when the engine aborts an inline program, the Automation
    API's language server (pulumi/automation/_server.py, ``run``) cancels the program's pending
    tasks in a ``finally`` whose ``run_until_complete`` re-raises the tasks' ``RunError``, so
    its ``loop.close()`` is never reached. The unclosed loop is garbage-collected during some
    later test with a ResourceWarning, which ``filterwarnings=error`` turns into an error of
    that test. Close the loops the failed operation left behind, here.
    """
    before = {id(loop) for loop in _open_loops()}
    with pytest.raises(auto.CommandError) as info:
        yield info
    close_aborted_program_loops(before)


def _open_loops() -> list[asyncio.AbstractEventLoop]:
    return [
        o
        for o in gc.get_objects()
        if isinstance(o, asyncio.AbstractEventLoop) and not o.is_closed()
    ]


def close_aborted_program_loops(before: set[int], timeout: float = 10.0) -> None:
    """Close event loops opened since ``before`` once they have stopped running."""
    deadline = time.monotonic() + timeout
    while True:
        leftovers = [loop for loop in _open_loops() if id(loop) not in before]
        if all(not loop.is_running() for loop in leftovers) or time.monotonic() > deadline:
            break
        time.sleep(0.05)
    for loop in leftovers:
        if not loop.is_running():
            loop.close()
