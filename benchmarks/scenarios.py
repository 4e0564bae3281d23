"""What the benchmark deploys and what it expects: workload S(N), floor F(N), operations, targets.

* **S(N)**, the workload: one ``TwilioProvider``, N ``PhoneNumber`` (each on the provider), N
  ``NumberAssignment`` (each on its number), 2N+1 dynamic resources against the emulator.
* **F(N)**, the floor: the same graph (names, user inputs including the secret, dependencies)
  of :class:`benchmarks.floor.Floor` resources, which make no API call.

:data:`REQUESTS` is the one table of API request counts per operation of S(N): what today's
resources make (exact, by HTTP method; the smoke test in ``make test`` asserts it), the ideal,
and the target limit. Whoever changes how many requests a resource makes edits that table.
:data:`TARGETS` holds the time ratios the verdicts check.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pulumi

from benchmarks.floor import Floor
from cartesia_pulumi.emulator import DEMO_SEED
from cartesia_pulumi.resources import NumberAssignment, PhoneNumber, TwilioProvider

# -- workload inputs: read from the emulator's demo seed, not copied ---------------------------
_ORG = DEMO_SEED["organizations"][0]
_ACCOUNT = DEMO_SEED["twilio_accounts"][0]
_KEY = _ACCOUNT["api_keys"][0]
#: API key of the demo organisation the workload runs as.
API_KEY: str = _ORG["api_key"]
ACCOUNT_SID: str = _ACCOUNT["account_sid"]
KEY_SID: str = _KEY["sid"]
KEY_SECRET: str = _KEY["secret"]
REGION: str = _KEY["region"]
AGENT: str = _ORG["agents"][0]["id"]
#: First of the workload's Twilio numbers, +1415555{2000+i}; clear of the demo's own numbers.
NUMBER_BASE = 2000
#: TwilioProvider resources in S(N).
PROVIDERS = 1

#: The four measured operations, in the order each cycle runs them.
OPERATIONS = ("up", "preview", "refresh", "destroy")
#: Worker threads of Pulumi's Python dynamic-provider server (``ThreadPoolExecutor(max_workers=4)``
#: in ``pulumi/dynamic/__main__.py``): at most this many API requests are in flight at once.
DYNAMIC_SERVER_THREADS = 4


def number_of(i: int) -> str:
    """E.164 of the workload's i-th Twilio number."""
    return f"+1415555{NUMBER_BASE + i:04d}"


#: The workload's resource classes: (TwilioProvider, PhoneNumber, NumberAssignment). The dynamic
#: resources by default; ``benchmarks/native.py`` passes the plugin's (generated SDK) classes.
WorkloadClasses = tuple[Callable[..., Any], Callable[..., Any], Callable[..., Any]]
DYNAMIC_CLASSES: WorkloadClasses = (TwilioProvider, PhoneNumber, NumberAssignment)


def workload_program(n: int, classes: WorkloadClasses = DYNAMIC_CLASSES) -> Callable[[], None]:
    """S(N): TwilioProvider -> N PhoneNumber -> N NumberAssignment, built from ``classes``."""
    provider_cls, number_cls, assignment_cls = classes

    def program() -> None:
        provider = provider_cls(
            "provider",
            account_sid=ACCOUNT_SID,
            api_key_sid=KEY_SID,
            api_key_secret=KEY_SECRET,
            region=REGION,
        )
        for i in range(n):
            num = number_cls(
                f"number-{i}", number=number_of(i), provider_id=provider.id, label=f"bench {i}"
            )
            assignment_cls(f"assignment-{i}", phone_number_id=num.id, agent_id=AGENT)

    return program


def floor_program(n: int) -> Callable[[], None]:
    """F(N): the graph and user inputs of S(N), as Floor resources (no API calls)."""

    def program() -> None:
        provider = Floor(
            "provider",
            {
                "account_sid": ACCOUNT_SID,
                "api_key_sid": KEY_SID,
                "api_key_secret": pulumi.Output.secret(KEY_SECRET),
                "region": REGION,
            },
        )
        for i in range(n):
            num = Floor(
                f"number-{i}",
                {"number": number_of(i), "provider_id": provider.id, "label": f"bench {i}"},
            )
            Floor(f"assignment-{i}", {"phone_number_id": num.id, "agent_id": AGENT})

    return program


# -- API requests per operation of S(N) ---------------------------------------------------------


