"""Production settings pass Django's deployment check with warnings as errors, and an app served over https says
so in every answer (HSTS) and sends http on to https."""

import os
import subprocess
import sys

from django.test import override_settings

PRODUCTION = {"DEBUG": "false", "SESSION_COOKIE_SECURE": "true", "ALLOWED_HOSTS": "vertrouwen.example.nl"}


def test_production_settings_pass_the_deployment_check():
    result = subprocess.run(  # noqa: S603 - our own command, a fixed argument list
        [sys.executable, "-m", "vertrouwen.cli", "manage", "check", "--deploy", "--fail-level", "WARNING"],
        env={**os.environ, **PRODUCTION}, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


@override_settings(SECURE_SSL_REDIRECT=True, SECURE_HSTS_SECONDS=31_536_000, SECURE_HSTS_INCLUDE_SUBDOMAINS=True,
                   SECURE_HSTS_PRELOAD=True)
def test_https_answers_carry_hsts_and_http_is_sent_to_https(client, db):
    assert client.get("/inloggen/").status_code == 301  # plain http: on to https
    response = client.get("/inloggen/", secure=True)
    assert response.status_code == 200
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
