"""The ``cartesia`` Pulumi provider plugin: a second thin adapter over `cartesia_pulumi.core`.

`schema` builds the package schema from the core field tables, `values` translates engine property
values to core dicts and back, `adapter` maps core results to the provider RPCs behind one error
boundary, and `server` is the gRPC ``ResourceProvider`` the engine launches as
``pulumi-resource-cartesia`` (docs/native-provider.md).
"""
