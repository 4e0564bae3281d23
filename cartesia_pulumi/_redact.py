"""Secret scrubbing: every secret this process holds is cut out of text before it leaves.

A server may echo a request (body or headers) in an error message, and an exception chain may
carry such a message into Pulumi's output. So the client and the resources register each secret
they handle (the Cartesia API key, every Twilio key secret in the props they process) with
`remember`, and every error message that leaves the package passes through `scrub`, which
replaces each remembered secret — raw, JSON-escaped or URL-encoded — with ``***``.

The registry is process-wide (the dynamic-provider server runs four RPC threads in one process)
and holds only values already present in that process's memory; it is never written anywhere.
"""

from __future__ import annotations

import json
import threading
from urllib.parse import quote

MASK = "***"
#: Values shorter than this are not scrubbed (they would match ordinary text); real API keys and
#: Twilio key secrets are 32 characters, Cartesia keys longer still.
MIN_SECRET_LENGTH = 8

_lock = threading.Lock()
_secrets: set[str] = set()
_variants: tuple[str, ...] = ()


def _forms(secret: str) -> set[str]:
    """The spellings under which ``secret`` can appear in an echoed request."""
    forms = {secret, json.dumps(secret)[1:-1], quote(secret, safe=""), quote(secret)}
    return {f for f in forms if len(f) >= MIN_SECRET_LENGTH}


def remember(*secrets: object) -> None:
    """Register secrets to be scrubbed from every later message (non-strings are ignored)."""
    global _variants
    fresh = {s for s in secrets if isinstance(s, str) and len(s) >= MIN_SECRET_LENGTH}
    with _lock:
        if fresh <= _secrets:
            return
        _secrets.update(fresh)
        forms: set[str] = set()
        for secret in _secrets:
            forms |= _forms(secret)
        # Longest first, so a secret that contains another is replaced whole.
        _variants = tuple(sorted(forms, key=len, reverse=True))


def scrub(text: str, *extra: object) -> str:
    """``text`` with every remembered secret (and each of ``extra``) replaced by ``***``."""
    variants = _variants
    if extra:
        more: set[str] = set()
        for secret in extra:
            if isinstance(secret, str) and len(secret) >= MIN_SECRET_LENGTH:
                more |= _forms(secret)
        variants = tuple(sorted(set(variants) | more, key=len, reverse=True))
    for form in variants:
        if form in text:
            text = text.replace(form, MASK)
    return text


__all__ = ["MASK", "MIN_SECRET_LENGTH", "remember", "scrub"]
