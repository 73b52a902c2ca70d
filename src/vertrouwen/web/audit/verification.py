"""Walking the audit chain: every row's hash and keyed hash recomputed, every link to its predecessor checked, and
the newest anchor outside the database (anchors.py) found unchanged in the table.

What it finds: a changed row (its hash), a row rewritten with the chain's hashes recomputed (its keyed hash: the
key is not in the database), a row removed before a later one (the link), the newest rows removed or the table
emptied (the anchor), and an anchor line that was not written with the key. What it cannot find: rows removed
after the newest anchor was written (none, when every commit writes its anchor and the file is kept), and anything
done by someone who holds both the database and the audit key.
"""

import hmac
from dataclasses import dataclass

from vertrouwen.core.hashchain import GENESIS, chain_hash
from vertrouwen.web.audit import anchors
from vertrouwen.web.audit.models import AuditEvent
from vertrouwen.web.audit.services import chained_content, keyed


@dataclass(frozen=True)
class Finding:
    event_id: int | None  # None: about the anchor file itself
    problem: str


def verify_chain() -> tuple[int, list[Finding]]:
    """The number of events checked, and what is wrong (in Dutch)."""
    findings, previous, checked, keyed_since = [], GENESIS, 0, None
    newest, anchor_problems = anchors.newest()
    anchored = None  # the anchored event's stored hash, once the walk passes it
    for event in AuditEvent.objects.order_by("id").iterator(chunk_size=2000):
        checked += 1
        if event.previous_hash != previous:
            findings.append(Finding(event.id, "sluit niet aan op de gebeurtenis ervoor: er is een gebeurtenis "
                                              "verwijderd of gewijzigd"))
        if chain_hash(event.previous_hash, chained_content(event)) != event.row_hash:
            findings.append(Finding(event.id, "de inhoud past niet bij de hash: de rij is gewijzigd"))
        if event.mac is not None:
            keyed_since = keyed_since or event.id
            if not hmac.compare_digest(event.mac, keyed(event.row_hash)):
                findings.append(Finding(event.id, "de sleutelhash past niet: de rij is herschreven zonder de "
                                                  "auditsleutel (of de sleutel is een andere)"))
        elif keyed_since is not None:
            findings.append(Finding(event.id, "heeft geen sleutelhash, terwijl eerdere gebeurtenissen die wel "
                                              "hebben: de rij is ingevoegd of herschreven zonder de auditsleutel"))
        if newest is not None and event.id == newest.event_id:
            anchored = event.row_hash
        previous = event.row_hash
    findings += [Finding(None, problem) for problem in anchor_problems]
    if newest is not None:
        findings += _anchor_findings(newest, anchored, checked)
    return checked, findings


def _anchor_findings(anchor: anchors.Anchor, stored: str | None, checked: int) -> list[Finding]:
    where = f"het anker buiten de database (regel {anchor.line})"
    if checked == 0:
        return [Finding(anchor.event_id, f"de audittrail is leeg, maar {where} noemt gebeurtenis "
                                         f"{anchor.event_id}: de tabel is geleegd")]
    if stored is None:
        return [Finding(anchor.event_id, f"ontbreekt, maar {where} noemt haar: de nieuwste gebeurtenissen zijn "
                                         f"verwijderd (of de database is teruggezet van een oudere back-up)")]
    if stored != anchor.row_hash:
        return [Finding(anchor.event_id, f"heeft een andere hash dan {where}: de rij is herschreven")]
    return []
