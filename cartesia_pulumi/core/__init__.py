"""The resources' operations, free of any Pulumi runtime: check, diff, create, read, update, delete.

Each module (`twilio_provider`, `phone_number`, `number_assignment`) holds one resource's field
table (`fields.Schema`) and its operations on plain dicts, returning plain results
(`fields.Checked`, `fields.Diff`, `fields.Created`, `fields.Refreshed`). The Pulumi adapters in
`cartesia_pulumi.resources` translate to and from the engine; the logic lives only here.
"""

from cartesia_pulumi.core.errors import CartesiaResourceError

__all__ = ["CartesiaResourceError"]
