"""The plugin adapter: provider RPC messages <-> `cartesia_pulumi.core`, behind one error boundary.

`NativeLifecycle` is synchronous and framework-free apart from the protobuf messages: each method
takes the engine's request, calls the core module of the resource type named in the URN, and
builds the response. `cartesia_pulumi.provider.server` runs these methods in worker threads.

The error boundary is the one of the dynamic adapter (`cartesia_pulumi.core.errors.boundary_error`):
every failure leaves as a `CartesiaResourceError` whose message is one scrubbed sentence; the
server sends that sentence as the gRPC status message, without a traceback.

Secrets: the plugin accepts secrets, so values arrive wrapped; `values.from_struct` unwraps them
(remembering each for scrubbing) and `values.to_struct` marks outputs secret per the core table
(``api_key_secret``) and per the keys the program sent as secrets.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import ModuleType
from typing import Any, Final

from google.protobuf import empty_pb2
from pulumi.runtime.proto import plugin_pb2, provider_pb2

from cartesia_pulumi._redact import scrub
from cartesia_pulumi._version import __version__
from cartesia_pulumi.config import CONFIG_KEYS
from cartesia_pulumi.core import number_assignment, phone_number, twilio_provider
from cartesia_pulumi.core.errors import CartesiaResourceError, boundary_error
from cartesia_pulumi.core.fields import Schema
from cartesia_pulumi.core.session import SESSION
from cartesia_pulumi.provider import schema as package_schema
from cartesia_pulumi.provider.values import Incoming, from_struct, to_struct


@dataclass(frozen=True)
class Kind:
    """One resource type: its token, its core module and field table."""

    token: str
    core: ModuleType
    table: Schema

    @property
    def name(self) -> str:
        return self.table.resource


KINDS: Final[Mapping[str, Kind]] = {
    k.token: k
    for k in (
        Kind("cartesia:index:TwilioProvider", twilio_provider, twilio_provider.SCHEMA),
        Kind("cartesia:index:PhoneNumber", phone_number, phone_number.SCHEMA),
        Kind("cartesia:index:NumberAssignment", number_assignment, number_assignment.SCHEMA),
    )
}


def type_of(urn: str) -> str:
    """The resource type token of ``urn`` (``urn:pulumi:stack::project::[parent$]type::name``)."""
    parts = urn.split("::")
    if len(parts) < 4:
        return ""
    return parts[2].split("$")[-1]


def config_from(variables: Mapping[str, str], args: Incoming) -> dict[str, Any]:
    """The ``cartesia:*`` settings from a Configure request.

    ``args`` (the provider's inputs: ``apiKey``, ...) win over ``variables`` (the stack config,
    keyed ``cartesia:apiKey`` or ``cartesia:config:apiKey``).
    """
    config: dict[str, Any] = {}
    for key in CONFIG_KEYS:
        package, name = key.split(":", 1)
        for candidate in (key, f"{package}:config:{name}"):
            value = variables.get(candidate)
            if value:
                config[key] = value
        arg = args.props.get(package_schema.to_snake(name))
        if isinstance(arg, str) and arg:
            config[key] = arg
    return config


class NativeLifecycle:
    """Provider RPCs for the three resource types. Holds no state: the session is `SESSION`."""

    version: str = __version__

    # -- lookups ---------------------------------------------------------------------------

    @staticmethod
    def kind(urn: str, operation: str) -> Kind:
        token = type_of(urn)
        found = KINDS.get(token)
        if found is None:
            raise CartesiaResourceError(
                f"The cartesia provider has no resource type {token!r} ({operation}); use one of "
                f"{', '.join(KINDS)}."
            )
        return found

    @staticmethod
    def _secrets(kind: Kind, *extra: Iterable[str]) -> set[str]:
        keys = set(kind.table.secret_names)
        for more in extra:
            keys.update(more)
        return keys

    @staticmethod
    def _fail(kind: Kind | None, operation: str, exc: Exception) -> Exception:
        return boundary_error(kind.name if kind else "cartesia provider", operation, exc)

    # -- provider ----------------------------------------------------------------------------

    def get_schema(self) -> provider_pb2.GetSchemaResponse:
        return provider_pb2.GetSchemaResponse(schema=package_schema.schema_json(self.version))

    def check_config(self, req: provider_pb2.CheckRequest) -> provider_pb2.CheckResponse:
        # Settings are validated where they are used (a client is made), with one sentence
        # naming the key; nothing to normalise here.
        return provider_pb2.CheckResponse(inputs=req.news)

    def diff_config(self, req: provider_pb2.DiffRequest) -> provider_pb2.DiffResponse:
        olds, news = from_struct(req.olds).props, from_struct(req.news).props
        keys = [package_schema.to_snake(k) for k in package_schema.CONFIG]
        changed = [k for k in keys if olds.get(k) != news.get(k)]
        # Never a replace: new settings (a rotated key, another base URL) apply to the same
        # objects; replacing the provider would replace every resource.
        return provider_pb2.DiffResponse(
            changes=provider_pb2.DiffResponse.DIFF_SOME
            if changed
            else provider_pb2.DiffResponse.DIFF_NONE,
            diffs=[package_schema.to_camel(k) for k in changed],
        )

    def configure(self, req: provider_pb2.ConfigureRequest) -> provider_pb2.ConfigureResponse:
        try:
            SESSION.configure(config_from(dict(req.variables), from_struct(req.args)))
        except Exception as exc:
            raise self._fail(None, "configure", exc) from None
        # supportsPreview=False: during preview the engine answers Create/Update itself with the
        # inputs, as for the dynamic resources, so both adapters preview alike.
        return provider_pb2.ConfigureResponse(
            acceptSecrets=True, acceptResources=False, acceptOutputs=False, supportsPreview=False
        )

    def plugin_info(self) -> plugin_pb2.PluginInfo:
        return plugin_pb2.PluginInfo(version=self.version)

    # -- resources -------------------------------------------------------------------------

    def check(self, req: provider_pb2.CheckRequest) -> provider_pb2.CheckResponse:
        kind = self.kind(req.urn, "check")
        olds, news = from_struct(req.olds), from_struct(req.news)
        try:
            result = kind.core.check(olds.props, news.props)
        except Exception as exc:
            raise self._fail(kind, "check", exc) from None
        return provider_pb2.CheckResponse(
            inputs=to_struct(result.inputs, self._secrets(kind, news.secret_keys)),
            failures=[
                provider_pb2.CheckFailure(
                    property=package_schema.to_camel(f.property), reason=scrub(f.reason)
                )
                for f in result.failures
            ],
        )

    def diff(self, req: provider_pb2.DiffRequest) -> provider_pb2.DiffResponse:
        kind = self.kind(req.urn, "diff")
        olds, news = from_struct(req.olds).props, from_struct(req.news).props
        try:
            result = kind.core.diff(olds, news)
        except Exception as exc:
            raise self._fail(kind, "diff", exc) from None
        return provider_pb2.DiffResponse(
            changes=provider_pb2.DiffResponse.DIFF_SOME
            if result.changes
            else provider_pb2.DiffResponse.DIFF_NONE,
            replaces=[package_schema.to_camel(r) for r in result.replaces],
            deleteBeforeReplace=result.delete_before_replace,
        )

    def create(self, req: provider_pb2.CreateRequest) -> provider_pb2.CreateResponse:
        kind = self.kind(req.urn, "create")
        props = from_struct(req.properties)
        try:
            result = kind.core.create(props.props)
        except Exception as exc:
            raise self._fail(kind, "create", exc) from None
        return provider_pb2.CreateResponse(
            id=result.id,
            properties=to_struct(result.outputs, self._secrets(kind, props.secret_keys)),
        )

    def read(self, req: provider_pb2.ReadRequest) -> provider_pb2.ReadResponse:
        """Refresh, and `pulumi import` (no properties, no inputs: the id alone)."""
        kind = self.kind(req.urn, "read")
        state, inputs = from_struct(req.properties), from_struct(req.inputs)
        props = dict(state.props)
        for key, value in inputs.props.items():
            props.setdefault(key, value)
        secrets = self._secrets(kind, state.secret_keys, inputs.secret_keys)
        try:
            result = kind.core.read(req.id, props)
        except Exception as exc:
            raise self._fail(kind, "refresh" if state.props else "import", exc) from None
        if not result.id:
            return provider_pb2.ReadResponse(id="")
        response = provider_pb2.ReadResponse(
            id=result.id, properties=to_struct(result.outputs, secrets)
        )
        if result.inputs is not None:
            response.inputs.CopyFrom(to_struct(result.inputs, secrets))
        return response

    def update(self, req: provider_pb2.UpdateRequest) -> provider_pb2.UpdateResponse:
        kind = self.kind(req.urn, "update")
        olds, news = from_struct(req.olds), from_struct(req.news)
        try:
            outputs = kind.core.update(req.id, olds.props, news.props)
        except Exception as exc:
            raise self._fail(kind, "update", exc) from None
        return provider_pb2.UpdateResponse(
            properties=to_struct(outputs, self._secrets(kind, news.secret_keys, olds.secret_keys))
        )

    def delete(self, req: provider_pb2.DeleteRequest) -> empty_pb2.Empty:
        kind = self.kind(req.urn, "delete")
        props = from_struct(req.properties)
        try:
            kind.core.delete(req.id, props.props)
        except Exception as exc:
            raise self._fail(kind, "delete", exc) from None
        return empty_pb2.Empty()


__all__ = ["KINDS", "Kind", "NativeLifecycle", "config_from", "type_of"]
