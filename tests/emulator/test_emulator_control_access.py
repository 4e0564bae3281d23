"""Who may use the control API: Host, Origin, content type, token, ``--no-control``, ``--host``."""

from __future__ import annotations

import subprocess
import sys
from urllib.parse import urlsplit

import httpx
import pytest

from cartesia_pulumi.emulator.__main__ import build_parser, control_access
from cartesia_pulumi.emulator.control import TOKEN_HEADER, ControlError, EmulatorControl
from cartesia_pulumi.emulator.testing import EmulatorProcess, RunningEmulator, running_emulator
from tests.emulator.emulator_support import assert_error, headers

STATE = "/_emulator/state"
SEED = "/_emulator/seed"


def _host(emulator: RunningEmulator) -> str:
    return urlsplit(emulator.url).netloc


@pytest.mark.parametrize("host", ["evil.example", "evil.example:80", "127.0.0.1.nip.io"])
def test_control_with_foreign_host_header_returns_421(
    emulator: RunningEmulator, host: str
) -> None:
    """DNS rebinding: a page reaches the emulator under its own domain name."""
    r = httpx.get(emulator.url + STATE, headers={"Host": host})
    assert_error(r, 421, "misdirected_request")


@pytest.mark.parametrize("name", ["localhost", "127.0.0.1", "app.localhost", "[::1]"])
def test_control_with_loopback_host_header_succeeds(emulator: RunningEmulator, name: str) -> None:
    port = urlsplit(emulator.url).port
    assert httpx.get(emulator.url + STATE, headers={"Host": f"{name}:{port}"}).status_code == 200


def test_control_with_allowed_host_name_succeeds() -> None:
    """--allowed-host: the name a CI job reaches a containerised emulator by."""
    with EmulatorProcess(demo=True, extra_args=["--allowed-host", "cartesia-emulator"]) as proc:
        port = urlsplit(proc.url).port
        ok = httpx.get(proc.url + STATE, headers={"Host": f"cartesia-emulator:{port}"})
        assert ok.status_code == 200
        other = httpx.get(proc.url + STATE, headers={"Host": f"other-name:{port}"})
        assert "--allowed-host" in assert_error(other, 421, "misdirected_request")["message"]


def test_control_with_cross_origin_returns_403(emulator: RunningEmulator) -> None:
    r = httpx.post(emulator.url + SEED, json={}, headers={"Origin": "http://evil.example"})
    assert_error(r, 403, "forbidden")
    same = httpx.get(emulator.url + STATE, headers={"Origin": f"http://{_host(emulator)}"})
    assert same.status_code == 200


@pytest.mark.parametrize("content_type", [None, "text/plain", "application/x-www-form-urlencoded"])
def test_control_with_non_json_body_returns_415(
    emulator: RunningEmulator, content_type: str | None
) -> None:
    """Bodies a page could send cross-site without a preflight are never JSON."""
    sent = {"content-type": content_type} if content_type else {}
    r = httpx.post(emulator.url + "/_emulator/reset", content=b'{"demo": true}', headers=sent)
    assert_error(r, 415, "unsupported_media_type")
    ok = httpx.post(
        emulator.url + "/_emulator/reset",
        content=b'{"demo": true}',
        headers={"content-type": "application/json; charset=utf-8"},
    )
    assert ok.status_code == 200


def test_api_routes_are_not_subject_to_the_control_guard(emulator: RunningEmulator) -> None:
    r = httpx.get(
        emulator.url + "/agents/phone-numbers/providers",
        headers={**headers(), "Origin": "http://evil.example"},
    )
    assert r.status_code == 200


def test_control_with_token_requires_it() -> None:
    with running_emulator(demo=True, control_token="s3cret-token") as em:
        assert em.control.health() is True  # RunningEmulator.control sends the token
        assert_error(httpx.get(em.url + STATE), 401, "unauthorized")
        wrong = httpx.get(em.url + STATE, headers={TOKEN_HEADER: "guess"})
        assert_error(wrong, 401, "unauthorized")
        assert "s3cret-token" not in wrong.text
        with EmulatorControl(em.url, token="guess") as other, pytest.raises(ControlError) as info:
            other.state()
        assert info.value.status_code == 401
        api = httpx.get(em.url + "/agents/phone-numbers", headers=headers())
        assert api.status_code == 200


def test_cli_with_no_control_answers_404_on_control_routes() -> None:
    with EmulatorProcess(demo=True, extra_args=["--no-control"]) as proc:
        assert_error(httpx.get(proc.url + "/_emulator/health"), 404, "not_found")
        assert_error(httpx.post(proc.url + "/_emulator/reset", json={}), 404, "not_found")
        assert httpx.get(proc.url + "/agents/phone-numbers", headers=headers()).status_code == 200


def test_cli_with_non_loopback_host_and_no_protection_exits_2() -> None:
    r = subprocess.run(
        [sys.executable, "-m", "cartesia_pulumi.emulator", "--host", "0.0.0.0", "--port", "0"],
        capture_output=True,
        text=True,
        timeout=60,
        env={"PATH": "/usr/bin:/bin"},
    )
    assert r.returncode == 2
    assert "warning:" in r.stderr and "--control-token" in r.stderr and "--no-control" in r.stderr
    assert "listening" not in r.stdout


@pytest.mark.parametrize(
    ("argv", "token", "enabled"),
    [
        (["--host", "0.0.0.0", "--control-token", "t"], "t", True),
        (["--host", "10.1.2.3", "--no-control"], None, False),
    ],
)
def test_control_access_for_non_loopback_host_warns(
    capsys: pytest.CaptureFixture[str], argv: list[str], token: str | None, enabled: bool
) -> None:
    access = control_access(build_parser().parse_args(argv))
    assert (access.token, access.enabled, access.bound_host) == (token, enabled, argv[1])
    assert "warning:" in capsys.readouterr().err


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "::1", "127.0.0.2"])
def test_control_access_for_loopback_host_is_silent(
    capsys: pytest.CaptureFixture[str], host: str
) -> None:
    access = control_access(build_parser().parse_args(["--host", host]))
    assert access.enabled and access.token is None
    assert capsys.readouterr().err == ""


def test_emulator_process_with_control_token_on_all_interfaces() -> None:
    """EmulatorProcess passes the token through the environment; its control sends it."""
    with EmulatorProcess(demo=True, extra_args=["--host", "0.0.0.0"], control_token="tok") as proc:
        assert proc.control.health() is True
        assert_error(httpx.get(proc.url + STATE), 401, "unauthorized")
