"""cartesia-pulumi: Pulumi dynamic resources for Cartesia voice-agent telephony."""
