"""Agent rules: lookups (legacy ``/agents``, current ``/v1/agents``) and agent deletion (U23).

Agents cannot be created through the emulated API (the project only needs to check that an
``agent_id`` exists, ``docs/cartesia-api.md §2.16``); they come from seeds. Every field the
emulator returns and every value it has to make up is listed in COVERAGE.md (U30-U34):

* Legacy ``GET /agents`` → ``{"summaries": [AgentSummary...]}``, ``GET /agents/{agent_id}`` →
  ``AgentSummary`` (docs.cartesia.ai/api-reference/agents/agents/list, .../agents/get).
* Current ``GET /v1/agents`` → ``{"data": [ManagedAgentSummary...], "has_more", "next_page"}``,
  cursor-paginated like phone numbers; ``GET /v1/agents/{agent_id}`` → ``ManagedAgent``
  (docs.cartesia.ai/api-reference/agents/list, .../agents/get).

Another organisation's agent is invisible: 404, like an unknown one (U25).
"""

from __future__ import annotations

import sqlite3
from typing import Any

from cartesia_pulumi.emulator.errors import not_found
from cartesia_pulumi.emulator.pagination import PageRequest, Pages
from cartesia_pulumi.emulator.store import Tx

#: Values the lookup routes must return but the emulator does not model (U30, U33).
DEFAULT_TTS_VOICE = "emulator-default-voice"
DEFAULT_TTS_LANGUAGE = "en"
DEFAULT_MODEL = "gpt-5.4-mini"

_SELECT = "SELECT a.* FROM agents a"
_PAGES = Pages(_SELECT, "a", "agents", "an agent")


def require_agent(tx: Tx, org_id: str, agent_id: str) -> sqlite3.Row:
    """The organisation's agent; 404 when unknown or another organisation's (U25)."""
    row = tx.agent(org_id, agent_id)
    if row is None:
        raise not_found("Agent", agent_id)
    return row


def _phone_numbers(tx: Tx, org_id: str, agent_id: str) -> list[dict[str, str]]:
    rows = tx.all(
        "SELECT id, number FROM phone_numbers WHERE org_id = ? AND agent_id = ? ORDER BY seq",
        (org_id, agent_id),
    )
    return [{"id": str(r["id"]), "number": str(r["number"])} for r in rows]


def render_summary(row: sqlite3.Row) -> dict[str, Any]:
    """``ManagedAgentSummary`` of ``GET /v1/agents`` (all six fields are required there)."""
    return {
        "id": row["id"],
        "name": row["name"],
        "description": row["description"],
        "created_at": row["created_at"],
        "updated_at": row["updated_at"],
        "version_id": row["version_id"],
    }


def render_legacy(tx: Tx, row: sqlite3.Row) -> dict[str, Any]:
    """Legacy ``AgentSummary``: the documented required fields plus the nullable ones (U30).

    ``phone_numbers`` lists the numbers assigned to the agent (``{id, number}``, oldest first);
    the rest of what the emulator does not model has neutral values.
    """
    out = render_summary(row)
    del out["version_id"]
    out.update(
        tts_voice=DEFAULT_TTS_VOICE,
        tts_language=DEFAULT_TTS_LANGUAGE,
        noise_suppression_level=0,
        has_text_to_agent_run=False,
        deployment_count=0,
        webhook_id=None,
        deleted_at=None,
        git_repository=None,
        git_deploy_branch=None,
        phone_numbers=_phone_numbers(tx, str(row["org_id"]), str(row["id"])),
    )
    return out


def _default_config(name: str) -> dict[str, Any]:
    """A complete ``ManagedAgentConfig`` with neutral values (U33: not modelled)."""
    return {
        "instructions": f"You are {name}.",
        "initial_message": None,
        "model": {"id": DEFAULT_MODEL, "temperature": None, "max_output_tokens": None},
        "language": {"primary": DEFAULT_TTS_LANGUAGE},
        "audio": {
            "input": {"noise_suppression": "auto", "keyterms": []},
            "output": {
                "voice_id": DEFAULT_TTS_VOICE,
                "speed": None,
                "volume": None,
                "emotion": None,
                "pronunciation_dictionary_id": None,
                "background_sound": None,
            },
        },
        "tools": [],
        "system_tools": {"end_call": None, "send_dtmf": None, "transfer_to_number": None},
    }


