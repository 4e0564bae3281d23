"""What the three resource classes share: reading ``(args | opts, **inputs)`` like generated SDKs.

Generated Pulumi SDKs accept ``Resource(name, args, opts)`` or ``Resource(name, opts, **inputs)``
(both forms typed by ``@overload``); `resource_inputs` sorts the positional arguments out and merges
an ``…Args`` object with keyword inputs (keywords win), refusing a missing required input with the
``TypeError`` generated SDKs raise.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pulumi
from pulumi._types import input_type_to_dict


def resource_inputs(
    resource: str,
    args_type: type,
    args: Sequence[Any],
    kwargs: Mapping[str, Any],
    *,
    required: Sequence[str],
    optional: Sequence[str],
) -> tuple[dict[str, Any], pulumi.ResourceOptions | None]:
    """The inputs and options of one constructor call.

    Raises:
        TypeError: for an unexpected argument or a missing required input.
    """
    rest = list(args)
    given = dict(kwargs)
    args_obj = given.pop("args", None)
    opts = given.pop("opts", None)
    if rest and isinstance(rest[0], args_type):
        args_obj = rest.pop(0)
    if rest and (rest[0] is None or isinstance(rest[0], pulumi.ResourceOptions)):
        opts = rest.pop(0)
    if rest:
        raise TypeError(
            f"{resource}() takes (resource_name, args, opts) or (resource_name, opts, **inputs); "
            f"got an unexpected positional argument {rest[0]!r}."
        )
    unknown = set(given) - set(required) - set(optional)
    if unknown:
        raise TypeError(f"{resource}() got unexpected input(s): {', '.join(sorted(unknown))}.")
    inputs: dict[str, Any] = input_type_to_dict(args_obj) if args_obj is not None else {}
    inputs.update({k: v for k, v in given.items() if v is not None})
    missing = [name for name in required if inputs.get(name) is None]
    if missing and not (opts is not None and opts.urn):
        raise TypeError(f"Missing required property {missing[0]!r} of {resource}.")
    return {name: inputs.get(name) for name in (*required, *optional)}, opts
