"""A small, pure-Python stand-in for the ``pulumi-resource-random`` provider plugin (tooling).

Why: the official plugin (Go module ``github.com/pulumi/pulumi-random/provider/v4``) cannot be
built here -- the Go module proxy refuses it -- so a program using ``pulumi_random.RandomPet``
fails in the real engine with "no resource plugin 'pulumi-resource-random' found".
``tools/build-pulumi.sh`` copies this file next to the real ``pulumi`` binary and writes a
``pulumi-resource-random`` sh launcher that runs it with ``python -u``.

Scope: **only** ``random:index/randomPet:RandomPet`` is implemented. Every other resource type
of the random package is refused in ``Check``. Pet names come from our own small word lists
(``length - 1`` adjectives, then one noun, joined by ``separator``; ``prefix`` + ``separator``
first when a prefix is set), so they do not look like the official provider's names, only
follow the same shape. Any change of ``keepers``, ``length``, ``prefix`` or ``separator``
replaces the pet, as with the official provider.

Protocol (``pkg/resource/plugin/provider_plugin.go`` and ``plugin.go`` in pulumi v3.274.1):

* The engine starts ``pulumi-resource-random [flags] <engine-address>`` and reads the gRPC port
  from the first line of stdout; it then calls ``Handshake`` (a launched provider that answers
  it is treated as supporting previews and secrets as answered), ``GetPluginInfo``,
  ``CheckConfig``/``DiffConfig``/``Configure`` and the resource methods.
* ``Create`` is called with ``preview=True`` during previews: the name is reported as unknown.
* Unknown values arrive as the sentinel string below; secrets, since we accept them, as
  ``{SIG: SECRET_SIG, "value": ...}`` objects, which we unwrap to compute and keep in outputs.
* The engine kills the process when it is done, so we simply serve until terminated.
"""

from __future__ import annotations

import secrets as _secrets
import sys
from concurrent import futures
from typing import Any

import grpc
from google.protobuf import empty_pb2, struct_pb2
from google.protobuf.json_format import MessageToDict
from pulumi.runtime.proto import plugin_pb2, provider_pb2, provider_pb2_grpc

VERSION = "4.21.4"
PET_TYPE = "random:index/randomPet:RandomPet"
UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"
SIG = "4dabf18193072939515e22adb298388d"
SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270"
#: Inputs whose change replaces the pet.
REPLACE_KEYS = ("keepers", "length", "prefix", "separator")

ADJECTIVES = (
    "amber", "brave", "calm", "clever", "cosmic", "daring", "eager", "fancy", "gentle",
    "happy", "jolly", "keen", "lively", "lucky", "mellow", "nimble", "noble", "polite",
    "proud", "quick", "quiet", "rapid", "shiny", "sunny", "swift", "tidy", "vivid", "witty",
)  # fmt: skip
NOUNS = (
    "badger", "beetle", "bison", "crane", "dingo", "eagle", "ferret", "gecko", "heron",
    "ibis", "jackal", "koala", "lemur", "lynx", "marmot", "newt", "otter", "panda", "quail",
    "raven", "salmon", "tapir", "toucan", "walrus", "wombat", "yak", "zebra",
)  # fmt: skip


# -- value helpers -----------------------------------------------------------------------------
def _to_dict(s: struct_pb2.Struct) -> dict[str, Any]:
    return MessageToDict(s, preserving_proto_field_name=True) if s is not None else {}


def _to_struct(d: dict[str, Any]) -> struct_pb2.Struct:
    out = struct_pb2.Struct()
    out.update(d)
    return out


def _plain(value: Any) -> Any:
    """``value`` with secret wrappers removed (recursively)."""
    if isinstance(value, dict):
        if value.get(SIG) == SECRET_SIG:
            return _plain(value.get("value"))
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _is_unknown(value: Any) -> bool:
    """Whether ``value`` is, or contains, an unknown (preview) value."""
    if value == UNKNOWN:
        return True
    if isinstance(value, dict):
        return any(_is_unknown(v) for v in value.values())
    if isinstance(value, list):
        return any(_is_unknown(v) for v in value)
    return False


def _pet_name(props: dict[str, Any]) -> str:
    length = int(_plain(props.get("length", 2)))
    separator = str(_plain(props.get("separator", "-")))
    prefix = _plain(props.get("prefix"))
    words = [_secrets.choice(ADJECTIVES) for _ in range(length - 1)]
    words.append(_secrets.choice(NOUNS))
    if prefix:
        words.insert(0, str(prefix))
    return separator.join(words)


