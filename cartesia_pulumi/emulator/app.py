"""HTTP layer of the emulator: routes, auth, Cartesia-Version, error envelope, control API, faults.

Nothing here decides a business rule; the rules live in ``providers.py``, ``phone_numbers.py``,
``calls.py`` and ``twilio.py``. This module only

* authenticates (U1: ``Authorization: Bearer <key>`` or ``X-API-Key``; missing/unknown → 401),
* checks ``Cartesia-Version`` (U2: missing or unknown → 400),
* decodes and validates bodies (U4: 400, never 422),
* renders :class:`ApiError` as the JSON envelope ``{error_code, title, message, request_id, ...}``
  or, for versions before 2026-03-01 when ``plain_text_errors_for_old_versions`` is on (U3/R20),
  as ``text/plain`` ``Title: Message``,
* serves the control API under ``/_emulator/`` (no auth, never logged, never faulted),
* applies injected faults and records the request log (:class:`EmulatorMiddleware`).
"""

from __future__ import annotations

import asyncio
import json
import threading
import time
import uuid
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from cartesia_pulumi.emulator import calls, phone_numbers, providers, seeds, twilio
from cartesia_pulumi.emulator.errors import ApiError, invalid_request, not_found
from cartesia_pulumi.emulator.faults import FaultRegistry
from cartesia_pulumi.emulator.schemas import (
    CreateProviderBody,
    ImportNumberBody,
    LegacyOutboundBody,
    OutboundCallBody,
    ProvisionBody,
    UpdateNumberBody,
    UpdateProviderBody,
    parse,
    require_e164,
)
from cartesia_pulumi.emulator.store import Store

#: U2: Cartesia-Version values accepted on every route.
ACCEPTED_VERSIONS = frozenset(
    {"2024-06-10", "2024-11-13", "2025-04-16", "2025-11-04", "2026-03-01", "2026-08-14"}
)
#: R20: versions from this date on always get structured JSON errors.
STRUCTURED_ERRORS_SINCE = "2026-03-01"

CONTROL_PREFIX = "/_emulator/"
TRANSPORT_EXTENSION = "cartesia_emulator.transport"
MAX_LOG = 100_000

Endpoint = Callable[[Request], Awaitable[Response]]


class Emulator:
    """Everything one emulator instance holds: the store, faults, request log and switches.

    Args:
        data: SQLite file for durable state, or ``None`` for an in-memory database.
        seed: seed applied at start-up if the database is fresh (see ``__main__``).
        demo: apply :data:`~cartesia_pulumi.emulator.seeds.DEMO_SEED` at start-up if fresh.
        plain_text_errors_for_old_versions: U3 switch (default off: JSON for every version).
    """

    def __init__(
        self,
        *,
        data: str | None = None,
        seed: Mapping[str, Any] | None = None,
        demo: bool = False,
        plain_text_errors_for_old_versions: bool = False,
    ) -> None:
        self.store = Store(data)
        self.faults = FaultRegistry()
        self.default_plain_text = plain_text_errors_for_old_versions
        self.plain_text_errors_for_old_versions = plain_text_errors_for_old_versions
        self._log: list[dict[str, Any]] = []
        self._log_seq = 0
        self._log_lock = threading.Lock()
        if self.store.is_empty():
            if demo:
                self.apply_seed(seeds.DEMO_SEED)
            if seed is not None:
                self.apply_seed(seed)

    # --- seeds / reset ---------------------------------------------------------------------

    def apply_seed(self, data: Mapping[str, Any]) -> None:
        """Validate and merge a seed (400 on a malformed seed)."""
        seed = seeds.parse_seed(dict(data))
        with self.store.write() as tx:
            seeds.apply_seed(tx, seed)
        if seed.settings.plain_text_errors_for_old_versions is not None:
            self.plain_text_errors_for_old_versions = seed.settings.plain_text_errors_for_old_versions

    def reset(self, demo: bool = False) -> None:
        """Drop all state, faults and the request log; optionally re-load the demo seed."""
        self.store.wipe()
        self.faults.clear()
        self.clear_log()
        self.plain_text_errors_for_old_versions = self.default_plain_text
        if demo:
            self.apply_seed(seeds.DEMO_SEED)

    # --- request log -----------------------------------------------------------------------

    def begin(self, method: str, path: str, query: str) -> dict[str, Any]:
        """Append a request to the log when it arrives; `finish` fills in the outcome.

        Logging at arrival keeps the log in arrival order and means `clear_log` also forgets
        requests still in flight (e.g. one held by a latency fault after its client gave
        up), so they cannot surface in a later test's log. Bounded to the last 100,000.
        """
        with self._log_lock:
            self._log_seq += 1
            entry: dict[str, Any] = {
                "seq": self._log_seq,
                "method": method,
                "path": path,
                "query": query,
                "status": None,
                "ms": None,
                "fault": None,
            }
            self._log.append(entry)
            if len(self._log) > MAX_LOG:
                del self._log[: len(self._log) - MAX_LOG]
            return entry

    def finish(
        self, entry: dict[str, Any], status: int | None, ms: float, fault: str | None
    ) -> None:
        """Record how a logged request ended (status None: the connection was dropped)."""
        with self._log_lock:
            entry.update(status=status, ms=round(ms, 3), fault=fault)

    def log(self) -> list[dict[str, Any]]:
        """The request log, oldest first."""
        with self._log_lock:
            return [dict(entry) for entry in self._log]

    def clear_log(self) -> None:
        """Empty the request log."""
        with self._log_lock:
            self._log.clear()

    # --- errors ----------------------------------------------------------------------------

    def error_response(
        self,
        err: ApiError,
        version: str | None,
        headers: Mapping[str, str] | None = None,
        *,
        control: bool = False,
    ) -> Response:
        """Render an error: JSON envelope (R20/§1.2) or plain ``Title: Message`` (U3)."""
        if (
            not control
            and self.plain_text_errors_for_old_versions
            and version in ACCEPTED_VERSIONS
            and version < STRUCTURED_ERRORS_SINCE
        ):
            return PlainTextResponse(
                f"{err.title}: {err.message}", status_code=err.status, headers=headers
            )
        body: dict[str, Any] = {
            "error_code": err.error_code,
            "title": err.title,
            "message": err.message,
            "request_id": str(uuid.uuid4()),
        }
        body.update(err.extra)
        return JSONResponse(body, status_code=err.status, headers=headers)


