"""The interface is Dutch: every message has a translation, and the pages come out in Dutch."""

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

PO_FILE = (Path(__file__).resolve().parents[2] / "src" / "vertrouwen" / "web" / "locale" / "nl" / "LC_MESSAGES"
           / "django.po")
PLACEHOLDER = re.compile(r"%(?:\([a-z_]+\))?[sd]|%%")


def catalog():
    with PO_FILE.open("rb") as f:
        return read_po(f, locale="nl")


def test_every_message_is_translated_and_none_is_fuzzy():
    cat = catalog()
    assert not cat.fuzzy, "the catalogue's header is marked fuzzy"
    problems = []
    for message in cat:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy:
            problems.append(f"fuzzy: {message.id!r}")
        if any(not s or not s.strip() for s in strings):
            problems.append(f"empty: {message.id!r}")
    assert not problems, "\n".join(problems)
    assert len([m for m in cat if m.id]) > 100


def test_translations_keep_their_placeholders():
    problems = []
    for message in catalog():
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        expected = set(PLACEHOLDER.findall(ids[-1]))
        for s in strings:
            if set(PLACEHOLDER.findall(s or "")) - set(PLACEHOLDER.findall(" ".join(ids))):
                problems.append(f"{message.id!r}: {s!r}")
            if len(ids) == 1 and set(PLACEHOLDER.findall(s or "")) != expected:
                problems.append(f"{message.id!r}: {s!r}")
    assert not problems, "\n".join(problems)


def test_the_roles_have_their_dutch_names():
    translated = {m.id: m.string for m in catalog() if m.id}
    assert translated["Case manager"] == "Klantmanager"
    assert translated["Project lead"] == "Projectleider"
    assert translated["Researcher"] == "Onderzoeker"
    assert translated["Administrator"] == "Beheerder"


@pytest.mark.django_db
def test_the_login_page_is_in_dutch(client):
    response = client.get("/inloggen/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="nl"' in html
    for dutch in ("<title>Inloggen · Vertrouwen", "Inloggen</h1>", ">Gebruikersnaam</label>", ">Wachtwoord</label>",
                  "Direct naar de inhoud", "Een burgerservicenummer (BSN) ziet alleen de eigen klantmanager"):
        assert dutch in html
    for english in (">Log in<", "Username", ">User name<", ">Password<", "Skip to"):
        assert english not in html
