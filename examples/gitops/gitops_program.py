"""The GitOps program: a routing table of numbers -> agents, on a provider one stack owns.

Stack configuration (namespace `cartesia-gitops`, committed in `Pulumi.<stack>.yaml` except the
secret; see README.md next to this file):

    routes              object: E.164 number -> agent id (the routing table under review)
    labelPrefix         label prefix (default: the stack name)

  The production stack owns the Twilio link:
    twilioAccountSid    AC… of the Twilio account
    twilioApiKeySid     SK… of a Standard API key created in `region`
    twilioApiKeySecret  that key's secret (secret; gitops.py stores it from $TWILIO_API_KEY_SECRET)
    region              us1 | ie1 | au1 (default us1)

  Every other stack (review stacks) uses that link without creating it — a Twilio account can be
  linked once per region — through one of:
    providerStack       the owning stack, e.g. organization/cartesia-gitops/production: its
                        `provider_id` output, read with pulumi.StackReference (same backend)
    providerLookup      true: ask Cartesia for the link of twilioAccountSid + region
                        (cartesia_pulumi.lookup_twilio_provider), for teams without such a stack
    reviewSuffix        true: a random.RandomPet name is appended to every label so parallel
                        review stacks are told apart (needs the pulumi-random provider plugin)

Kept importable (`program()` returns what it created) so unit tests can run it under Pulumi's
mocks; `__main__.py` only calls it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pulumi

from cartesia_pulumi import NumberAssignment, PhoneNumber, TwilioProvider, lookup_twilio_provider


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
    provider_id: pulumi.Input[str]
    provider: TwilioProvider | None = None
    numbers: dict[str, PhoneNumber] = field(default_factory=dict)
    routes: dict[str, NumberAssignment] = field(default_factory=dict)
    suffix: pulumi.Output[str] | None = None


def provider_for(
    config: pulumi.Config, region: str, suffix: pulumi.Output[str] | None
) -> tuple[pulumi.Input[str], TwilioProvider | None]:
    """The provider id this stack imports through, and the provider if this stack owns it."""
    owner = config.get("providerStack")
    if owner:
        return pulumi.StackReference(owner).require_output("provider_id"), None
    if config.get_bool("providerLookup"):
        return lookup_twilio_provider(config.require("twilioAccountSid"), region), None
    provider = TwilioProvider(
        f"twilio-{region}",
        account_sid=config.require("twilioAccountSid"),
        api_key_sid=config.require("twilioApiKeySid"),
        api_key_secret=config.require_secret("twilioApiKeySecret"),
        region=region,
        label=label_for(f"{config.get('labelPrefix') or pulumi.get_stack()} {region}", suffix),
    )
    return provider.id, provider


def program() -> Deployed:
    config = pulumi.Config()
    region = config.get("region") or "us1"
    routes: dict[str, str] = config.require_object("routes")
    prefix = config.get("labelPrefix") or pulumi.get_stack()
    suffix = review_suffix(config.get_bool("reviewSuffix") or False)

    provider_id, provider = provider_for(config, region, suffix)
    out = Deployed(provider_id=provider_id, provider=provider, suffix=suffix)
    for number, agent in routes.items():
        slug = number.lstrip("+")
        phone = PhoneNumber(
            f"number-{slug}",
            number=number,
            provider_id=provider_id,
            label=label_for(f"{prefix} {number}", suffix),
        )
        out.numbers[number] = phone
        out.routes[number] = NumberAssignment(
            f"route-{slug}", phone_number_id=phone.id, agent_id=agent
        )

    pulumi.export("provider_id", provider_id)
    pulumi.export("labels", {n: p.label for n, p in out.numbers.items()})
    pulumi.export("routes", {n: r.agent_id for n, r in out.routes.items()})
    if suffix is not None:
        pulumi.export("review_suffix", suffix)
    return out
