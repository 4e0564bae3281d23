"""Quickstart: link a Twilio account, import two numbers, route both to one agent.

Stack configuration (namespace `cartesia-quickstart`, see README.md next to this file):

    twilioAccountSid      AC… of the Twilio account (or subaccount)
    twilioApiKeySid       SK… of a Standard API key created in `region`
    twilioApiKeySecret    that key's secret            (set with --secret)
    region                us1 | ie1 | au1               (default us1)
    numbers               JSON list of E.164 numbers already in the Twilio account
    agentId               the Cartesia agent that answers them

Cartesia credentials come from `cartesia:apiKey` (secret) and optionally `cartesia:baseUrl`.
"""

from __future__ import annotations

import pulumi

from cartesia_pulumi import NumberAssignment, PhoneNumber, TwilioProvider

config = pulumi.Config()
region = config.get("region") or "us1"
agent_id = config.require("agentId")
numbers: list[str] = config.require_object("numbers")

twilio = TwilioProvider(
    f"twilio-{region}",
    account_sid=config.require("twilioAccountSid"),
    api_key_sid=config.require("twilioApiKeySid"),
    api_key_secret=config.require_secret("twilioApiKeySecret"),
    region=region,
)

routes = {}
for number in numbers:
    slug = number.lstrip("+")
    phone = PhoneNumber(f"number-{slug}", number=number, provider_id=twilio.id, label=f"Line {number}")
    route = NumberAssignment(f"route-{slug}", phone_number_id=phone.id, agent_id=agent_id)
    routes[number] = route.agent_id

pulumi.export("provider_id", twilio.id)
pulumi.export("masked_api_key_sid", twilio.masked_api_key_sid)
pulumi.export("routes", routes)
