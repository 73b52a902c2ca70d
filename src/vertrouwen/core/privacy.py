"""BSN handling: the 11-proef, keyed pseudonyms and encryption at rest.

A BSN is stored only encrypted (Fernet) plus a keyed HMAC to find a person again; nothing else is derived
from it.
"""

import hashlib
import hmac
import re

from cryptography.fernet import Fernet

# The 11-proef's weight for each of the nine digits: the weighted sum of a BSN is divisible by 11.
BSN_WEIGHTS: tuple[int, ...] = (9, 8, 7, 6, 5, 4, 3, 2, -1)


def is_valid_bsn(value: str) -> bool:
    """Nine digits passing the 11-proef (BSN_WEIGHTS); 000000000 is never valid."""
    if len(value) != 9 or not value.isascii() or not value.isdigit() or value == "000000000":
        return False
    weighted = sum(int(d) * w for d, w in zip(value, BSN_WEIGHTS, strict=True))
    return weighted % 11 == 0


# Nine digits in a run (111222333) or grouped as BSNs are printed (1112.22.333, 111 222 333, 111-222-333); not part
# of a longer number, a word or a decimal.
_BSN_LIKE = re.compile(
    r"(?<![0-9A-Za-z])(?<![0-9][.,])"
    r"([0-9]{9}|[0-9]{4}([. \u00a0-])[0-9]{2}\2[0-9]{3}|[0-9]{3}([. \u00a0-])[0-9]{3}\3[0-9]{3})"
    r"(?![0-9A-Za-z])(?![.,][0-9])"
)
BSN_MASK = "*********"


def bsns_in(text: str) -> list[str]:
    """Every number in the text, grouped or not, that passes the 11-proef: a BSN, or what could be one."""
    return [m.group(1) for m in _BSN_LIKE.finditer(text) if is_valid_bsn(re.sub(r"[^0-9]", "", m.group(1)))]


def mask_bsns(text: str) -> str:
    """The text with every number that passes the 11-proef masked."""
    return _BSN_LIKE.sub(lambda m: BSN_MASK if is_valid_bsn(re.sub(r"[^0-9]", "", m.group(1))) else m.group(0), text)


def pseudonym(value: str, key: str) -> str:
    """Keyed HMAC-SHA256 of a value, hex; the same value and key give the same pseudonym."""
    return hmac.new(key.encode(), value.encode(), hashlib.sha256).hexdigest()


def encrypt(value: str, key: str) -> str:
    return Fernet(key.encode()).encrypt(value.encode()).decode()


def decrypt(token: str, key: str) -> str:
    return Fernet(key.encode()).decrypt(token.encode()).decode()
