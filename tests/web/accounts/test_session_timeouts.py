"""How long a login lasts: 30 minutes without a request, or 8 hours after the login whatever the activity (settings
SESSION_IDLE_TIMEOUT and SESSION_ABSOLUTE_TIMEOUT, from VERTROUWEN_SESSION_IDLE_MINUTES and
VERTROUWEN_SESSION_MAX_HOURS). The tests move the moments stored in the real session back instead of waiting.
A session cookie is worthless after logging out.
"""

import subprocess
import sys
from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session

from vertrouwen.web.accounts.sessions import LAST_SEEN_AT, LOGGED_IN_AT

pytestmark = pytest.mark.django_db


def move_back(client, key: str, seconds: float) -> None:
    session = client.session
    session[key] -= seconds
    session.save()


def test_the_defaults_are_30_minutes_idle_and_8_hours_in_all():
    assert settings.SESSION_IDLE_TIMEOUT == timedelta(minutes=30)
    assert settings.SESSION_ABSOLUTE_TIMEOUT == timedelta(hours=8)
    assert settings.SESSION_COOKIE_AGE == 8 * 3600


def test_30_minutes_without_a_request_log_the_user_out(login):
    client = login("klantmanager")
    move_back(client, LAST_SEEN_AT, 29 * 60)
    assert client.get("/klantmanager/").status_code == 200  # 29 minutes: still in, and the clock starts again
    move_back(client, LAST_SEEN_AT, 29 * 60)
    assert client.get("/klantmanager/").status_code == 200
    old_key = client.session.session_key
    move_back(client, LAST_SEEN_AT, 30 * 60 + 1)
    response = client.get("/klantmanager/", follow=True)
    assert response.redirect_chain[0] == ("/inloggen/?next=/klantmanager/", 302)
    assert "30 minutes without activity" in response.content.decode() or "30 minuten" in response.content.decode()
    assert not Session.objects.filter(session_key=old_key).exists()  # the old session is gone, not just left
    assert client.get("/klantmanager/").status_code == 302


def test_8_hours_after_the_login_the_user_is_logged_out_however_active(login):
    client = login("onderzoeker")
    move_back(client, LOGGED_IN_AT, 8 * 3600 - 60)
    assert client.get("/onderzoeker/").status_code == 200  # active all day: the idle clock is fresh
    move_back(client, LOGGED_IN_AT, 61)
    response = client.get("/onderzoeker/")
    assert response.status_code == 302 and response.url == "/inloggen/?next=/onderzoeker/"
    assert client.get("/onderzoeker/").status_code == 302


def test_a_session_cookie_replayed_after_logging_out_is_refused(login):
    client = login("projectleider")
    assert client.get("/projectleider/").status_code == 200
    stolen = client.cookies["sessionid"].value
    client.post("/uitloggen/")
    client.cookies["sessionid"] = stolen  # the old cookie, sent again
    response = client.get("/projectleider/")
    assert response.status_code == 302 and response.url == "/inloggen/?next=/projectleider/"
    assert client.get("/beheer/").status_code == 302


def test_the_timeouts_come_from_the_environment(tmp_path):
    script = ("from vertrouwen.web import settings as s; "
              "print(s.SESSION_IDLE_TIMEOUT.total_seconds(), s.SESSION_ABSOLUTE_TIMEOUT.total_seconds(), "
              "s.SESSION_COOKIE_AGE, s.REAUTHENTICATION_VALID_FOR.total_seconds())")
    env = {"VERTROUWEN_HOME": str(tmp_path), "DEBUG": "true", "VERTROUWEN_SESSION_IDLE_MINUTES": "15",
           "VERTROUWEN_SESSION_MAX_HOURS": "10", "VERTROUWEN_REAUTHENTICATION_MINUTES": "5"}
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["900.0", "36000.0", "36000", "300.0"]
    bad = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=False,
                         env={**env, "VERTROUWEN_SESSION_IDLE_MINUTES": "een half uur"})
    assert bad.returncode != 0 and "VERTROUWEN_SESSION_IDLE_MINUTES" in bad.stderr
