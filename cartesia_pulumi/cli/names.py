"""Readable, stable, unique Pulumi resource names for objects found by ``discover``.

A name comes from what a person recognises — the label, else the number or the account and region
— turned into an ASCII slug (accents folded, anything else dropped). Names are assigned in a fixed
order (providers by region, account and id; numbers by E.164), so discovering the same
organisation twice gives the same names, and a collision gets the shortest suffix that separates it
(the last digits of the number or account, then a counter).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

MAX_SLUG = 40


def slug(text: str | None) -> str:
    """``"Café Support ☎ (EU)"`` → ``"cafe-support-eu"``; ``""`` when nothing Latin is left."""
    if not text:
        return ""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    words = re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-")
    return words[:MAX_SLUG].rstrip("-")


class NameBook:
    """Hands out unique names; each candidate list is tried in order, then a counter."""

    def __init__(self, reserved: Iterable[str] = ()) -> None:
        self._taken: set[str] = set(reserved)

    def claim(self, candidates: Iterable[str]) -> str:
        """The first free candidate (non-empty), else the first one with ``-2``, ``-3``, …"""
        options = [c for c in candidates if c]
        if not options:
            raise ValueError("no candidate name")
        for option in options:
            if option not in self._taken:
                self._taken.add(option)
                return option
        n = 2
        while f"{options[0]}-{n}" in self._taken:
            n += 1
        name = f"{options[0]}-{n}"
        self._taken.add(name)
        return name


def provider_names(providers: Iterable[tuple[str, str, str, str | None]]) -> dict[str, str]:
    """Names for providers given as ``(id, account_sid, region, label)``; keyed by id."""
    book = NameBook()
    out: dict[str, str] = {}
    for pid, account, region, label in sorted(providers, key=lambda p: (p[2], p[1], p[0])):
        base = f"twilio-{region}"
        tail = account[-4:].lower()
        labelled = f"{base}-{slug(label)}" if slug(label) else ""
        out[pid] = book.claim([labelled or base, f"{labelled or base}-{tail}"])
    return out


def number_names(numbers: Iterable[tuple[str, str, str | None]]) -> dict[str, str]:
    """Names for numbers given as ``(id, e164, label)``; keyed by id."""
    book = NameBook()
    out: dict[str, str] = {}
    for nid, e164, label in sorted(numbers, key=lambda n: (n[1], n[0])):
        digits = re.sub(r"\D", "", e164)
        by_number = f"number-{digits}"
        by_label = slug(label) if label and label.strip() != e164 else ""
        out[nid] = book.claim([by_label or by_number, f"{by_label}-{digits[-4:]}" if by_label else "", by_number])
    return out
