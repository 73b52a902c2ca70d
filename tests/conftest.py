"""Shared by every test: the Dutch message catalogue compiled, as `make` does, when run without make."""

from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

MESSAGES = Path(__file__).resolve().parents[1] / "src" / "vertrouwen" / "web" / "locale" / "nl" / "LC_MESSAGES"


def _compile_messages_if_stale() -> None:
    po, mo = MESSAGES / "django.po", MESSAGES / "django.mo"
    if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
        with po.open("rb") as source:
            catalog = read_po(source, locale="nl")
        with mo.open("wb") as target:
            write_mo(target, catalog)


_compile_messages_if_stale()
