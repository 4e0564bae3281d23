"""HTTP handlers of the emulated Cartesia API (``docs/cartesia-api.md §2``): thin, no rules.

Each handler authenticates, decodes and validates the body, opens one store transaction and
calls one rule function (``providers``, ``phone_numbers``, ``agents``, ``calls``). This module
only

* authenticates (U1: ``Authorization: Bearer <key>`` or ``X-API-Key``; missing/unknown → 401),
* checks ``Cartesia-Version`` (U2: missing or unknown → 400),
* decodes bodies strictly (``schemas.decode_json``) and validates them (U4: 400, never 422),
* renders :class:`ApiError` through the backend (JSON envelope, or plain text under U3), and any
  other exception as a JSON 500, so a bug never answers with a bare traceback page.

The route table is ``urls.py``.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from cartesia_pulumi.emulator import agents, calls, phone_numbers, providers
from cartesia_pulumi.emulator.backend import ACCEPTED_VERSIONS, Emulator
from cartesia_pulumi.emulator.errors import ApiError, invalid_request
from cartesia_pulumi.emulator.pagination import PageRequest, page_request
from cartesia_pulumi.emulator.schemas import (
    CreateProviderBody,
    ImportNumberBody,
    LegacyOutboundBody,
    OutboundCallBody,
    ProvisionBody,
    UpdateNumberBody,
    UpdateProviderBody,
    decode_json,
    parse,
)

Endpoint = Callable[[Request], Awaitable[Response]]
Handler = Callable[[Request, str], Awaitable[Response]]

_log = logging.getLogger("cartesia_pulumi.emulator")


def version_of(headers: Mapping[str, str]) -> str | None:
    """The request's ``Cartesia-Version`` header, if any."""
    return headers.get("cartesia-version")


async def json_body(request: Request) -> Any:
    """The decoded JSON body (400 when missing, malformed or hostile)."""
    return decode_json(await request.body())


def internal_error(exc: Exception) -> ApiError:
    """A 500 for an unexpected exception (logged; the message names no internals)."""
    _log.exception("emulator bug", exc_info=exc)
    return ApiError(
        500,
        "internal_error",
        None,
        f"The emulator failed on this request ({type(exc).__name__}); this is an emulator bug.",
    )


def _api_key(request: Request) -> str | None:
    auth = request.headers.get("authorization")
    if auth is not None:
        scheme, _, token = auth.strip().partition(" ")
        token = token.strip()
        return token if scheme.lower() == "bearer" and token else None
    key = request.headers.get("x-api-key")
    return key.strip() if key and key.strip() else None


def _page(request: Request) -> PageRequest:
    """The page a list request asks for; an empty cursor means none (``?starting_after=``)."""
    q = request.query_params
    return page_request(q.get("limit"), q.get("starting_after") or None, q.get("ending_before") or None)


