"""A read-only slice of Twilio's REST API over the simulated Twilio inventory (U40).

``cartesia-pulumi verify`` asks Twilio itself — with a provider's own API key, at the key's
region — whether the key still works and which numbers the account still owns, because Cartesia's
API cannot tell without a write. This module answers that one request the way Twilio documents it:

    GET /_twilio/{region}/2010-04-01/Accounts/{AccountSid}/IncomingPhoneNumbers.json[?PageSize=N]
    Authorization: Basic base64(api_key_sid:api_key_secret)

* 200 ``{"incoming_phone_numbers": [{"sid", "account_sid", "phone_number", "friendly_name"}],
  "page": 0, "page_size": N, "next_page_uri": null, ...}`` — every number the account owns (the
  emulator never pages);
* 401 ``{"code": 20003, "message": "Authenticate", "status": 401}`` when the key is unknown,
  revoked, of another account, its secret does not match, or it belongs to another region than
  ``{region}`` (a Twilio key works only at its own region's edge, R16).

Point ``CARTESIA_PULUMI_TWILIO_API_URL`` at ``http://127.0.0.1:PORT/_twilio/{region}`` to use it.
Requests here are recorded in the request log (as ``GET /_twilio/...``) but never faulted.
"""

from __future__ import annotations

import base64
import binascii
import hashlib

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from cartesia_pulumi.emulator import twilio
from cartesia_pulumi.emulator.store import Store, sha256

PREFIX = "/_twilio"


def _unauthorized() -> Response:
    return JSONResponse(
        {
            "code": 20003,
            "message": "Authenticate",
            "more_info": "https://www.twilio.com/docs/errors/20003",
            "status": 401,
        },
        status_code=401,
        headers={"WWW-Authenticate": 'Basic realm="Twilio API"'},
    )


def _basic(request: Request) -> tuple[str, str] | None:
    scheme, _, value = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "basic" or not value:
        return None
    try:
        user, sep, password = base64.b64decode(value.strip(), validate=True).decode().partition(":")
    except (binascii.Error, UnicodeDecodeError):
        return None
    return (user, password) if sep and user else None


def _pn_sid(account_sid: str, number: str) -> str:
    return "PN" + hashlib.sha256(f"{account_sid}{number}".encode()).hexdigest()[:32]


class TwilioApi:
    """The Twilio REST routes of the emulator."""

    def __init__(self, store: Store) -> None:
        self.store = store

    async def incoming_numbers(self, request: Request) -> Response:
        region = request.path_params["region"]
        account_sid = request.path_params["account_sid"]
        credentials = _basic(request)
        if credentials is None:
            return _unauthorized()
        key_sid, secret = credentials
        with self.store.read() as tx:
            if twilio.credential_problem(tx, account_sid, key_sid, sha256(secret), region):
                return _unauthorized()
            numbers = sorted(twilio.account_numbers(tx, account_sid))
        return JSONResponse(
            {
                "incoming_phone_numbers": [
                    {
                        "sid": _pn_sid(account_sid, n),
                        "account_sid": account_sid,
                        "phone_number": n,
                        "friendly_name": n,
                    }
                    for n in numbers
                ],
                "page": 0,
                "page_size": len(numbers),
                "first_page_uri": request.url.path,
                "next_page_uri": None,
                "previous_page_uri": None,
                "uri": request.url.path,
            }
        )

    def routes(self) -> list[Route]:
        path = f"{PREFIX}/{{region}}/2010-04-01/Accounts/{{account_sid}}/IncomingPhoneNumbers.json"
        return [Route(path, self.incoming_numbers, methods=["GET"])]
