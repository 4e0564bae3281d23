"""``EmulatorControl``: a synchronous httpx client of the control API under ``/_emulator/``.

One method per control route (docs/architecture.md §1); errors raise :class:`ControlError` with
the emulator's message.
"""

from __future__ import annotations

from types import TracebackType
from typing import Any
from urllib.parse import quote

import httpx


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
    """

    def __init__(self, url: str, timeout: float = 10.0) -> None:
        self.url = url.rstrip("/")
        self._http = httpx.Client(base_url=self.url + "/_emulator", timeout=timeout)

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

    def _call(self, method: str, path: str, json: Any = None) -> Any:
        resp = self._http.request(method, path, json=json)
        if resp.status_code >= 400:
            raise ControlError(
                resp.status_code, f"{method} /_emulator{path} -> {resp.status_code}: {resp.text}"
            )
        if resp.status_code == 204 or not resp.content:
            return None
        return resp.json()

    # --- architecture.md §1 ----------------------------------------------------------------

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

    # --- extras (COVERAGE.md) --------------------------------------------------------------

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

    def set_plain_text_errors_for_old_versions(self, enabled: bool) -> None:
        """U3 switch: plain-text errors for Cartesia-Version < 2026-03-01."""
        self._call("POST", "/settings", {"plain_text_errors_for_old_versions": enabled})
