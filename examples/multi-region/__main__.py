"""Multi-region: a TwilioProvider per Twilio region, numbers per region, routes per agent.

One program, one stack per environment (`staging`, `production`); the committed stack files
`Pulumi.<stack>.yaml` hold everything except secrets (see README.md next to this file).

Stack configuration (namespace `cartesia-multi-region`):

    twilioAccountSid   AC… of the environment's Twilio account
    regions            object: region (us1 | ie1 | au1) -> {
                           apiKeySid:  SK… of a Standard API key created in that region,
                           numbers:    [E.164 numbers to import through this region's provider],
                           accountSid: optional AC… overriding twilioAccountSid (a subaccount)
                       }
    twilioKeySecrets   secret object: region -> that key's secret
                       (`pulumi config set --secret --path 'twilioKeySecrets.us1' …`)
    routes             object: agent id -> [E.164 numbers that agent answers]
    labelPrefix        optional prefix for number labels (default: the stack name)

Resource names depend only on the region (providers) and the number (numbers, routes), so moving
a number to another region's list is an in-place update of that number's `provider_id` (same
Cartesia id, same agent), and moving it to another agent's list is an in-place update of its
route. Cartesia credentials come from `cartesia:apiKey` (secret) and optionally
`cartesia:baseUrl`, or from CARTESIA_API_KEY / CARTESIA_BASE_URL.
"""

from __future__ import annotations

import pulumi

from cartesia_pulumi import NumberAssignment, PhoneNumber, TwilioProvider

REGIONS = ("us1", "ie1", "au1")


def slug(number: str) -> str:
    return number.strip().lstrip("+").replace(" ", "")


def number_regions(regions: dict[str, dict]) -> dict[str, str]:
    """number -> region, refusing a number listed under two regions or an unknown region."""
    where: dict[str, str] = {}
    for region, spec in regions.items():
        if region not in REGIONS:
            raise ValueError(f"regions.{region}: unknown Twilio region; use one of {REGIONS}")
        for number in spec.get("numbers") or []:
            if number in where:
                raise ValueError(
                    f"{number} is listed under regions.{where[number]} and regions.{region}; "
                    "a number is imported once, through one region's provider"
                )
            where[number] = region
    return where


def number_agents(routes: dict[str, list[str]], known: dict[str, str]) -> dict[str, str]:
    """number -> agent id, refusing a number routed twice or not declared in any region."""
    agent_of: dict[str, str] = {}
    for agent, numbers in routes.items():
        for number in numbers or []:
            if number not in known:
                raise ValueError(
                    f"routes.{agent} lists {number}, which is in no regions.<region>.numbers"
                )
            if number in agent_of:
                raise ValueError(f"{number} is routed to both {agent_of[number]} and {agent}")
            agent_of[number] = agent
    return agent_of


config = pulumi.Config()
account_sid = config.require("twilioAccountSid")
regions: dict[str, dict] = config.require_object("regions")
key_secrets = config.require_secret_object("twilioKeySecrets")
routes: dict[str, list[str]] = config.get_object("routes") or {}
label_prefix = config.get("labelPrefix") or pulumi.get_stack()

region_of = number_regions(regions)
agent_of = number_agents(routes, region_of)



def key_secret(region: str) -> pulumi.Output[str]:
    """The API key secret of one region, still a secret."""
    return key_secrets.apply(lambda secrets: str(secrets[region]))


providers: dict[str, TwilioProvider] = {}
for region, spec in regions.items():
    providers[region] = TwilioProvider(
        f"twilio-{region}",
        account_sid=spec.get("accountSid") or account_sid,
        api_key_sid=spec["apiKeySid"],
        api_key_secret=key_secret(region),
        region=region,
        label=f"{label_prefix} {region}",
    )

numbers: dict[str, pulumi.Output] = {}
assigned: dict[str, pulumi.Output] = {}
for number, region in region_of.items():
    phone = PhoneNumber(
        f"number-{slug(number)}",
        number=number,
        provider_id=providers[region].id,
        label=f"{label_prefix} {number}",
    )
    numbers[number] = phone.id
    if number in agent_of:
        route = NumberAssignment(
            f"route-{slug(number)}", phone_number_id=phone.id, agent_id=agent_of[number]
        )
        assigned[number] = route.agent_id

pulumi.export("provider_ids", {region: p.id for region, p in providers.items()})
pulumi.export("number_ids", numbers)
pulumi.export("number_regions", region_of)
pulumi.export("routes", assigned)
