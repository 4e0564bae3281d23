"""Find an existing Twilio link from a program, for stacks that use a provider another stack owns.

One stack owns each `TwilioProvider` (there can be only one per account SID and region). Other
stacks — review stacks, team stacks — should take its id from the owner's outputs with
``pulumi.StackReference``; `lookup_twilio_provider` is for teams without such a stack: it asks
Cartesia for the link's id at program time (during preview too; it only reads) and fails with one
sentence when there is none.
"""

from __future__ import annotations

import pulumi

from cartesia_pulumi._types import DEFAULT_REGION, REGIONS, is_region
from cartesia_pulumi.client import CartesiaClient, CartesiaError
from cartesia_pulumi.config import CONFIG_API_KEY, CONFIG_API_VERSION, CONFIG_BASE_URL, Settings
from cartesia_pulumi.core.errors import CartesiaResourceError, operation_error


def find_twilio_provider(
    account_sid: str, region: str = DEFAULT_REGION, *, settings: Settings | None = None
) -> str:
    """The id of the organisation's Twilio link for ``account_sid`` in ``region``.

    Outside a Pulumi program settings come from the environment (``CARTESIA_API_KEY`` …).

    Raises:
        CartesiaResourceError: when there is no such link, or Cartesia cannot be asked.
    """
    action = f"Looking up the Twilio provider for account {account_sid} ({region})"
    if not is_region(region):
        raise CartesiaResourceError(
            f"{action} failed: region must be one of {', '.join(REGIONS)}; got {region!r}."
        )
    resolved = settings or Settings.resolve(None)
    with CartesiaClient(
        resolved.require_api_key(),
        base_url=resolved.validated_base_url(),
        api_version=resolved.api_version,
    ) as client:
        try:
            found = [p for p in client.providers.list(account_sid=account_sid) if p.region == region]
        except CartesiaError as exc:
            raise operation_error(action, exc, base_url=client.base_url) from None
    if not found:
        raise CartesiaResourceError(
            f"{action} failed: this Cartesia organisation has no Twilio provider for account "
            f"{account_sid} in region {region}. Create it (a TwilioProvider) in the stack that owns "
            "the link, or check the account SID and region."
        )
    return found[0].id


def lookup_twilio_provider(
    account_sid: pulumi.Input[str], region: pulumi.Input[str] = DEFAULT_REGION
) -> pulumi.Output[str]:
    """In a Pulumi program: the id of an existing Twilio link, as an ``Output[str]``.

    Reads ``cartesia:apiKey`` (secret), ``cartesia:baseUrl`` and ``cartesia:apiVersion`` from the
    stack config like the resources do (then ``CARTESIA_*``). The id itself is not secret.

    Example::

        provider_id = lookup_twilio_provider("AC0123456789abcdef0123456789abcdef", "us1")
        PhoneNumber("review-line", number="+14155550101", provider_id=provider_id)
    """
    cartesia = pulumi.Config("cartesia")
    key = cartesia.get_secret(CONFIG_API_KEY.split(":", 1)[1])
    base_url = cartesia.get(CONFIG_BASE_URL.split(":", 1)[1])
    version = cartesia.get(CONFIG_API_VERSION.split(":", 1)[1])

    def look(args: list[object]) -> str:
        api_key, sid, reg = args
        config = {CONFIG_API_KEY: api_key, CONFIG_BASE_URL: base_url, CONFIG_API_VERSION: version}
        settings = Settings.resolve({k: v for k, v in config.items() if isinstance(v, str)})
        return find_twilio_provider(str(sid), str(reg), settings=settings)

    found = pulumi.Output.all(key, account_sid, region).apply(look)
    return pulumi.Output.unsecret(found)


__all__ = ["find_twilio_provider", "lookup_twilio_provider"]
