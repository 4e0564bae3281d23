"""The control API under ``/_emulator/`` (server side; the client is ``control.EmulatorControl``).

Kept apart from the emulated API, as moto keeps its test-control API apart from the services:
seed, reset, inspect state and the request log, inject faults, move the clock, flip settings,
edit "behind the API's back" (console, Twilio inventory). Routes and shapes: ``docs/emulator.md``.

The control API has no API key, so it guards itself (:meth:`ControlApi.guard`) against what a
browser on the same machine could be tricked into sending (DNS rebinding, cross-site requests):

* ``--no-control``: every control route answers 404;
* ``Host`` must be a loopback name (``localhost``, ``*.localhost``), an IP literal, the bound
  host or a name given with ``--allowed-host``, else 421: a rebinding page reaches us under its
  own domain name, never an IP literal;
* an ``Origin`` other than the emulator's own (``http://<Host>``) gets 403;
* with ``--control-token``, the header ``X-Emulator-Control-Token`` must carry it, else 401;
* a request with a body must be ``Content-Type: application/json``, else 415 (the content types
  a page may send cross-site without a preflight are never JSON).
"""

from __future__ import annotations

import hmac
import ipaddress
import math
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from cartesia_pulumi.emulator import agents, calls, console, seeds, twilio
from cartesia_pulumi.emulator.backend import Emulator
from cartesia_pulumi.emulator.control import TOKEN_HEADER
from cartesia_pulumi.emulator.errors import ApiError, invalid_request
from cartesia_pulumi.emulator.responses import internal_error, json_body
from cartesia_pulumi.emulator.schemas import UpdateProviderBody, parse, require_e164

Endpoint = Callable[[Request], Awaitable[Response]]

#: The clock moves forward only, by at most ten years per call and in total.
MAX_CLOCK_ADVANCE_S = 10 * 365.25 * 86400
#: Longest a ``/requests/wait`` long-poll may wait.
MAX_WAIT_S = 120.0


@dataclass(frozen=True)
class ControlAccess:
    """Who may use the control API.

    Attributes:
        enabled: ``False`` (``--no-control``) answers 404 on every control route.
        token: when set (``--control-token``), required in ``X-Emulator-Control-Token``.
        bound_host: the host the emulator listens on (accepted as a ``Host`` name).
        allowed_hosts: further ``Host`` names to accept (``--allowed-host``), e.g. the service
            name a CI job reaches the emulator by.
    """

    enabled: bool = True
    token: str | None = None
    bound_host: str = "127.0.0.1"
    allowed_hosts: tuple[str, ...] = ()


def _hostname(host: str) -> str:
    if host.startswith("["):
        return host[1:].split("]", 1)[0]
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


def _host_allowed(host: str, names: tuple[str, ...]) -> bool:
    name = _hostname(host).lower().rstrip(".")
    if name in names or name == "localhost" or name.endswith(".localhost"):
        return True
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


def _object(data: Any, what: str = "body") -> dict[str, Any]:
    if not isinstance(data, dict):
        raise invalid_request(f"The {what} must be a JSON object.")
    return data


