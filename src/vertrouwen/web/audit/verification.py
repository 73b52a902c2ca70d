"""Walking the audit chain: every row's hash recomputed, every link to its predecessor checked."""

from dataclasses import dataclass

from vertrouwen.core.hashchain import GENESIS, chain_hash
from vertrouwen.web.audit.models import AuditEvent
from vertrouwen.web.audit.services import chained_content


@dataclass(frozen=True)
class Finding:
    event_id: int
    problem: str


def verify_chain() -> tuple[int, list[Finding]]:
    """The number of events checked, and what is wrong: a changed row, or a row removed before this one."""
    findings, previous, checked = [], GENESIS, 0
    for event in AuditEvent.objects.order_by("id").iterator(chunk_size=2000):
        checked += 1
        if event.previous_hash != previous:
            findings.append(Finding(event.id, "does not link to the event before it: an event was removed or changed"))
        if chain_hash(event.previous_hash, chained_content(event)) != event.row_hash:
            findings.append(Finding(event.id, "its content does not match its hash: it was changed"))
        previous = event.row_hash
    return checked, findings