@dataclass(frozen=True)
class Requests:
    """API requests of one operation on S(N).

    Attributes:
        design: exact requests by HTTP method that today's resources make (the smoke test
            asserts equality; the benchmark marks any difference).
        ideal: the least any implementation needs; the latency bound uses it.
        limit: the target: the measured count must be at most this.
        design_text: ``design`` as a formula, for the table.
        ideal_text: ``ideal`` as a formula.
        limit_text: ``limit`` as a formula.
        why: what the resources do, in one line.
    """

    design: Callable[[int], dict[str, int]]
    ideal: Callable[[int], int]
    limit: Callable[[int], int]
    design_text: str
    ideal_text: str
    limit_text: str
    why: str

    def design_total(self, n: int) -> int:
        """Total of :attr:`design` at size ``n``."""
        return sum(self.design(n).values())


def _refresh_ideal(n: int) -> int:
    # One paginated list (100 numbers a page) serves every number and assignment, plus one
    # GET per provider.
    return math.ceil(n / 100) + PROVIDERS


def _pages(n: int) -> int:
    return math.ceil(n / 100)


#: THE table. Edit ``design`` when the resources change their requests.
REQUESTS: dict[str, Requests] = {
    "up": Requests(
        design=lambda n: {"GET": 2, "POST": n + 1, "PATCH": n},
        ideal=lambda n: 2 * n + 1,
        limit=lambda n: 2 * n + 1,
        design_text="2N+3",
        ideal_text="2N+1",
        limit_text="<= 2N+1",
        why=(
            "one POST per provider and number, one PATCH per assignment (the import's own answer "
            "says the number is free); plus the provider list that proves a lost create is ours and "
            "one agent list for preview's checks"
        ),
    ),
    "preview": Requests(
        design=lambda n: {},
        ideal=lambda n: 0,
        limit=lambda n: 0,
        design_text="0",
        ideal_text="0",
        limit_text="== 0",
        why="nothing changed, so check and diff ask nothing",
    ),
    "refresh": Requests(
        design=lambda n: {"GET": PROVIDERS + _pages(n)},
        ideal=_refresh_ideal,
        limit=lambda n: _refresh_ideal(n) + 2,
        design_text="ceil(N/100)+1",
        ideal_text="ceil(N/100)+1",
        limit_text="<= ceil(N/100)+1+2",
        why=(
            "one GET per provider; numbers and assignments from shared pages of 100 (at N <= 100 "
            "exact; above, concurrent reads may page the agent's list too)"
        ),
    ),
    "destroy": Requests(
        design=lambda n: {"GET": _pages(n), "PATCH": n, "DELETE": n + 1},
        ideal=lambda n: 2 * n + 1,
        limit=lambda n: 2 * n + 1,
        design_text="2N+1+ceil(N/100)",
        ideal_text="2N+1",
        limit_text="<= 2N+1",
        why=(
            "unassign is one PATCH, checked against the agent's shared list (still ours?); numbers "
            "and provider one DELETE each"
        ),
    ),
}


def requests_as_designed(op: str, n: int, by_method: dict[str, int]) -> bool:
    """True when the measured requests by method are exactly today's design."""
    return {k: v for k, v in by_method.items() if v} == REQUESTS[op].design(n)


def requests_within_limit(op: str, n: int, count: int) -> bool:
    """True when a measured request count meets the target limit."""
    return count <= REQUESTS[op].limit(n)


# -- time targets -----------------------------------------------------------------------------

#: Loopback targets: S/F at the largest size; growth is T(200)/T(50) of S; state bytes S/F.
TARGETS: dict[str, float] = {
    "up": 1.25,
    "preview": 1.1,
    "refresh": 1.3,
    "destroy": 1.25,
    "state_bytes_ratio": 1.5,
    "growth_200_over_50": 4.4,
}

#: Latency targets, checked at the largest latency size and RTT of the run (N=200,
#: 150 ms in ``make bench``). ``up``/``destroy``: S time / (F time + ideal x RTT / threads);
#: ``refresh``: S time / F time. No time target for the no-change preview (it must make 0
#: requests instead).
LATENCY_TARGETS: dict[str, tuple[str, float]] = {
    "up": ("vs_bound", 1.15),
    "refresh": ("vs_floor", 1.3),
    "destroy": ("vs_bound", 1.15),
}

#: Defaults of the latency mode: added milliseconds on every API route, and sizes.
LATENCY_MS = (50, 150)
LATENCY_SIZES = (50, 200)
#: Emulator fault route for "every API route" (control routes are never delayed).
LATENCY_ROUTE = ".*"
