"""Anchors of the audit trail outside the database: after each commit, the id, hash and keyed hash of its newest
event are appended to a file of this database's own (settings.AUDIT_ANCHOR_DIR) and written to the log. Whoever
can change the database but not this file (or the log shipped elsewhere) can remove the newest events or empty the
table, but `vertrouwen verify-audit` then finds the newest anchored event missing or changed.

Each line is signed with the audit key, so a line cannot be forged without it. Lines may be pruned like any log:
the newest line is what verification needs, because the chain links every earlier event to it.
"""

import hashlib
import hmac
import json
import logging
import os
import re
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connection

logger = logging.getLogger("vertrouwen.audit.anchor")


@dataclass(frozen=True)
class Anchor:
    event_id: int
    row_hash: str
    line: int  # in the file, from 1


def anchor_file() -> Path:
    """This database's anchor file: named after the database (and for PostgreSQL its server), so that databases
    on one machine (a copy restored beside the original, a test database) never share anchors."""
    database = connection.settings_dict
    if connection.vendor == "sqlite":
        name = Path(str(database["NAME"])).stem
    else:
        name = f"{database.get('HOST') or 'local'}-{database.get('PORT') or 'default'}-{database['NAME']}"
    return Path(settings.AUDIT_ANCHOR_DIR) / (re.sub(r"[^A-Za-z0-9._-]", "_", name) + ".jsonl")


def write(event_id: int, row_hash: str, mac: str) -> None:
    """Append the anchor of a committed event. A failure to write is logged, never raised: the change has been
    committed, and verification names the anchor's absence as the newest events not anchored."""
    line = json.dumps({"id": event_id, "row_hash": row_hash, "mac": mac, "sig": _signature(event_id, row_hash)},
                      separators=(",", ":"))
    logger.info("audit anchor %s", line)
    try:
        path = anchor_file()
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            os.write(descriptor, (line + "\n").encode("ascii"))  # one write with O_APPEND: lines never interleave
        finally:
            os.close(descriptor)
    except OSError:
        logger.exception("the audit anchor of event %s could not be written", event_id)


def newest(path: Path | None = None) -> tuple[Anchor | None, list[str]]:
    """The valid anchor with the highest event id (of two with one id, the later: a database restored over itself
    writes its new events' anchors after the old ones), and a problem per line that is not a valid anchor (read
    line by line: the file can be long)."""
    path = path or anchor_file()
    found, problems = None, []
    if not path.exists():
        return None, []
    with path.open(encoding="ascii", errors="replace") as lines:
        for number, text in enumerate(lines, 1):
            anchor = _read(text, number)
            if anchor is None:
                problems.append(f"{path.name}, regel {number}: geen geldig anker (niet met de auditsleutel "
                                f"ondertekend of beschadigd)")
            elif found is None or anchor.event_id >= found.event_id:  # the later line: a forced restore's anew
                found = anchor
    return found, problems


def _read(text: str, number: int) -> Anchor | None:
    try:
        data = json.loads(text)
        event_id, row_hash, signature = int(data["id"]), str(data["row_hash"]), str(data["sig"])
    except (ValueError, KeyError, TypeError):
        return None
    if not hmac.compare_digest(signature, _signature(event_id, row_hash)):
        return None
    return Anchor(event_id, row_hash, number)


def _signature(event_id: int, row_hash: str) -> str:
    message = f"anker\n{event_id}\n{row_hash}".encode()
    return hmac.new(settings.AUDIT_KEY.encode(), message, hashlib.sha256).hexdigest()