def _version_of(headers: Mapping[str, str]) -> str | None:
    return headers.get("cartesia-version")


async def _json_body(request: Request) -> Any:
    raw = await request.body()
    if not raw.strip():
        raise invalid_request("A JSON request body is required.")
    try:
        return json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise invalid_request("The request body is not valid JSON.") from None


def _api_key(request: Request) -> str | None:
    auth = request.headers.get("authorization")
    if auth is not None:
        scheme, _, token = auth.strip().partition(" ")
        token = token.strip()
        return token if scheme.lower() == "bearer" and token else None
    key = request.headers.get("x-api-key")
    return key.strip() if key and key.strip() else None


class CartesiaApi:
    """The emulated Cartesia routes (§2), bound to one :class:`Emulator`."""

    def __init__(self, emulator: Emulator) -> None:
        self.em = emulator
        self.store = emulator.store

    def authenticate(self, request: Request) -> str:
        """U1 then U2: the caller's organisation ID, or 401/400."""
        key = _api_key(request)
        if key is None:
            raise ApiError(
                401,
                "unauthorized",
                "Unauthorized",
                "Missing API key: send Authorization: Bearer <api_key> (or X-API-Key).",
            )
        with self.store.read() as tx:
            org = tx.org_by_key(key)
        if org is None:
            raise ApiError(401, "unauthorized", "Unauthorized", "The API key is not valid.")
        version = _version_of(request.headers)
        if version is None:
            raise invalid_request("The Cartesia-Version header is required (e.g. 2026-03-01).")
        if version not in ACCEPTED_VERSIONS:
            raise invalid_request(
                f"Cartesia-Version {version!r} is not supported; use one of "
                + ", ".join(sorted(ACCEPTED_VERSIONS))
                + "."
            )
        return str(org["id"])

    def wrap(self, fn: Callable[[Request, str], Awaitable[Response]]) -> Endpoint:
        """Authenticate, run the operation, render any :class:`ApiError`."""

        async def endpoint(request: Request) -> Response:
            try:
                org_id = self.authenticate(request)
                return await fn(request, org_id)
            except ApiError as err:
                return self.em.error_response(err, _version_of(request.headers))

        return endpoint

    # --- providers (§2.1-2.5) --------------------------------------------------------------

    async def list_providers(self, request: Request, org_id: str) -> Response:
        q = request.query_params
        with self.store.read() as tx:
            return JSONResponse(
                providers.list_providers(tx, org_id, q.get("type"), q.get("account_sid"))
            )

    async def create_provider(self, request: Request, org_id: str) -> Response:
        body = parse(CreateProviderBody, await _json_body(request))
        with self.store.write() as tx:
            return JSONResponse(providers.create_provider(tx, org_id, body), status_code=201)

    async def get_provider(self, request: Request, org_id: str) -> Response:
        with self.store.read() as tx:
            return JSONResponse(
                providers.get_provider(tx, org_id, request.path_params["provider_id"])
            )

    async def update_provider(self, request: Request, org_id: str) -> Response:
        body = parse(UpdateProviderBody, await _json_body(request))
        with self.store.write() as tx:
            return JSONResponse(
                providers.update_provider(tx, org_id, request.path_params["provider_id"], body)
            )

    async def delete_provider(self, request: Request, org_id: str) -> Response:
        with self.store.write() as tx:
            providers.delete_provider(tx, org_id, request.path_params["provider_id"])
        return Response(status_code=204)

    # --- phone numbers (§2.6-2.12) ---------------------------------------------------------

    async def list_numbers(self, request: Request, org_id: str) -> Response:
        q = request.query_params
        with self.store.read() as tx:
            return JSONResponse(
                phone_numbers.list_numbers(
                    tx,
                    org_id,
                    agent_id=q.get("agent_id"),
                    provider_id=q.get("provider_id"),
                    type_=q.get("type"),
                    q=q.get("q"),
                    starting_after=q.get("starting_after") or None,
                    ending_before=q.get("ending_before") or None,
                    limit=q.get("limit"),
                )
            )

    async def import_number(self, request: Request, org_id: str) -> Response:
        body = parse(ImportNumberBody, await _json_body(request))
        with self.store.write() as tx:
            return JSONResponse(phone_numbers.import_number(tx, org_id, body), status_code=201)

    async def get_number(self, request: Request, org_id: str) -> Response:
        with self.store.read() as tx:
            return JSONResponse(
                phone_numbers.get_number(tx, org_id, request.path_params["number_id"])
            )

    async def update_number(self, request: Request, org_id: str) -> Response:
        body = parse(UpdateNumberBody, await _json_body(request))
        with self.store.write() as tx:
            return JSONResponse(
                phone_numbers.update_number(tx, org_id, request.path_params["number_id"], body)
            )

    async def delete_number(self, request: Request, org_id: str) -> Response:
        with self.store.write() as tx:
            phone_numbers.delete_number(tx, org_id, request.path_params["number_id"])
        return Response(status_code=204)

    async def provision_number(self, request: Request, org_id: str) -> Response:
        body = parse(ProvisionBody, await _json_body(request))
        with self.store.write() as tx:
            return JSONResponse(phone_numbers.provision_number(tx, org_id, body), status_code=201)

    async def legacy_agent_numbers(self, request: Request, org_id: str) -> Response:
        with self.store.read() as tx:
            return JSONResponse(
                phone_numbers.legacy_agent_numbers(tx, org_id, request.path_params["agent_id"])
            )

    # --- calls (§2.13-2.14) ----------------------------------------------------------------

    async def place_calls(self, request: Request, org_id: str) -> Response:
        body = parse(OutboundCallBody, await _json_body(request))
        with self.store.read() as tx:
            return JSONResponse(calls.place_calls(tx, org_id, body))

    async def legacy_outbound(self, request: Request, org_id: str) -> Response:
        body = parse(LegacyOutboundBody, await _json_body(request))
        with self.store.read() as tx:
            return JSONResponse(calls.legacy_outbound(tx, org_id, body))

    def routes(self) -> list[Route]:
        """Route table; fixed paths come before ``{id}`` paths (§2.15)."""
        w = self.wrap
        pn = "/agents/phone-numbers"
        return [
            Route(f"{pn}/providers", w(self.list_providers), methods=["GET"]),
            Route(f"{pn}/providers", w(self.create_provider), methods=["POST"]),
            Route(f"{pn}/providers/{{provider_id}}", w(self.get_provider), methods=["GET"]),
            Route(f"{pn}/providers/{{provider_id}}", w(self.update_provider), methods=["PATCH"]),
            Route(f"{pn}/providers/{{provider_id}}", w(self.delete_provider), methods=["DELETE"]),
            Route(f"{pn}/provision", w(self.provision_number), methods=["POST"]),
            Route(pn, w(self.list_numbers), methods=["GET"]),
            Route(pn, w(self.import_number), methods=["POST"]),
            Route(f"{pn}/{{number_id}}", w(self.get_number), methods=["GET"]),
            Route(f"{pn}/{{number_id}}", w(self.update_number), methods=["PATCH"]),
            Route(f"{pn}/{{number_id}}", w(self.delete_number), methods=["DELETE"]),
            Route("/agents/calls", w(self.place_calls), methods=["POST"]),
            Route("/agents/{agent_id}/phone-numbers", w(self.legacy_agent_numbers), methods=["GET"]),
            Route("/twilio/call/outbound", w(self.legacy_outbound), methods=["POST"]),
        ]


