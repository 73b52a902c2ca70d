"""The hash chain over an experiment's draws.

Each draw's record (what was drawn, how, from which input, with which result) is serialised canonically and
hashed together with the chain hash of the draw before it. Changing, inserting or removing a draw changes its
hash and breaks the link of every later draw, which `vertrouwen verify-allocations` reports.
"""

import hashlib
import json
from collections.abc import Mapping

GENESIS = "0" * 64  # the "previous hash" of an experiment's first draw


def canonical(value: object) -> bytes:
    """One byte string per value: sorted keys, no spaces, UTF-8; dates must be given as ISO text."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def digest(value: object) -> str:
    return hashlib.sha256(canonical(value)).hexdigest()


def chain_hash(previous_hash: str, record: Mapping[str, object]) -> str:
    """The link of a draw: SHA-256 of the previous link and the draw's canonical record."""
    return hashlib.sha256(previous_hash.encode("ascii") + b"\n" + canonical(dict(record))).hexdigest()

