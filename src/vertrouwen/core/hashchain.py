"""Hash chains: the lottery's draws per experiment, and the audit trail.

Each record (a draw: what was drawn, how, from which input, with which result; an audit event: who did what to
which object) is serialised canonically and hashed together with the hash of the record before it. Changing,
inserting or removing a record changes its hash and breaks the link of every later one, which
`vertrouwen verify-allocations` and `vertrouwen verify-audit` report.
"""

import hashlib
import json
from collections.abc import Mapping

GENESIS = "0" * 64  # the "previous hash" of a chain's first record


def canonical(value: object) -> bytes:
    """One byte string per value: sorted keys, no spaces, UTF-8; dates must be given as ISO text."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def digest(value: object) -> str:
    return hashlib.sha256(canonical(value)).hexdigest()


def chain_hash(previous_hash: str, record: Mapping[str, object]) -> str:
    """The link of a record: SHA-256 of the previous link and the record in canonical form."""
    return hashlib.sha256(previous_hash.encode("ascii") + b"\n" + canonical(dict(record))).hexdigest()