class ControlApi:
    """The control API under ``/_emulator/`` (architecture.md §1; no auth, never logged)."""

    def __init__(self, emulator: Emulator) -> None:
        self.em = emulator
        self.store = emulator.store

    def wrap(self, fn: Endpoint) -> Endpoint:
        """Render :class:`ApiError` as JSON (control errors are always JSON)."""

        async def endpoint(request: Request) -> Response:
            try:
                return await fn(request)
            except ApiError as err:
                return self.em.error_response(err, None, control=True)

        return endpoint

    async def health(self, request: Request) -> Response:
        return JSONResponse({"ok": True})

    async def seed(self, request: Request) -> Response:
        self.em.apply_seed(await _json_body(request))
        return JSONResponse({"ok": True})

    async def reset(self, request: Request) -> Response:
        raw = await request.body()
        demo = False
        if raw.strip():
            data = await _json_body(request)
            demo = bool(isinstance(data, dict) and data.get("demo"))
        self.em.reset(demo=demo)
        return JSONResponse({"ok": True})

    async def state(self, request: Request) -> Response:
        with self.store.read() as tx:
            return JSONResponse(seeds.dump_state(tx))

    async def requests(self, request: Request) -> Response:
        return JSONResponse(self.em.log())

    async def clear_requests(self, request: Request) -> Response:
        self.em.clear_log()
        return Response(status_code=204)

    async def add_fault(self, request: Request) -> Response:
        fault = self.em.faults.add(await _json_body(request))
        return JSONResponse(fault.describe(), status_code=201)

    async def list_faults(self, request: Request) -> Response:
        return JSONResponse(self.em.faults.list())

    async def clear_faults(self, request: Request) -> Response:
        self.em.faults.clear()
        return Response(status_code=204)

    async def settings(self, request: Request) -> Response:
        data = await _json_body(request)
        if not isinstance(data, dict):
            raise invalid_request("settings must be an object")
        value = data.get("plain_text_errors_for_old_versions")
        if value is not None:
            if not isinstance(value, bool):
                raise invalid_request("plain_text_errors_for_old_versions must be a boolean")
            self.em.plain_text_errors_for_old_versions = value
        return JSONResponse(
            {"plain_text_errors_for_old_versions": self.em.plain_text_errors_for_old_versions}
        )

    async def clock(self, request: Request) -> Response:
        data = await _json_body(request)
        seconds = data.get("advance_seconds") if isinstance(data, dict) else None
        if not isinstance(seconds, int | float) or seconds < 0:
            raise invalid_request("advance_seconds must be a non-negative number")
        return JSONResponse({"now": self.store.advance_clock(float(seconds))})

    async def console_update_number(self, request: Request) -> Response:
        data = await _json_body(request)
        if not isinstance(data, dict):
            raise invalid_request("body must be an object")
        fields = {k: v for k, v in data.items() if k in ("agent_id", "label")}
        with self.store.write() as tx:
            return JSONResponse(
                phone_numbers.console_update_number(tx, request.path_params["number_id"], fields)
            )

    async def console_delete_number(self, request: Request) -> Response:
        with self.store.write() as tx:
            phone_numbers.console_delete_number(tx, request.path_params["number_id"])
        return Response(status_code=204)

    async def console_update_provider(self, request: Request) -> Response:
        data = await _json_body(request)
        if isinstance(data, dict):
            data = {"type": "twilio", **data}
        body = parse(UpdateProviderBody, data)
        provider_id = request.path_params["provider_id"]
        with self.store.write() as tx:
            row = tx.one("SELECT org_id FROM providers WHERE id = ?", (provider_id,))
            if row is None:
                raise not_found("Provider", provider_id)
            return JSONResponse(
                providers.update_provider(tx, str(row["org_id"]), provider_id, body)
            )

    async def delete_agent(self, request: Request) -> Response:
        with self.store.write() as tx:
            phone_numbers.delete_agent(
                tx, request.path_params["org_id"], request.path_params["agent_id"]
            )
        return Response(status_code=204)

    async def twilio_add_key(self, request: Request) -> Response:
        data = await _json_body(request)
        if not isinstance(data, dict):
            raise invalid_request("body must be an object")
        sid, secret, region = data.get("sid"), data.get("secret"), data.get("region", "us1")
        if not all(isinstance(v, str) for v in (sid, secret, region)):
            raise invalid_request("sid, secret and region must be strings")
        account_sid = request.path_params["account_sid"]
        with self.store.write() as tx:
            twilio.add_key(tx, account_sid, str(sid), str(secret), str(region))
        return JSONResponse(
            {"account_sid": account_sid, "sid": sid, "region": region, "revoked": False},
            status_code=201,
        )

    async def twilio_revoke_key(self, request: Request) -> Response:
        sid = request.path_params["sid"]
        with self.store.write() as tx:
            twilio.revoke_key(tx, sid)
        return JSONResponse({"sid": sid, "revoked": True})

    async def twilio_add_number(self, request: Request) -> Response:
        data = await _json_body(request)
        if not isinstance(data, dict) or not isinstance(data.get("number"), str):
            raise invalid_request("body must be {number, webhook_fails?}")
        number = str(data["number"])
        require_e164(number)
        webhook_fails = bool(data.get("webhook_fails", False))
        account_sid = request.path_params["account_sid"]
        with self.store.write() as tx:
            twilio.add_number(tx, account_sid, number, webhook_fails)
        return JSONResponse(
            {"account_sid": account_sid, "number": number, "webhook_fails": webhook_fails},
            status_code=201,
        )

    async def twilio_remove_number(self, request: Request) -> Response:
        with self.store.write() as tx:
            twilio.remove_number(
                tx, request.path_params["account_sid"], request.path_params["number"]
            )
        return Response(status_code=204)

    def routes(self) -> list[Route]:
        """Control routes (architecture.md §1 plus the extras listed in COVERAGE.md)."""
        w = self.wrap
        p = "/_emulator"
        return [
            Route(f"{p}/health", w(self.health), methods=["GET"]),
            Route(f"{p}/seed", w(self.seed), methods=["POST"]),
            Route(f"{p}/reset", w(self.reset), methods=["POST"]),
            Route(f"{p}/state", w(self.state), methods=["GET"]),
            Route(f"{p}/requests", w(self.requests), methods=["GET"]),
            Route(f"{p}/requests", w(self.clear_requests), methods=["DELETE"]),
            Route(f"{p}/faults", w(self.add_fault), methods=["POST"]),
            Route(f"{p}/faults", w(self.list_faults), methods=["GET"]),
            Route(f"{p}/faults", w(self.clear_faults), methods=["DELETE"]),
            Route(f"{p}/settings", w(self.settings), methods=["POST"]),
            Route(f"{p}/clock", w(self.clock), methods=["POST"]),
            Route(
                f"{p}/console/phone-numbers/{{number_id}}",
                w(self.console_update_number),
                methods=["PATCH"],
            ),
            Route(
                f"{p}/console/phone-numbers/{{number_id}}",
                w(self.console_delete_number),
                methods=["DELETE"],
            ),
            Route(
                f"{p}/console/providers/{{provider_id}}",
                w(self.console_update_provider),
                methods=["PATCH"],
            ),
            Route(
                f"{p}/organizations/{{org_id}}/agents/{{agent_id}}",
                w(self.delete_agent),
                methods=["DELETE"],
            ),
            Route(
                f"{p}/twilio/accounts/{{account_sid}}/keys", w(self.twilio_add_key), methods=["POST"]
            ),
            Route(f"{p}/twilio/keys/{{sid}}/revoke", w(self.twilio_revoke_key), methods=["POST"]),
            Route(
                f"{p}/twilio/accounts/{{account_sid}}/numbers",
                w(self.twilio_add_number),
                methods=["POST"],
            ),
            Route(
                f"{p}/twilio/accounts/{{account_sid}}/numbers/{{number}}",
                w(self.twilio_remove_number),
                methods=["DELETE"],
            ),
        ]


