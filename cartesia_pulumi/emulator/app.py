"""Assembly of the emulator's ASGI app: backend, route table, handlers and middleware.

The parts, split the way moto splits a service:

* ``backend.py``: :class:`Emulator`: state (``store.py``), seeds, settings, faults, request log;
* the rule modules: ``providers.py``, ``phone_numbers.py``, ``agents.py``, ``calls.py``,
  ``twilio.py``, ``console.py``: one function per operation, its rules in its docstring;
* ``responses.py``: HTTP handlers of the Cartesia API; ``urls.py``: the route table;
* ``control_api.py``: the control API under ``/_emulator/`` (its client: ``control.py``);
* ``middleware.py``: body limit, ``Date`` from the emulator clock, request log, faults;
* ``twilio_api.py``: the read-only slice of Twilio's REST API that ``verify`` uses.

:func:`create_app` is the one entry point; the names re-exported here keep older imports
(``from cartesia_pulumi.emulator.app import Emulator, EmulatorMiddleware``) working.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from cartesia_pulumi.emulator.backend import (
    ACCEPTED_VERSIONS,
    STRUCTURED_ERRORS_SINCE,
    Emulator,
    Settings,
)
from cartesia_pulumi.emulator.control_api import ControlAccess, ControlApi
from cartesia_pulumi.emulator.errors import ApiError
from cartesia_pulumi.emulator.middleware import (
    CONTROL_PREFIX,
    MAX_BODY_BYTES,
    TRANSPORT_EXTENSION,
    EmulatorMiddleware,
)
from cartesia_pulumi.emulator.responses import CartesiaResponses, version_of
from cartesia_pulumi.emulator.twilio_api import TwilioApi
from cartesia_pulumi.emulator.urls import api_routes, control_routes

__all__ = [
    "ACCEPTED_VERSIONS",
    "CONTROL_PREFIX",
    "MAX_BODY_BYTES",
    "STRUCTURED_ERRORS_SINCE",
    "TRANSPORT_EXTENSION",
    "ControlAccess",
    "Emulator",
    "EmulatorMiddleware",
    "Settings",
    "create_app",
]


def create_app(
    *,
    data: str | None = None,
    seed: Mapping[str, Any] | None = None,
    demo: bool = False,
    plain_text_errors_for_old_versions: bool = False,
    control: ControlAccess | None = None,
) -> EmulatorMiddleware:
    """Build the ASGI app; ``app.emulator`` is the :class:`Emulator` behind it.

    Args:
        data: SQLite file for durable state, or ``None`` for an in-memory database.
        seed: seed applied when the database is fresh.
        demo: apply the demo seed when the database is fresh.
        plain_text_errors_for_old_versions: U3 switch at start-up.
        control: who may use the control API (default: enabled, no token, loopback).
    """
    emulator = Emulator(
        data=data,
        seed=seed,
        demo=demo,
        plain_text_errors_for_old_versions=plain_text_errors_for_old_versions,
    )

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code)
        err = ApiError(
            exc.status_code, code, None, f"No route for {request.method} {request.url.path}."
        )
        return emulator.error_response(err, version_of(request.headers))

    starlette = Starlette(
        routes=control_routes(ControlApi(emulator, control))
        + api_routes(CartesiaResponses(emulator))
        + TwilioApi(emulator.store).routes(),
        exception_handlers={HTTPException: http_error},
    )
    return EmulatorMiddleware(starlette, emulator)
