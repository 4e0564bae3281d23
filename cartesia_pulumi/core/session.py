"""The provider process's session: settings from ``configure()``, one client, what this process saw.

The dynamic-provider server unpickles one lifecycle object per resource blob and calls
``configure()`` on it once per process (docs/pulumi-notes.md B-5); lifecycle objects are pickled
into every resource's state, so nothing may live on them (B-1). The settings, the HTTP client and
the record of this process's own writes therefore live in one `Session` per process, guarded by a
lock because the server runs four RPC threads (B-12).

What this process saw (`cartesia_pulumi.core.reads.NumberReads`): the numbers it imported or
patched itself, and list pages that answer many reads at once. An assignment made a moment after
this process imported the number does not need to read it again — the import's answer said it was
unassigned, and no other stack can know the number's id yet; likewise an assignment adopted right
after its number was adopted from a page this process read. Such records are used only within
`RECENT_SECONDS` (a GET then PATCH is not atomic either; this widens that window to seconds) and
never to answer a refresh.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Mapping
from typing import Any

from cartesia_pulumi._redact import remember
from cartesia_pulumi.client import CartesiaClient, PhoneNumberModel
from cartesia_pulumi.config import Settings
from cartesia_pulumi.core import verify
from cartesia_pulumi.core.reads import NumberReads, Scope

#: Environment switch: `CARTESIA_ADOPT_EXISTING=1 pulumi up` makes every create in that run behave
#: as if ``adopt=True`` was set (the recovery runbook after a killed `pulumi up`, README).
ENV_ADOPT_EXISTING = "CARTESIA_ADOPT_EXISTING"

#: How long this process trusts a number state it got back from its own write.
RECENT_SECONDS = 30.0


def adopt_existing() -> bool:
    """True when ``CARTESIA_ADOPT_EXISTING`` is set to 1/true/yes for this run."""
    return os.environ.get(ENV_ADOPT_EXISTING, "").strip().lower() in ("1", "true", "yes")


class Session:
    """Settings, the client and recent writes of one provider process."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._settings: Settings | None = None
        self._client: CartesiaClient | None = None
        self._client_settings: Settings | None = None
        self._kept: dict[str, tuple[float, object]] = {}
        self.numbers = NumberReads()

    # -- settings and client -------------------------------------------------------------------

    def configure(self, config: Mapping[str, Any] | None) -> Settings:
        """Resolve settings from the stack config (then the environment) and make them current."""
        settings = Settings.resolve(config)
        with self._lock:
            self._settings = settings
        return settings

    @property
    def settings(self) -> Settings:
        """Settings from the last `configure`, or from the environment if it never ran."""
        with self._lock:
            if self._settings is not None:
                return self._settings
        return Settings.resolve(None)

    def client(self) -> CartesiaClient:
        """The process-wide client for the current settings (created on first use).

        Raises:
            ConfigurationError: no API key, or an unusable base URL.
        """
        settings = self.settings
        api_key = settings.require_api_key()
        base_url = settings.validated_base_url()
        with self._lock:
            if self._client is None or self._client_settings != settings:
                old = self._client
                self._client = CartesiaClient(
                    api_key, base_url=base_url, api_version=settings.api_version
                )
                self._client_settings = settings
                remember(api_key)
                if old is not None:
                    old.close()
            return self._client

    def close(self) -> None:
        """Close the client and forget settings and recent writes."""
        with self._lock:
            client, self._client, self._client_settings = self._client, None, None
            self._settings = None
            self._kept.clear()
        self.numbers.clear()
        verify.forget_all()
        if client is not None:
            client.close()

    # -- one operation handing a result to the next one ----------------------------------------

    def keep(self, key: str, value: object) -> None:
        """Keep ``value`` for the next `take` of ``key`` (e.g. ``check``'s list for ``create``)."""
        with self._lock:
            self._kept[key] = (time.monotonic(), value)

    def take(self, key: str, max_age: float) -> object | None:
        """The kept value (removed), if kept at most ``max_age`` seconds ago; else ``None``."""
        with self._lock:
            entry = self._kept.pop(key, None)
        if entry is None or time.monotonic() - entry[0] > max_age:
            return None
        return entry[1]

    # -- what this process saw of phone numbers ------------------------------------------------

    def wrote(self, model: PhoneNumberModel) -> None:
        """Record the state the API returned for this process's own import or PATCH of a number."""
        self.numbers.wrote(model)

    def forget(self, number_id: str) -> None:
        """Drop what this process knew of a number (it was deleted or may have changed)."""
        self.numbers.forget(number_id)

    def recent(self, number_id: str) -> PhoneNumberModel | None:
        """The number as this process last saw it — its own write's answer, or a page it read to
        adopt — if that was within `RECENT_SECONDS`."""
        return self.numbers.seen(number_id, RECENT_SECONDS)

    def number(
        self, number_id: str, scope: Scope | None = None, *, eager: bool = True
    ) -> PhoneNumberModel | None:
        """The number's current state (``None``: Cartesia has none), from shared list pages of
        ``scope`` when that is cheaper than a GET (`NumberReads.lookup`)."""
        return self.numbers.lookup(self.client(), number_id, scope, eager=eager)


#: The one session of this process.
SESSION = Session()