# -- the provider ------------------------------------------------------------------------------
class RandomPetProvider(provider_pb2_grpc.ResourceProviderServicer):
    """``random`` provider limited to ``RandomPet``."""

    def Handshake(
        self, request: provider_pb2.ProviderHandshakeRequest, context: grpc.ServicerContext
    ) -> provider_pb2.ProviderHandshakeResponse:
        return provider_pb2.ProviderHandshakeResponse(
            accept_secrets=True, accept_resources=True, accept_outputs=False
        )

    def GetPluginInfo(
        self, request: empty_pb2.Empty, context: grpc.ServicerContext
    ) -> plugin_pb2.PluginInfo:
        return plugin_pb2.PluginInfo(version=VERSION)

    def GetSchema(
        self, request: provider_pb2.GetSchemaRequest, context: grpc.ServicerContext
    ) -> provider_pb2.GetSchemaResponse:
        return provider_pb2.GetSchemaResponse(
            schema='{"name":"random","version":"' + VERSION + '"}'
        )

    def CheckConfig(
        self, request: provider_pb2.CheckRequest, context: grpc.ServicerContext
    ) -> provider_pb2.CheckResponse:
        return provider_pb2.CheckResponse(inputs=request.news)

    def DiffConfig(
        self, request: provider_pb2.DiffRequest, context: grpc.ServicerContext
    ) -> provider_pb2.DiffResponse:
        return provider_pb2.DiffResponse(changes=provider_pb2.DiffResponse.DIFF_NONE)

    def Configure(
        self, request: provider_pb2.ConfigureRequest, context: grpc.ServicerContext
    ) -> provider_pb2.ConfigureResponse:
        return provider_pb2.ConfigureResponse(
            acceptSecrets=True, supportsPreview=True, acceptResources=True
        )

    def Cancel(self, request: empty_pb2.Empty, context: grpc.ServicerContext) -> empty_pb2.Empty:
        return empty_pb2.Empty()

    # -- resources ----------------------------------------------------------------------------
    @staticmethod
    def _require_pet(type_: str, urn: str, context: grpc.ServicerContext) -> None:
        # URN: urn:pulumi:<stack>::<project>::<parent$...$type>::<name>
        token = type_ or urn.split("::")[-2].rsplit("$", 1)[-1]
        if token != PET_TYPE:
            context.abort(
                grpc.StatusCode.UNIMPLEMENTED,
                f"this stand-in random provider only implements {PET_TYPE}, not {token}",
            )

    def Check(
        self, request: provider_pb2.CheckRequest, context: grpc.ServicerContext
    ) -> provider_pb2.CheckResponse:
        self._require_pet(request.type, request.urn, context)
        news = _to_dict(request.news)
        news.setdefault("length", 2)
        news.setdefault("separator", "-")
        failures = []
        length = _plain(news["length"])
        if not _is_unknown(length) and (
            not isinstance(length, int | float) or int(length) != length or length < 1
        ):
            failures.append(
                provider_pb2.CheckFailure(
                    property="length", reason="length must be an integer >= 1"
                )
            )
        elif isinstance(length, float):
            news["length"] = int(length)
        return provider_pb2.CheckResponse(inputs=_to_struct(news), failures=failures)

    def Diff(
        self, request: provider_pb2.DiffRequest, context: grpc.ServicerContext
    ) -> provider_pb2.DiffResponse:
        olds = _to_dict(request.olds)
        news = _to_dict(request.news)
        replaces: list[str] = []
        detailed: dict[str, provider_pb2.PropertyDiff] = {}
        for key in REPLACE_KEYS:
            old, new = olds.get(key), news.get(key)
            if _is_unknown(new) or _plain(old) != _plain(new):
                replaces.append(key)
                if key not in olds:
                    kind = provider_pb2.PropertyDiff.ADD_REPLACE
                elif key not in news:
                    kind = provider_pb2.PropertyDiff.DELETE_REPLACE
                else:
                    kind = provider_pb2.PropertyDiff.UPDATE_REPLACE
                detailed[key] = provider_pb2.PropertyDiff(kind=kind, inputDiff=True)
        changes = (
            provider_pb2.DiffResponse.DIFF_SOME if replaces else provider_pb2.DiffResponse.DIFF_NONE
        )
        return provider_pb2.DiffResponse(
            changes=changes,
            replaces=replaces,
            diffs=replaces,
            detailedDiff=detailed,
            hasDetailedDiff=True,
            deleteBeforeReplace=False,
        )

    def Create(
        self, request: provider_pb2.CreateRequest, context: grpc.ServicerContext
    ) -> provider_pb2.CreateResponse:
        self._require_pet(request.type, request.urn, context)
        props = _to_dict(request.properties)
        if request.preview or _is_unknown(props):
            props["id"] = UNKNOWN
            return provider_pb2.CreateResponse(id="", properties=_to_struct(props))
        name = _pet_name(props)
        props["id"] = name
        return provider_pb2.CreateResponse(id=name, properties=_to_struct(props))

    def Read(
        self, request: provider_pb2.ReadRequest, context: grpc.ServicerContext
    ) -> provider_pb2.ReadResponse:
        props = _to_dict(request.properties)
        inputs = _to_dict(request.inputs)
        if not inputs:  # e.g. an import: rebuild the inputs from the state
            inputs = {k: props[k] for k in REPLACE_KEYS if k in props}
        if not props:
            props = dict(inputs)
        props.setdefault("id", request.id)
        return provider_pb2.ReadResponse(
            id=request.id, properties=_to_struct(props), inputs=_to_struct(inputs)
        )

    def Update(
        self, request: provider_pb2.UpdateRequest, context: grpc.ServicerContext
    ) -> provider_pb2.UpdateResponse:
        # Every input change replaces the pet, so the engine never asks for an update in
        # practice; keep the name and take the new inputs.
        props = _to_dict(request.news)
        props["id"] = request.id
        return provider_pb2.UpdateResponse(properties=_to_struct(props))

    def Delete(
        self, request: provider_pb2.DeleteRequest, context: grpc.ServicerContext
    ) -> empty_pb2.Empty:
        return empty_pb2.Empty()


def main() -> None:
    """Serve on a free localhost port and print the port first on stdout."""
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=4))
    provider_pb2_grpc.add_ResourceProviderServicer_to_server(RandomPetProvider(), server)
    port = server.add_insecure_port("127.0.0.1:0")
    server.start()
    sys.stdout.write(f"{port}\n")
    sys.stdout.flush()
    try:
        server.wait_for_termination()
    except KeyboardInterrupt:
        server.stop(0)


if __name__ == "__main__":
    main()
