"""Transport rules that protect the API key, and failures that must surface as CartesiaError.

Real sockets throughout: the emulator, a recording proxy and an untrusted TLS server
(`tests.support.netdoubles`); ``httpx.MockTransport`` only where a server would have to answer
something no real server here answers (an undecodable or malformed 2xx).
"""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from cartesia_pulumi._redact import MASK
from cartesia_pulumi.client import (
    APIConnectionError,
    APIResponseValidationError,
    BadRequestError,
    CartesiaClient,
    NotFoundError,
    PaginationError,
    TLSVerificationError,
    is_ambiguous,
)
from tests.support.netdoubles import RecordingProxy, UntrustedTLSServer
from unit.support import DEMO_KEY, SleepRecorder, api_requests

PROVIDERS = "/agents/phone-numbers/providers"


@pytest.mark.parametrize("variable", ["HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy"])
def test_request_plain_http_loopback_never_goes_through_proxy(
    emulator: Any, monkeypatch: pytest.MonkeyPatch, variable: str
) -> None:
    with RecordingProxy() as proxy:
        monkeypatch.setenv(variable, proxy.url)
        with CartesiaClient(DEMO_KEY, base_url=emulator.url) as client:
            assert client.providers.list() == []
        assert proxy.connections == 0, proxy.request_lines
    assert api_requests(emulator) == [("GET", PROVIDERS)]


def test_request_https_honours_https_proxy_with_a_tunnel(monkeypatch: pytest.MonkeyPatch) -> None:
    with RecordingProxy() as proxy:
        monkeypatch.setenv("HTTPS_PROXY", proxy.url)
        monkeypatch.delenv("NO_PROXY", raising=False)
        monkeypatch.delenv("no_proxy", raising=False)
        client = CartesiaClient(DEMO_KEY, base_url="https://api.cartesia.example", max_retries=0)
        with client, pytest.raises(APIConnectionError):
            client.providers.list()
    # A CONNECT tunnel: the proxy learns the host, never the request or its Authorization header.
    assert proxy.request_lines == ["CONNECT api.cartesia.example:443 HTTP/1.1"]
    assert all(DEMO_KEY.encode() not in raw for raw in proxy.raw)


def test_request_tls_verification_failure_not_retried_and_explained() -> None:
    sleeps = SleepRecorder()
    with UntrustedTLSServer() as server:
        client = CartesiaClient(DEMO_KEY, base_url=server.url, sleep=sleeps)
        with client, pytest.raises(TLSVerificationError) as info:
            client.providers.list()
        assert server.connections == 1
    assert sleeps.calls == []
    assert "could not be verified" in str(info.value) and "SSL_CERT_FILE" in str(info.value)
    assert not is_ambiguous(info.value)


def _mock(handler: Any) -> CartesiaClient:
    return CartesiaClient(
        DEMO_KEY,
        base_url="https://api.cartesia.example",
        transport=httpx.MockTransport(handler),
        sleep=SleepRecorder(),
    )


def test_request_success_body_of_wrong_shape_is_validation_error_and_ambiguous() -> None:
    client = _mock(lambda r: httpx.Response(201, json={"id": 5, "number": None}))
    with client, pytest.raises(APIResponseValidationError) as info:
        client.phone_numbers.import_(number="+14155550100", label="x", provider_id="ata_1")
    assert info.value.status_code == 201 and "POST /agents/phone-numbers" in str(info.value)
    assert is_ambiguous(info.value)  # the POST was answered 201: the number may well exist


def test_request_success_body_not_json_is_validation_error() -> None:
    client = _mock(lambda r: httpx.Response(200, content=b"<html>gateway</html>"))
    with client, pytest.raises(APIResponseValidationError, match="not JSON"):
        client.providers.get("ata_1")


def test_request_undecodable_body_is_cartesia_error() -> None:
    client = _mock(
        lambda r: httpx.Response(
            200, content=b"\x00not gzip", headers={"Content-Encoding": "gzip"}
        )
    )
    with client, pytest.raises(APIResponseValidationError, match="could not be decoded"):
        client.providers.get("ata_1")


def test_request_redirect_not_followed() -> None:
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        return httpx.Response(307, headers={"Location": "https://elsewhere.example/steal"})

    client = _mock(handler)
    with client, pytest.raises(Exception) as info:
        client.providers.get("ata_1")
    assert seen == ["https://api.cartesia.example/agents/phone-numbers/providers/ata_1"]
    assert "307" in str(info.value)


def test_path_ids_are_quoted() -> None:
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.url.raw_path.decode())
        return httpx.Response(404, json={"title": "Not found", "message": "nope"})

    client = _mock(handler)
    with client, pytest.raises(NotFoundError):
        client.phone_numbers.get("../providers?x=1#y")
    assert seen == ["/agents/phone-numbers/..%2Fproviders%3Fx%3D1%23y"]


def test_iter_stops_on_repeated_cursor() -> None:
    page = {
        "data": [{"id": "ap_1", "number": "+14155550100", "agent": None}],
        "has_more": True,
    }
    client = _mock(lambda r: httpx.Response(200, json=page))
    with client, pytest.raises(PaginationError, match="did not advance"):
        list(client.phone_numbers.iter())


def test_error_echoing_the_request_never_carries_secrets() -> None:
    twilio_secret = "twilio-secret-value-123"

    def echo(request: httpx.Request) -> httpx.Response:
        body = {
            "title": "Bad Request",
            "message": f"headers={dict(request.headers)} body={request.content.decode()}",
            "echo": {"body": json.loads(request.content), "auth": request.headers["authorization"]},
        }
        return httpx.Response(400, json=body)

    client = _mock(echo)
    with client, pytest.raises(BadRequestError) as info:
        client.providers.create(
            account_sid="AC" + "0" * 32,
            api_key_sid="SK" + "0" * 32,
            api_key_secret=twilio_secret,
        )
    text = f"{info.value} {info.value.message} {json.dumps(info.value.body)}"
    assert DEMO_KEY not in text
    assert MASK in text
    # The client knows the Cartesia key; a Twilio secret is scrubbed once the resource layer
    # registers it (cartesia_pulumi._redact.remember), tested in tests/unit/core.
