"""Sealing audit values with a key per subject, so that erasing a person destroys only what was said about them.

Each subject's key is a Fernet key, stored encrypted with the installation's key (VERTROUWEN_BSN_KEY). Call
these inside the audit chain's lock: keys are created on first use.
"""

import json

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder

from vertrouwen.web.audit.models import SubjectKey


def _installation_key() -> Fernet:
    return Fernet(settings.BSN_ENCRYPTION_KEY)


def _key(subject: str, *, create: bool) -> Fernet | None:
    stored = SubjectKey.objects.filter(subject=subject).values_list("sealed_key", flat=True).first()
    if stored is None:
        if not create:
            return None
        key = Fernet.generate_key()
        SubjectKey.objects.create(subject=subject, sealed_key=_installation_key().encrypt(key).decode("ascii"))
        return Fernet(key)
    return Fernet(_installation_key().decrypt(stored.encode("ascii")))


def seal(subject: str, values: dict) -> str:
    text = json.dumps(values, sort_keys=True, cls=DjangoJSONEncoder, ensure_ascii=False)
    return _key(subject, create=True).encrypt(text.encode("utf-8")).decode("ascii")


def unseal(subject: str, sealed: str) -> dict | None:
    """The values, or None when the subject's key was destroyed (their data were erased)."""
    if not sealed:
        return {}
    key = _key(subject, create=False)
    if key is None:
        return None
    try:
        return json.loads(key.decrypt(sealed.encode("ascii")))
    except InvalidToken:
        return None


def forget(subject: str) -> int:
    """Destroy a subject's key; returns 1 when there was one."""
    deleted, _ = SubjectKey.objects.filter(subject=subject).delete()
    return deleted
