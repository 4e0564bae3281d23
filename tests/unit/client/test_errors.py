"""Error parsing: JSON envelopes, plain-text bodies of old versions, unreachable numbers."""

from __future__ import annotations

import httpx

from cartesia_pulumi.client import (
    APIStatusError,
    BadRequestError,
    ConflictError,
    InternalServerError,
    NotFoundError,
)
from cartesia_pulumi.client._errors import make_status_error


def response(
    status: int, body: str, content_type: str = "application/json", **headers: str
) -> httpx.Response:
    return httpx.Response(status, text=body, headers={"content-type": content_type, **headers})


def test_make_status_error_json_envelope() -> None:
    err = make_status_error(
        response(
            404,
            '{"error_code": null, "title": "Not found", "message": "No such number", '
            '"request_id": "3b8f", "extra": 1}',
        ),
        method="GET",
        path="/agents/phone-numbers/x",
    )
    assert isinstance(err, NotFoundError)
    assert (err.title, err.message, err.request_id, err.error_code) == (
        "Not found",
        "No such number",
        "3b8f",
        None,
    )
    assert "GET /agents/phone-numbers/x -> 404" in str(err)


def test_make_status_error_plain_text_title_message() -> None:
    err = make_status_error(
        response(409, "Conflict: number already imported", "text/plain"), method="POST", path="/p"
    )
    assert isinstance(err, ConflictError)
    assert (err.title, err.message, err.error_code) == ("Conflict", "number already imported", None)
    assert err.body == "Conflict: number already imported"


def test_make_status_error_empty_body_uses_reason() -> None:
    err = make_status_error(response(502, ""), method="GET", path="/p")
    assert isinstance(err, InternalServerError)
    assert err.title == "Bad Gateway"


def test_make_status_error_unknown_status_base_class() -> None:
    err = make_status_error(response(418, "{}"), method="GET", path="/p")
    assert type(err) is APIStatusError


def test_unreachable_numbers_parsed() -> None:
    err = make_status_error(
        response(
            400,
            '{"error_code": "numbers_unreachable", "title": "t", "message": "m", "request_id": "r",'
            ' "unreachable_numbers": ["+14155550100", {"number": "+14155550101"}]}',
        ),
        method="PATCH",
        path="/p",
    )
    assert isinstance(err, BadRequestError)
    assert err.unreachable_numbers == ["+14155550100", "+14155550101"]


def test_retry_after_header_parsed() -> None:
    err = make_status_error(response(429, "{}", **{"retry-after": "2.5"}), method="GET", path="/")
    assert err.retry_after == 2.5
    err = make_status_error(
        response(429, "{}", **{"retry-after": "Wed, 21 Oct 2015 07:28:00 GMT"}),
        method="GET",
        path="/",
    )
    assert err.retry_after is None