def render_managed(row: sqlite3.Row) -> dict[str, Any]:
    """``ManagedAgent`` of ``GET /v1/agents/{agent_id}``: summary fields, config and version."""
    out = render_summary(row)
    version_id = out.pop("version_id")
    out["config"] = _default_config(str(row["name"]))
    out["version"] = {
        "id": version_id,
        "description": None,
        "created_at": row["created_at"],
        "created_by": None,
    }
    return out


def list_legacy(tx: Tx, org_id: str) -> dict[str, Any]:
    """Legacy ``GET /agents``: every agent of the organisation, oldest first (U30; unpaginated)."""
    rows = tx.all(_SELECT + " WHERE a.org_id = ? ORDER BY a.seq", (org_id,))
    return {"summaries": [render_legacy(tx, r) for r in rows]}


def get_legacy(tx: Tx, org_id: str, agent_id: str) -> dict[str, Any]:
    """Legacy ``GET /agents/{agent_id}``; 404 for an unknown or another organisation's agent."""
    return render_legacy(tx, require_agent(tx, org_id, agent_id))


def list_v1(tx: Tx, org_id: str, page: PageRequest, q: str | None = None) -> dict[str, Any]:
    """``GET /v1/agents``: summaries, newest first, cursor-paginated (U31).

    ``limit``/``starting_after``/``ending_before`` behave as for phone numbers (U14/U15);
    ``q`` is a case-insensitive substring match on name or description (documented as
    "search agents by name or description"). ``next_page`` is the ID of the page's last item
    when ``has_more`` is true, else null.
    """
    where = ["a.org_id = ?"]
    params: list[Any] = [org_id]
    if q:
        where.append(
            "(instr(lower(a.name), ?) > 0 OR instr(lower(coalesce(a.description, '')), ?) > 0)"
        )
        params += [q.lower(), q.lower()]
    rows, has_more = _PAGES.fetch(tx, org_id, where, params, page)
    data = [render_summary(r) for r in rows]
    return {
        "data": data,
        "has_more": has_more,
        "next_page": data[-1]["id"] if has_more and data else None,
    }


def get_v1(tx: Tx, org_id: str, agent_id: str) -> dict[str, Any]:
    """``GET /v1/agents/{agent_id}``; 404 (error envelope) when unknown or another org's."""
    return render_managed(require_agent(tx, org_id, agent_id))


def legacy_agent_numbers(tx: Tx, org_id: str, agent_id: str) -> list[dict[str, Any]]:
    """Deprecated ``GET /agents/{agent_id}/phone-numbers`` (§2.12).

    Guess: 404 for an unknown agent; lists every number assigned to the agent, oldest first,
    with ``is_cartesia_managed`` true only for provisioned numbers.
    """
    require_agent(tx, org_id, agent_id)
    rows = tx.all(
        "SELECT * FROM phone_numbers WHERE org_id = ? AND agent_id = ? ORDER BY seq",
        (org_id, agent_id),
    )
    return [
        {
            "agent_id": agent_id,
            "number": r["number"],
            "created_at": r["created_at"],
            "updated_at": r["updated_at"],
            "is_cartesia_managed": r["provider_id"] is None,
        }
        for r in rows
    ]


def delete_agent(tx: Tx, org_id: str, agent_id: str) -> None:
    """U23: deleting an agent unassigns its numbers (``agent: null``, ``updated_at`` bumped)."""
    require_agent(tx, org_id, agent_id)
    tx.run(
        "UPDATE phone_numbers SET agent_id = NULL, updated_at = ? WHERE org_id = ? AND agent_id = ?",
        (tx.now, org_id, agent_id),
    )
    tx.run("DELETE FROM agents WHERE org_id = ? AND id = ?", (org_id, agent_id))