class CartesiaResponses:
    """The emulated routes, bound to one :class:`Emulator`."""

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
        version = version_of(request.headers)
        if version is None:
            raise invalid_request("The Cartesia-Version header is required (e.g. 2026-03-01).")
        if version not in ACCEPTED_VERSIONS:
            raise invalid_request(
                f"Cartesia-Version {version[:40]!r} is not supported; use one of "
                + ", ".join(sorted(ACCEPTED_VERSIONS))
                + "."
            )
        return str(org["id"])

    def wrap(self, fn: Handler) -> Endpoint:
        """Authenticate, run the operation, render any error."""

        async def endpoint(request: Request) -> Response:
            try:
                org_id = self.authenticate(request)
                return await fn(request, org_id)
            except ApiError as err:
                return self.em.error_response(err, version_of(request.headers))
            except Exception as exc:  # a bug must still answer with the envelope
                return self.em.error_response(internal_error(exc), version_of(request.headers))

        return endpoint

    def _read(self, rule: Callable[..., Any], *args: Any, **kwargs: Any) -> Response:
        """Run a read-only rule in one read transaction; its result is the JSON body."""
        with self.store.read() as tx:
            return JSONResponse(rule(tx, *args, **kwargs))

    def _write(
        self, rule: Callable[..., Any], *args: Any, status_code: int = 200, **kwargs: Any
    ) -> Response:
        """Run a rule in one write transaction; ``None`` answers 204 (deletes, U24)."""
        with self.store.write() as tx:
            result = rule(tx, *args, **kwargs)
        if result is None:
            return Response(status_code=204)
        return JSONResponse(result, status_code=status_code)

    # --- providers (§2.1-2.5) --------------------------------------------------------------

    async def list_providers(self, request: Request, org_id: str) -> Response:
        q = request.query_params
        return self._read(providers.list_providers, org_id, q.get("type"), q.get("account_sid"))

    async def create_provider(self, request: Request, org_id: str) -> Response:
        body = parse(CreateProviderBody, await json_body(request))
        return self._write(providers.create_provider, org_id, body, status_code=201)

    async def get_provider(self, request: Request, org_id: str) -> Response:
        return self._read(providers.get_provider, org_id, request.path_params["provider_id"])

    async def update_provider(self, request: Request, org_id: str) -> Response:
        body = parse(UpdateProviderBody, await json_body(request))
        return self._write(
            providers.update_provider,
            org_id,
            request.path_params["provider_id"],
            body,
            label_patch=self.em.settings.provider_label_patch,
        )

    async def delete_provider(self, request: Request, org_id: str) -> Response:
        return self._write(providers.delete_provider, org_id, request.path_params["provider_id"])

    # --- phone numbers (§2.6-2.11) ---------------------------------------------------------

    async def list_numbers(self, request: Request, org_id: str) -> Response:
        q = request.query_params
        return self._read(
            phone_numbers.list_numbers,
            org_id,
            _page(request),
            agent_id=q.get("agent_id"),
            provider_id=q.get("provider_id"),
            type_=q.get("type"),
            q=q.get("q"),
        )

    async def import_number(self, request: Request, org_id: str) -> Response:
        body = parse(ImportNumberBody, await json_body(request))
        return self._write(phone_numbers.import_number, org_id, body, status_code=201)

    async def get_number(self, request: Request, org_id: str) -> Response:
        return self._read(phone_numbers.get_number, org_id, request.path_params["number_id"])

    async def update_number(self, request: Request, org_id: str) -> Response:
        body = parse(UpdateNumberBody, await json_body(request))
        number_id = request.path_params["number_id"]
        return self._write(phone_numbers.update_number, org_id, number_id, body)

    async def delete_number(self, request: Request, org_id: str) -> Response:
        return self._write(phone_numbers.delete_number, org_id, request.path_params["number_id"])

    async def provision_number(self, request: Request, org_id: str) -> Response:
        body = parse(ProvisionBody, await json_body(request))
        return self._write(phone_numbers.provision_number, org_id, body, status_code=201)

    # --- agents (§2.12, §2.16) -------------------------------------------------------------

    async def legacy_agent_numbers(self, request: Request, org_id: str) -> Response:
        return self._read(agents.legacy_agent_numbers, org_id, request.path_params["agent_id"])

    async def list_agents(self, request: Request, org_id: str) -> Response:
        return self._read(agents.list_legacy, org_id)

    async def get_agent(self, request: Request, org_id: str) -> Response:
        return self._read(agents.get_legacy, org_id, request.path_params["agent_id"])

    async def list_agents_v1(self, request: Request, org_id: str) -> Response:
        return self._read(agents.list_v1, org_id, _page(request), request.query_params.get("q"))

    async def get_agent_v1(self, request: Request, org_id: str) -> Response:
        return self._read(agents.get_v1, org_id, request.path_params["agent_id"])

    # --- calls (§2.13-2.14) ----------------------------------------------------------------

    async def place_calls(self, request: Request, org_id: str) -> Response:
        body = parse(OutboundCallBody, await json_body(request))
        return self._write(calls.place_calls, org_id, body)

    async def legacy_outbound(self, request: Request, org_id: str) -> Response:
        body = parse(LegacyOutboundBody, await json_body(request))
        return self._read(calls.legacy_outbound, org_id, body)