def _find_transport(scope: Scope, receive: Receive) -> asyncio.Transport | None:
    """The TCP transport of this request.

    ``server.EmulatorH11Protocol`` puts it into the scope extensions; as a fallback, uvicorn's
    ``receive`` is a bound method of its request cycle, which holds the transport.
    """
    transport = scope.get("extensions", {}).get(TRANSPORT_EXTENSION)
    if transport is None:
        transport = getattr(getattr(receive, "__self__", None), "transport", None)
    return transport if isinstance(transport, asyncio.BaseTransport) else None  # type: ignore[return-value]


async def _drop_connection(scope: Scope, receive: Receive) -> None:
    """Close the TCP connection without any response (client sees a connection error).

    Raising from the app would make uvicorn answer 500, so the transport is aborted directly and
    the loop is yielded until uvicorn has noticed the lost connection (then it sends nothing).
    """
    transport = _find_transport(scope, receive)
    if transport is None:
        raise RuntimeError("cannot drop the connection: transport not reachable from the app")
    transport.abort()
    for _ in range(5):
        await asyncio.sleep(0)


class EmulatorMiddleware:
    """Outermost ASGI layer: fault injection and the request log for non-control requests."""

    def __init__(self, app: ASGIApp, emulator: Emulator) -> None:
        self.app = app
        self.emulator = emulator

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith(CONTROL_PREFIX):
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        method: str = scope["method"]
        path: str = scope["path"]
        query = scope.get("query_string", b"").decode("latin-1")
        decision = self.emulator.faults.decide(method, path)
        entry = self.emulator.begin(method, path, query)
        status: list[int | None] = [None]

        async def send_recording(message: Message) -> None:
            if message["type"] == "http.response.start":
                status[0] = message["status"]
            await send(message)

        async def swallow(message: Message) -> None:
            return None

        try:
            if decision.latency_ms:
                await asyncio.sleep(decision.latency_ms / 1000)
            fault = decision.fault
            if fault is None:
                await self.app(scope, receive, send_recording)
            elif fault.kind == "status":
                await self._status_fault(fault.status or 500, fault.retry_after, scope)(
                    scope, receive, send_recording
                )
            elif fault.kind == "drop":
                await _drop_connection(scope, receive)
            else:  # apply_then_drop: the change is committed, the answer is lost
                await self.app(scope, receive, swallow)
                await _drop_connection(scope, receive)
        finally:
            self.emulator.finish(
                entry, status[0], (time.perf_counter() - started) * 1000, decision.kind
            )

    def _status_fault(self, status: int, retry_after: float | None, scope: Scope) -> Response:
        headers = {}
        if retry_after is not None:
            headers["Retry-After"] = (
                str(int(retry_after)) if float(retry_after).is_integer() else str(retry_after)
            )
        if status == 429:
            err = ApiError(
                429,
                "concurrency_limited",
                "Too Many Requests",
                "Too many concurrent requests for your plan; retry later (injected fault).",
            )
        else:
            err = ApiError(
                status, None, None, f"The request could not be processed (injected {status})."
            )
        version = None
        for k, v in scope.get("headers", []):
            if k == b"cartesia-version":
                version = v.decode("latin-1")
        return self.emulator.error_response(err, version, headers)


def create_app(
    *,
    data: str | None = None,
    seed: Mapping[str, Any] | None = None,
    demo: bool = False,
    plain_text_errors_for_old_versions: bool = False,
) -> EmulatorMiddleware:
    """Build the ASGI app; ``app.emulator`` is the :class:`Emulator` behind it."""
    emulator = Emulator(
        data=data,
        seed=seed,
        demo=demo,
        plain_text_errors_for_old_versions=plain_text_errors_for_old_versions,
    )

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        code = "not_found" if exc.status_code == 404 else "method_not_allowed"
        err = ApiError(
            exc.status_code,
            code if exc.status_code in (404, 405) else None,
            None,
            f"No route for {request.method} {request.url.path}.",
        )
        return emulator.error_response(err, _version_of(request.headers))

    starlette = Starlette(
        routes=ControlApi(emulator).routes() + CartesiaApi(emulator).routes(),
        exception_handlers={HTTPException: http_error},
    )
    return EmulatorMiddleware(starlette, emulator)
