"""The GitOps program: one Twilio provider, a routing table of numbers -> agents.

Stack configuration (namespace `cartesia-gitops`, committed in `Pulumi.<stack>.yaml` except the
secret; see README.md next to this file):

    twilioAccountSid    AC… of the Twilio account
    twilioApiKeySid     SK… of a Standard API key created in `region`
    twilioApiKeySecret  that key's secret (secret; gitops.py stores it from $TWILIO_API_KEY_SECRET)
    region              us1 | ie1 | au1 (default us1)
    routes              object: E.164 number -> agent id (the routing table under review)
    labelPrefix         label prefix (default: the stack name)
    reviewSuffix        true for short-lived review stacks: a random.RandomPet name is appended
                        to every label so parallel review stacks are told apart (default false;
                        needs the pulumi-random provider plugin)

Kept importable (`program()` returns what it created) so unit tests can run it under Pulumi's
mocks; `__main__.py` only calls it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pulumi

from cartesia_pulumi import NumberAssignment, PhoneNumber, TwilioProvider


def with_suffix(label: str, suffix: str | None) -> str:
    """The label of a review stack's object: `label [suffix]`; unchanged without a suffix."""
    return f"{label} [{suffix}]" if suffix else label


def review_suffix(enabled: bool) -> pulumi.Output[str] | None:
    """A stable random name (e.g. `calm-otter`) for this stack's labels, or None when disabled.

    The RandomPet is created once per stack and kept in state, so labels do not change between
    updates; it is only created when `reviewSuffix` is true (pulumi_random is imported lazily).
    """
    if not enabled:
        return None
    import pulumi_random as random

    pet = random.RandomPet("review-suffix", length=2, separator="-")
    return pet.id


def label_for(base: str, suffix: pulumi.Output[str] | None) -> pulumi.Input[str]:
    if suffix is None:
        return with_suffix(base, None)
    return suffix.apply(lambda s: with_suffix(base, s))


@dataclass
class Deployed:
    provider: TwilioProvider
    numbers: dict[str, PhoneNumber] = field(default_factory=dict)
    routes: dict[str, NumberAssignment] = field(default_factory=dict)
    suffix: pulumi.Output[str] | None = None


def program() -> Deployed:
    config = pulumi.Config()
    region = config.get("region") or "us1"
    routes: dict[str, str] = config.require_object("routes")
    prefix = config.get("labelPrefix") or pulumi.get_stack()
    suffix = review_suffix(config.get_bool("reviewSuffix") or False)

    provider = TwilioProvider(
        f"twilio-{region}",
        account_sid=config.require("twilioAccountSid"),
        api_key_sid=config.require("twilioApiKeySid"),
        api_key_secret=config.require_secret("twilioApiKeySecret"),
        region=region,
        label=label_for(f"{prefix} {region}", suffix),
    )
    out = Deployed(provider=provider, suffix=suffix)
    for number, agent in routes.items():
        slug = number.lstrip("+")
        phone = PhoneNumber(
            f"number-{slug}",
            number=number,
            provider_id=provider.id,
            label=label_for(f"{prefix} {number}", suffix),
        )
        out.numbers[number] = phone
        out.routes[number] = NumberAssignment(
            f"route-{slug}", phone_number_id=phone.id, agent_id=agent
        )

    pulumi.export("provider_id", provider.id)
    pulumi.export("labels", {n: p.label for n, p in out.numbers.items()})  # type: ignore[attr-defined]
    pulumi.export("routes", {n: r.agent_id for n, r in out.routes.items()})  # type: ignore[attr-defined]
    if suffix is not None:
        pulumi.export("review_suffix", suffix)
    return out
