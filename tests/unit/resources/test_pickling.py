"""What the product's lifecycles put into state as their pickled blob, and where settings come from.

Every resource's state carries its lifecycle object, pickled (`__provider`). After the dynamic-
provider server has configured it with the stack config (API key included), the blob must still
be a short by-reference class name with nothing secret in it; the settings and the client live
in the process's session (`cartesia_pulumi.core.session.SESSION`) instead.
"""

from __future__ import annotations

import base64

import dill
import pytest
from pulumi.dynamic import ConfigureRequest
from pulumi.dynamic.config import Config
from pulumi.dynamic.dynamic import serialize_provider

from cartesia_pulumi.core.session import SESSION
from cartesia_pulumi.resources import (
    NumberAssignmentLifecycle,
    PhoneNumberLifecycle,
    TwilioProviderLifecycle,
)

LIFECYCLES = [TwilioProviderLifecycle, PhoneNumberLifecycle, NumberAssignmentLifecycle]


def _configured(lifecycle: type) -> object:
    obj = lifecycle()
    # As the dynamic-provider server does: configure the unpickled object with the stack config.
    obj.configure(
        ConfigureRequest(
            Config(
                {
                    "cartesia:apiKey": "sk_car_must_not_leak",
                    "cartesia:baseUrl": "http://127.0.0.1:1",
                },
                "p",
            )
        )
    )
    SESSION.client()  # a cached client exists in the process
    return obj


@pytest.mark.parametrize("lifecycle", LIFECYCLES)
def test_pickle_after_configure_no_key_and_small(lifecycle: type) -> None:
    obj = _configured(lifecycle)
    raw = base64.b64decode(serialize_provider(obj))
    assert b"sk_car_must_not_leak" not in raw
    assert len(raw) < 300
    assert vars(obj) == {}


@pytest.mark.parametrize("lifecycle", LIFECYCLES)
def test_pickle_by_reference_names_module_and_class(lifecycle: type) -> None:
    raw = base64.b64decode(serialize_provider(_configured(lifecycle)))
    # By reference: the installed module is imported at unpickling, no bytecode in state.
    assert lifecycle.__module__.encode() in raw and lifecycle.__name__.encode() in raw
    assert b"_create_type" not in raw and b"_create_code" not in raw
    assert type(dill.loads(raw)) is lifecycle


def test_settings_fallback_to_env_without_configure(monkeypatch: pytest.MonkeyPatch) -> None:
    SESSION.close()
    monkeypatch.setenv("CARTESIA_API_KEY", "sk_env")
    monkeypatch.setenv("CARTESIA_BASE_URL", "http://127.0.0.1:5")
    s = SESSION.settings
    assert (s.api_key, s.base_url) == ("sk_env", "http://127.0.0.1:5")


def test_get_client_missing_key_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    from cartesia_pulumi.config import ConfigurationError

    SESSION.close()
    monkeypatch.delenv("CARTESIA_API_KEY", raising=False)
    with pytest.raises(ConfigurationError, match="cartesia:apiKey"):
        SESSION.client()
