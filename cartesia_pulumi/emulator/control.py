"""``EmulatorControl``: a synchronous httpx client of the control API under ``/_emulator/``.

One method per control route (``docs/emulator.md``), plus typed accessors over the state dump
and the request log that tests, benchmarks and examples would otherwise each write again
(:meth:`EmulatorControl.org`, :meth:`~EmulatorControl.numbers`, :meth:`~EmulatorControl.writes`,
...). Errors raise :class:`ControlError` with the emulator's status and message.
"""

from __future__ import annotations

from types import TracebackType
from typing import Any, Literal
from urllib.parse import quote

import httpx

from cartesia_pulumi.emulator.demo import DEMO_ORG_ID

#: Header carrying the control token of an emulator started with ``--control-token``.
TOKEN_HEADER = "X-Emulator-Control-Token"
#: Environment variable the emulator's CLI reads when ``--control-token`` is not given.
TOKEN_ENV = "CARTESIA_EMULATOR_CONTROL_TOKEN"


class ControlError(RuntimeError):
    """A control-API call was rejected (status and body in the message)."""

    def __init__(self, status_code: int, message: str) -> None:
        super().__init__(message)
        self.status_code = status_code


class EmulatorControl:
    """Client of one emulator's control API.

    Args:
        url: the emulator's base URL, e.g. ``http://127.0.0.1:8765``.
        timeout: seconds per control call.
        token: the emulator's ``--control-token``, sent in ``X-Emulator-Control-Token``.
    """

    def __init__(self, url: str, timeout: float = 10.0, token: str | None = None) -> None:
        self.url = url.rstrip("/")
        self.timeout = timeout
        headers = {TOKEN_HEADER: token} if token is not None else {}
        self._http = httpx.Client(
            base_url=self.url + "/_emulator", timeout=timeout, headers=headers, trust_env=False
        )

    def close(self) -> None:
        """Close the underlying HTTP connection pool."""
        self._http.close()

    def __enter__(self) -> EmulatorControl:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def _call(
        self,
        method: str,
        path: str,
        json: Any = None,
        params: dict[str, str] | None = None,
        timeout: float | None = None,
    ) -> Any:
        resp = self._http.request(
            method, path, json=json, params=params, timeout=timeout or self.timeout
        )
        if resp.status_code >= 400:
            raise ControlError(
                resp.status_code, f"{method} /_emulator{path} -> {resp.status_code}: {resp.text}"
            )
        if resp.status_code == 204 or not resp.content:
            return None
        return resp.json()

    # --- state, seeds, request log ----------------------------------------------------------

    def seed(self, seed: dict[str, Any]) -> None:
        """Merge a seed (same shape as ``--seed``)."""
        self._call("POST", "/seed", seed)

    def reset(self, demo: bool = False) -> None:
        """Drop all state, faults and the request log; optionally re-load the demo seed."""
        self._call("POST", "/reset", {"demo": demo})

    def state(self) -> dict[str, Any]:
        """Full state dump (hashes only, never secrets)."""
        result: dict[str, Any] = self._call("GET", "/state")
        return result

    def requests(self) -> list[dict[str, Any]]:
        """Request log, oldest first: ``{seq, method, path, query, status, ms, fault}``."""
        result: list[dict[str, Any]] = self._call("GET", "/requests")
        return result

    def clear_requests(self) -> None:
        """Empty the request log."""
        self._call("DELETE", "/requests")

    def wait_for_request(
        self,
        route: str = ".*",
        *,
        state: Literal["in_flight", "done", "any"] = "any",
        timeout: float = 10.0,
    ) -> dict[str, Any]:
        """The first logged request matching ``route`` (regex on ``"METHOD /path"``) in ``state``.

        Waits on the emulator's side until one arrives (or finishes, for ``done``), so tests can
        synchronise on requests instead of sleeping.

        Raises:
            TimeoutError: none matched within ``timeout`` seconds.
        """
        try:
            result: dict[str, Any] = self._call(
                "GET",
                "/requests/wait",
                params={"route": route, "state": state, "timeout": str(timeout)},
                timeout=timeout + self.timeout,
            )
        except ControlError as exc:
            if exc.status_code == 408:
                raise TimeoutError(str(exc)) from None
            raise
        return result

    # --- accessors over the state dump and the log ------------------------------------------

    def org(self, org_id: str = DEMO_ORG_ID) -> dict[str, Any]:
        """The state dump of one organisation (``agents``, ``providers``, ``phone_numbers``).

        Raises:
            LookupError: the organisation does not exist in the emulator.
        """
        for org in self.state()["organizations"]:
            if org["id"] == org_id:
                return dict(org)
        raise LookupError(f"organisation {org_id} is not in the emulator's state")

    def providers(self, org_id: str = DEMO_ORG_ID) -> list[dict[str, Any]]:
        """An organisation's providers as dumped (unmasked key SID, secret hash), oldest first."""
        return list(self.org(org_id)["providers"])

    def numbers(self, org_id: str = DEMO_ORG_ID) -> dict[str, dict[str, Any]]:
        """An organisation's phone numbers by E.164 number."""
        return {n["number"]: n for n in self.org(org_id)["phone_numbers"]}

    def agents(self, org_id: str = DEMO_ORG_ID) -> list[dict[str, Any]]:
        """An organisation's agents (``{id, name}``), oldest first."""
        return list(self.org(org_id)["agents"])

    def twilio_account(self, account_sid: str) -> dict[str, Any]:
        """The dump of one simulated Twilio account (``api_keys``, ``numbers``).

        Raises:
            LookupError: no such account.
        """
        for account in self.state()["twilio_accounts"]:
            if account["account_sid"] == account_sid:
                return dict(account)
        raise LookupError(f"Twilio account {account_sid} is not in the emulator's state")

    def api_calls(self) -> list[str]:
        """The request log as ``"METHOD /path"`` strings, oldest first (control routes excluded)."""
        return [f"{r['method']} {r['path']}" for r in self.requests()]

    def writes(self) -> list[str]:
        """The non-GET part of :meth:`api_calls`."""
        return [c for c in self.api_calls() if not c.startswith("GET ")]

    def calls(self) -> list[dict[str, Any]]:
        """Calls placed through ``POST /agents/calls``, oldest first.

        Each: ``{agent_call_id, org_id, from_number, from_number_id, to_number, agent_id,
        provider_id, region, metadata, ringing_timeout_seconds, created_at}``; ``provider_id``
        and ``region`` are null for Cartesia-managed numbers.
        """
        result: list[dict[str, Any]] = self._call("GET", "/calls")
        return result

    def add_fault(self, **spec: Any) -> int:
        """Register a fault (``route``, ``kind``, ``status``, ``retry_after``, ``latency_ms``,
        ``probability``, ``count``, ``seed``); returns its id."""
        return int(self._call("POST", "/faults", spec)["id"])

    def clear_faults(self) -> None:
        """Remove all faults."""
        self._call("DELETE", "/faults")

    def console_update_number(self, number_id: str, **fields: Any) -> dict[str, Any]:
        """Out-of-band edit of ``agent_id`` and/or ``label``; bumps ``updated_at``."""
        result: dict[str, Any] = self._call(
            "PATCH", f"/console/phone-numbers/{quote(number_id, safe='')}", fields
        )
        return result

    def console_delete_number(self, number_id: str) -> None:
        """Out-of-band delete, even if assigned."""
        self._call("DELETE", f"/console/phone-numbers/{quote(number_id, safe='')}")

    def console_update_provider(self, provider_id: str, **fields: Any) -> dict[str, Any]:
        """Console key rotation ``{api_key_sid, api_key_secret, region?}``, validated like the API."""
        result: dict[str, Any] = self._call(
            "PATCH", f"/console/providers/{quote(provider_id, safe='')}", fields
        )
        return result

    def twilio_add_key(self, account_sid: str, sid: str, secret: str, region: str = "us1") -> None:
        """Create a Twilio API key in an account (account created if missing)."""
        self._call(
            "POST",
            f"/twilio/accounts/{quote(account_sid, safe='')}/keys",
            {"sid": sid, "secret": secret, "region": region},
        )

    def twilio_revoke_key(self, sid: str) -> None:
        """Revoke a Twilio API key."""
        self._call("POST", f"/twilio/keys/{quote(sid, safe='')}/revoke")

    def twilio_add_number(
        self, account_sid: str, number: str, webhook_fails: bool = False
    ) -> None:
        """Give a Twilio account a number (``webhook_fails`` makes R8 reproducible)."""
        self._call(
            "POST",
            f"/twilio/accounts/{quote(account_sid, safe='')}/numbers",
            {"number": number, "webhook_fails": webhook_fails},
        )

    def twilio_remove_number(self, account_sid: str, number: str) -> None:
        """Remove a number from a Twilio account (it becomes unreachable, R3)."""
        self._call(
            "DELETE",
            f"/twilio/accounts/{quote(account_sid, safe='')}/numbers/{quote(number, safe='')}",
        )

    # --- clock, faults, agents, settings -----------------------------------------------------

    def health(self) -> bool:
        """True when the emulator answers."""
        return bool(self._call("GET", "/health")["ok"])

    def faults(self) -> list[dict[str, Any]]:
        """Active faults with their ``fired`` counters."""
        result: list[dict[str, Any]] = self._call("GET", "/faults")
        return result

    def delete_agent(self, org_id: str, agent_id: str) -> None:
        """Delete an agent (U23: its numbers become unassigned)."""
        self._call(
            "DELETE",
            f"/organizations/{quote(org_id, safe='')}/agents/{quote(agent_id, safe='')}",
        )

    def advance_clock(self, seconds: float) -> str:
        """Move the emulator clock forward; returns the new time."""
        return str(self._call("POST", "/clock", {"advance_seconds": seconds})["now"])

    def settings(self, **values: bool) -> dict[str, bool]:
        """Read the settings, or set the given ones and return all of them.

        ``plain_text_errors_for_old_versions`` (U3), ``provider_label_patch`` (U12).
        """
        if values:
            result: dict[str, bool] = self._call("POST", "/settings", values)
        else:
            result = self._call("GET", "/settings")
        return result

    def set_plain_text_errors_for_old_versions(self, enabled: bool) -> None:
        """U3 switch: plain-text errors for Cartesia-Version < 2026-03-01."""
        self.settings(plain_text_errors_for_old_versions=enabled)

    def set_provider_label_patch(self, enabled: bool) -> None:
        """U12 switch: let a Twilio provider PATCH rename the provider (off = per the spec)."""
        self.settings(provider_label_patch=enabled)
