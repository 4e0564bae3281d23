"""Request paths: literal segments and ids joined, each id URL-quoted (``/``, ``?``, ``#`` included).

Ids are opaque (docs/cartesia-api.md §1.4); quoting them means no id can change which route a
request reaches, whatever it contains.
"""

from __future__ import annotations

from urllib.parse import quote


def path_of(*segments: str) -> str:
    """``/seg1/seg2/...`` with every segment percent-encoded."""
    return "/" + "/".join(quote(s, safe="") for s in segments)
