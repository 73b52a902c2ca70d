"""Settings come from the environment; secrets are required unless DEBUG is on."""

import os
import subprocess
import sys

import pytest

PRINT_SETTINGS = (
    "from vertrouwen.web import settings as s; "
    "print(s.DATABASES['default']['ENGINE'], s.DEBUG, s.ALLOWED_HOSTS, s.SESSION_COOKIE_SECURE)"
)
SECRETS = {"SECRET_KEY": "s" * 50, "VERTROUWEN_PSEUDONYM_KEY": "p" * 40,
           "VERTROUWEN_BSN_KEY": "ZGV2ZWxvcG1lbnQtb25seS1ic24ta2V5LTAxMjM0NTY=", "VERTROUWEN_AUDIT_KEY": "a" * 40}


def load_settings(tmp_path, **env) -> subprocess.CompletedProcess:
    """Import the settings in a fresh process with only the given variables (and no .env file)."""
    base = {k: v for k, v in os.environ.items() if k in {"PATH", "HOME", "PYTHONPATH"}}
    return subprocess.run([sys.executable, "-c", PRINT_SETTINGS], capture_output=True, text=True,
                          env={**base, "VERTROUWEN_HOME": str(tmp_path), **env})


def test_production_settings_from_the_environment(tmp_path):
    result = load_settings(tmp_path, **SECRETS, DATABASE_URL="postgres://u:p@db.example:5432/vertrouwen",
                           ALLOWED_HOSTS="vertrouwen.example.nl, intern.example.nl")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split(" ", 2)[:2] == ["django.db.backends.postgresql", "False"]
    assert "['vertrouwen.example.nl', 'intern.example.nl'] True" in result.stdout


def test_sqlite_file_under_var_by_default(tmp_path):
    result = load_settings(tmp_path, **SECRETS)
    assert result.stdout.startswith("django.db.backends.sqlite3 False"), result.stderr
    assert (tmp_path / "var").is_dir()


@pytest.mark.parametrize("missing", sorted(SECRETS))
def test_each_secret_is_required_when_debug_is_off(tmp_path, missing):
    env = {k: v for k, v in SECRETS.items() if k != missing}
    result = load_settings(tmp_path, **env)
    assert result.returncode != 0
    assert f"{missing} must be set when DEBUG is off" in result.stderr


def test_debug_falls_back_to_development_secrets(tmp_path):
    result = load_settings(tmp_path, DEBUG="true")
    assert result.returncode == 0, result.stderr
    assert " True " in result.stdout and result.stdout.strip().endswith("False")


def test_a_dotenv_file_fills_in_what_the_environment_does_not_set(tmp_path):
    (tmp_path / ".env").write_text("".join(f"{k}={v}\n" for k, v in SECRETS.items()) + "DEBUG=false\n")
    result = load_settings(tmp_path, ALLOWED_HOSTS="a.example")
    assert result.returncode == 0, result.stderr
    assert "['a.example']" in result.stdout


def test_a_malformed_boolean_names_the_variable(tmp_path):
    result = load_settings(tmp_path, **SECRETS, DEBUG="misschien")
    assert "DEBUG: expected true or false, got 'misschien'" in result.stderr


def test_a_short_pseudonym_key_is_refused(tmp_path):
    result = load_settings(tmp_path, **{**SECRETS, "VERTROUWEN_PSEUDONYM_KEY": "kort"})
    assert result.returncode != 0
    assert "VERTROUWEN_PSEUDONYM_KEY must be at least 32 characters long" in result.stderr