class ControlApi:
    """Handlers of ``/_emulator/...``; control errors are always JSON envelopes."""

    def __init__(self, emulator: Emulator, access: ControlAccess | None = None) -> None:
        self.em = emulator
        self.store = emulator.store
        self.access = access or ControlAccess()

    async def guard(self, request: Request) -> None:
        """Refuse what a browser could be tricked into sending (module docstring)."""
        if not self.access.enabled:
            raise ApiError(404, "not_found", None, "The control API is disabled (--no-control).")
        host = request.headers.get("host")
        names = tuple(n.lower() for n in (self.access.bound_host, *self.access.allowed_hosts))
        if host is not None and not _host_allowed(host, names):
            raise ApiError(
                421,
                "misdirected_request",
                "Misdirected request",
                f"Host {host[:80]!r} is not a name of this emulator; use its IP address, "
                "localhost, or start it with --allowed-host NAME.",
            )
        origin = request.headers.get("origin")
        if origin is not None and (host is None or origin.lower() != f"http://{host}".lower()):
            raise ApiError(
                403, "forbidden", None, "Cross-origin requests to the control API are refused."
            )
        if self.access.token is not None:
            sent = request.headers.get(TOKEN_HEADER, "")
            if not hmac.compare_digest(sent.encode(), self.access.token.encode()):
                raise ApiError(
                    401,
                    "unauthorized",
                    "Unauthorized",
                    "Send the emulator's control token in X-Emulator-Control-Token.",
                )
        if await request.body():
            media = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
            if media != "application/json":
                raise ApiError(
                    415,
                    "unsupported_media_type",
                    "Unsupported media type",
                    "Control requests with a body must be sent as Content-Type: application/json.",
                )

    def wrap(self, fn: Endpoint) -> Endpoint:
        """Guard, run, render any error as JSON."""

        async def endpoint(request: Request) -> Response:
            try:
                await self.guard(request)
                return await fn(request)
            except ApiError as err:
                return self.em.error_response(err, None, control=True)
            except Exception as exc:
                return self.em.error_response(internal_error(exc), None, control=True)

        return endpoint

    # --- state ------------------------------------------------------------------------------

    async def health(self, request: Request) -> Response:
        return JSONResponse({"ok": True})

    async def seed(self, request: Request) -> Response:
        self.em.apply_seed(_object(await json_body(request), "seed"))
        return JSONResponse({"ok": True})

    async def reset(self, request: Request) -> Response:
        demo = False
        if await request.body():
            demo = _object(await json_body(request)).get("demo") is True
        self.em.reset(demo=demo)
        return JSONResponse({"ok": True})

    async def state(self, request: Request) -> Response:
        with self.store.read() as tx:
            return JSONResponse(seeds.dump_state(tx))

    async def placed_calls(self, request: Request) -> Response:
        with self.store.read() as tx:
            return JSONResponse(calls.placed_calls(tx))

    # --- request log ------------------------------------------------------------------------

    async def requests(self, request: Request) -> Response:
        return JSONResponse(self.em.log())

    async def clear_requests(self, request: Request) -> Response:
        self.em.clear_log()
        return Response(status_code=204)

    async def wait_for_request(self, request: Request) -> Response:
        """Long-poll: the first logged request matching ``route`` (regex on "METHOD /path")
        in ``state`` ``in_flight`` | ``done`` | ``any`` (default), within ``timeout`` s."""
        q = request.query_params
        try:
            pattern = re.compile(q.get("route", ".*"))
            timeout = float(q.get("timeout", "10"))
        except (re.error, ValueError):
            raise invalid_request("route must be a regular expression, timeout a number.") from None
        state = q.get("state", "any")
        if state not in ("in_flight", "done", "any") or not 0 <= timeout <= MAX_WAIT_S:
            raise invalid_request(f"state is in_flight|done|any; timeout 0-{MAX_WAIT_S:.0f} s.")

        def matches(e: dict[str, Any]) -> bool:
            done = bool(e.get("done"))
            wanted = state == "any" or (state == "done") == done
            return wanted and bool(pattern.search(f"{e['method']} {e['path']}"))

        try:
            return JSONResponse(await self.em.wait_for(matches, timeout))
        except TimeoutError:
            raise ApiError(
                408, "timeout", "Timeout", f"No {state} request matched within {timeout} s."
            ) from None

    # --- faults, settings, clock ------------------------------------------------------------

    async def add_fault(self, request: Request) -> Response:
        fault = self.em.faults.add(await json_body(request))
        return JSONResponse(fault.describe(), status_code=201)

    async def list_faults(self, request: Request) -> Response:
        return JSONResponse(self.em.faults.list())

    async def clear_faults(self, request: Request) -> Response:
        self.em.faults.clear()
        return Response(status_code=204)

    async def settings(self, request: Request) -> Response:
        if request.method == "POST":
            self.em.settings.update(_object(await json_body(request), "settings"))
        return JSONResponse(self.em.settings.as_dict())

    async def clock(self, request: Request) -> Response:
        seconds = _object(await json_body(request)).get("advance_seconds")
        if (
            not isinstance(seconds, int | float)
            or isinstance(seconds, bool)
            or not math.isfinite(seconds)
            or not 0 <= seconds <= MAX_CLOCK_ADVANCE_S
            or self.store.clock_offset + seconds > MAX_CLOCK_ADVANCE_S
        ):
            raise invalid_request(
                "advance_seconds must be a finite number of seconds from 0 to ten years "
                f"({MAX_CLOCK_ADVANCE_S:.0f}), in total as well."
            )
        return JSONResponse({"now": self.store.advance_clock(float(seconds))})

    # --- console and Twilio edits -----------------------------------------------------------

    async def console_update_number(self, request: Request) -> Response:
        data = _object(await json_body(request))
        fields = {k: v for k, v in data.items() if k in ("agent_id", "label")}
        with self.store.write() as tx:
            return JSONResponse(
                console.update_number(tx, request.path_params["number_id"], fields)
            )

    async def console_delete_number(self, request: Request) -> Response:
        with self.store.write() as tx:
            console.delete_number(tx, request.path_params["number_id"])
        return Response(status_code=204)

    async def console_update_provider(self, request: Request) -> Response:
        body = parse(UpdateProviderBody, {"type": "twilio", **_object(await json_body(request))})
        with self.store.write() as tx:
            return JSONResponse(
                console.update_provider(tx, request.path_params["provider_id"], body)
            )

    async def delete_agent(self, request: Request) -> Response:
        with self.store.write() as tx:
            agents.delete_agent(tx, request.path_params["org_id"], request.path_params["agent_id"])
        return Response(status_code=204)

    async def twilio_add_key(self, request: Request) -> Response:
        data = _object(await json_body(request))
        sid, secret, region = data.get("sid"), data.get("secret"), data.get("region", "us1")
        if not all(isinstance(v, str) and v for v in (sid, secret, region)):
            raise invalid_request("sid, secret and region must be non-empty strings.")
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
        data = _object(await json_body(request))
        if not isinstance(data.get("number"), str):
            raise invalid_request("The body must be {number, webhook_fails?}.")
        number = str(data["number"])
        require_e164(number)
        webhook_fails = data.get("webhook_fails", False) is True
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
