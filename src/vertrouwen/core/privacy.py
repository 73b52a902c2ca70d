"""BSN handling: the 11-proef, keyed pseudonyms and encryption at rest.

A BSN is stored only encrypted (Fernet) plus a keyed HMAC to find a person again; nothing else is derived
from it.
"""

import hashlib
import hmac

from cryptography.fernet import Fernet

# The 11-proef's weight for each of the nine digits: the weighted sum of a BSN is divisible by 11.
BSN_WEIGHTS: tuple[int, ...] = (9, 8, 7, 6, 5, 4, 3, 2, -1)


def is_valid_bsn(value: str) -> bool:
    """Nine digits passing the 11-proef (BSN_WEIGHTS); 000000000 is never valid."""
    if len(value) != 9 or not value.isascii() or not value.isdigit() or value == "000000000":
        return False
    weighted = sum(int(d) * w for d, w in zip(value, BSN_WEIGHTS, strict=True))
    return weighted % 11 == 0


def pseudonym(value: str, key: str) -> str:
    """Keyed HMAC-SHA256 of a value, hex; the same value and key give the same pseudonym."""
    return hmac.new(key.encode(), value.encode(), hashlib.sha256).hexdigest()


def encrypt(value: str, key: str) -> str:
    return Fernet(key.encode()).encrypt(value.encode()).decode()


def decrypt(token: str, key: str) -> str:
    return Fernet(key.encode()).decrypt(token.encode()).decode()
