"""A read-only look at Twilio with a provider's own API key (for ``cartesia-pulumi verify``).

Cartesia's API cannot say, without a write, whether a provider's Twilio key still works or which of
its numbers the account still owns. Twilio can: listing the account's incoming numbers with the key
is a read, answered 401 when the key is revoked, wrong, or from another region, and it shows which
numbers are still in the account. One request per 1,000 numbers:

    GET {edge}/2010-04-01/Accounts/{AccountSid}/IncomingPhoneNumbers.json?PageSize=1000
    Authorization: Basic base64(api_key_sid:api_key_secret)

The edge is the region's Twilio REST host (a key works only in the region it was created in):
us1 ``https://api.twilio.com``, ie1 ``https://api.dublin.ie1.twilio.com``, au1
``https://api.sydney.au1.twilio.com``. ``CARTESIA_PULUMI_TWILIO_API_URL`` overrides it for tests (a
template with ``{region}``, e.g. the emulator's ``http://127.0.0.1:8787/_twilio/{region}``).
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import httpx

from cartesia_pulumi._redact import remember, scrub
from cartesia_pulumi.config import validate_base_url

ENV_TWILIO_API_URL = "CARTESIA_PULUMI_TWILIO_API_URL"

EDGES = {
    "us1": "https://api.twilio.com",
    "ie1": "https://api.dublin.ie1.twilio.com",
    "au1": "https://api.sydney.au1.twilio.com",
}

#: Page size of the incoming-numbers list (Twilio's maximum).
PAGE_SIZE = 1000
MAX_PAGES = 1000


@dataclass(frozen=True)
class TwilioAnswer:
    """What Twilio said about one key: ``accepted`` and the numbers the account owns."""

    accepted: bool
    numbers: frozenset[str]
    status: int
    detail: str


def edge_url(region: str) -> str:
    """The Twilio REST base URL for ``region`` (or the override)."""
    template = os.environ.get(ENV_TWILIO_API_URL)
    if template:
        return validate_base_url(template.format(region=region), ENV_TWILIO_API_URL)
    return EDGES.get(region, EDGES["us1"])


def incoming_numbers(
    account_sid: str,
    api_key_sid: str,
    api_key_secret: str,
    region: str,
    *,
    timeout: float = 20.0,
    transport: httpx.BaseTransport | None = None,
) -> TwilioAnswer:
    """List the account's incoming numbers with the key (read-only).

    Raises:
        httpx.HTTPError: when Twilio cannot be reached (the caller reports "could not check").
    """
    remember(api_key_secret)
    base = edge_url(region)
    path = f"/2010-04-01/Accounts/{account_sid}/IncomingPhoneNumbers.json"
    numbers: set[str] = set()
    with httpx.Client(
        base_url=base,
        auth=(api_key_sid, api_key_secret),
        timeout=timeout,
        transport=transport,
        trust_env=base.startswith("https://"),
        follow_redirects=False,
    ) as http:
        url: str | None = f"{path}?PageSize={PAGE_SIZE}"
        for _ in range(MAX_PAGES):
            if url is None:
                break
            response = http.get(url)
            if response.status_code in (401, 403):
                return TwilioAnswer(False, frozenset(), response.status_code, _detail(response))
            response.raise_for_status()
            body = response.json()
            for item in body.get("incoming_phone_numbers") or []:
                if isinstance(item, dict) and isinstance(item.get("phone_number"), str):
                    numbers.add(item["phone_number"])
            url = body.get("next_page_uri") or None
    return TwilioAnswer(True, frozenset(numbers), 200, "")


def _detail(response: httpx.Response) -> str:
    try:
        body = response.json()
        message = body.get("message") if isinstance(body, dict) else None
    except ValueError:
        message = None
    return scrub(str(message or response.reason_phrase or response.status_code))
