"""The BSN leak check (leakcheck.py) can fail: a pytest session in a subprocess that logs a BSN, requests it in
a URL or gets it back on an error page ends with a failure that says where; one without a BSN passes."""

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import leakcheck

TESTS = Path(__file__).resolve().parent
BSN = "111222333"  # passes the 11-proef: 9*1+8*1+7*1+6*2+5*2+4*2+3*3+2*3-1*3 = 66 = 6*11
NOT_A_BSN = "123456789"  # fails it: 9+16+21+24+25+24+21+16-9 = 147, not a multiple of 11


# As tests/web/conftest.py: the pages use {% static %}, and the small sessions run no collectstatic.
PLAIN_STATIC_FILES = """
import pytest

@pytest.fixture(autouse=True)
def _plain_static_files(settings):
    backend = "django.contrib.staticfiles.storage.StaticFilesStorage"
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {"BACKEND": backend}}
"""


def secrets_of_this_session() -> dict[str, str]:
    """The settings' secrets, which may come from a .env file the subprocess (in another folder) does not see."""
    from django.conf import settings

    return {"SECRET_KEY": settings.SECRET_KEY, "VERTROUWEN_PSEUDONYM_KEY": settings.PSEUDONYM_KEY,
            "VERTROUWEN_BSN_KEY": settings.BSN_ENCRYPTION_KEY, "VERTROUWEN_AUDIT_KEY": settings.AUDIT_KEY}


def run_session(folder: Path, test_code: str, *, django: bool = False) -> subprocess.CompletedProcess:
    """Run pytest on one small test file in `folder`, with the leak check loaded as a plugin, and with the
    project's Django settings when the test uses Django's test client."""
    (folder / "pytest.ini").write_text("[pytest]\nDJANGO_SETTINGS_MODULE = vertrouwen.web.settings\n")
    (folder / "test_tiny.py").write_text(textwrap.dedent(test_code))
    if django:
        (folder / "conftest.py").write_text(PLAIN_STATIC_FILES)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(TESTS), os.environ.get("PYTHONPATH", "")]),
           "VERTROUWEN_HOME": str(folder), **secrets_of_this_session()}
    env.pop("DATABASE_URL", None)  # the small sessions need no PostgreSQL database of their own
    plugins = ["-p", "leakcheck", "-p", "no:cacheprovider", *([] if django else ["-p", "no:django"])]
    try:
        return subprocess.run([sys.executable, "-m", "pytest", *plugins, "--basetemp", str(folder / "tmp"),
                               "test_tiny.py"], cwd=folder, env=env, capture_output=True, text=True, timeout=300,
                              check=False)
    finally:
        # The small session's own log files hold the BSN on purpose; they lie inside this session's temporary
        # folder, whose *.log files this session's leak check scans at its end.
        shutil.rmtree(folder / "tmp", ignore_errors=True)


def test_a_session_that_logs_requests_or_shows_a_bsn_fails_and_says_where(tmp_path):
    # A page of its own that refuses a request with the BSN in its body (address: no BSN), as a careless
    # error page might.
    (tmp_path / "careless_urls.py").write_text(textwrap.dedent(f'''
        from django.http import HttpResponseBadRequest
        from django.urls import path

        urlpatterns = [path("zoeken/", lambda request: HttpResponseBadRequest("Niemand met bsn {BSN}"))]
    '''))
    result = run_session(tmp_path, f'''
        import logging

        import pytest

        def test_logs_it():
            logging.getLogger("vertrouwen").warning("geen dossier voor bsn %s", "{BSN}")

        @pytest.mark.django_db
        def test_asks_for_it_in_an_address(client):
            client.get("/wat-houd-ik-over/", {{"bsn": "1112.22.333"}})

        @pytest.mark.urls("careless_urls")
        def test_gets_it_back_on_an_error_page(client):
            client.post("/zoeken/", {{"zoek": "{BSN}"}})
    ''', django=True)
    output = result.stdout
    assert "3 passed" in output, output + result.stderr  # the tests themselves pass ...
    assert result.returncode == 1, output  # ... the session fails
    assert "BSN leak check" in output
    assert "test_tiny.py::test_logs_it | log record | ...ARNING vertrouwen geen dossier voor bsn 11*****33" in output
    assert "test_tiny.py::test_asks_for_it_in_an_address | URL | .../wat-houd-ik-over/?bsn=11**.**.*33" in output
    assert "test_tiny.py::test_gets_it_back_on_an_error_page | error page | ...Niemand met bsn 11*****33" in output
    # Django also logs the refusal ("Bad Request: /zoeken/"), which holds no BSN: three findings in all.
    assert "3 number(s) passing the 11-proef" in output
    assert BSN not in output and "1112.22.333" not in output  # the report does not print the BSN itself


def test_a_server_log_file_with_a_bsn_fails_the_session(tmp_path):
    result = run_session(tmp_path, '''
        def test_server_writes_a_log(tmp_path_factory):
            log = tmp_path_factory.mktemp("demo") / "gunicorn.log"
            log.write_text("[ERROR] persoon 111 222 333 niet gevonden\\n")
    ''')
    assert result.returncode == 1, result.stdout
    assert "(session) |" in result.stdout and "gunicorn.log | ...[ERROR] persoon 11* *** *33 niet" in result.stdout


def test_a_session_with_nine_digit_numbers_that_are_not_bsns_passes(tmp_path):
    result = run_session(tmp_path, f'''
        import logging

        def test_logs_other_numbers():
            logger = logging.getLogger("vertrouwen")
            logger.warning("run %s, token a{BSN}b, coordinate 0.{BSN}, 1.{BSN[:3]}.{BSN[3:6]}.{BSN[6:]}.000",
                           "{NOT_A_BSN}")
            logger.warning("ten digits 1{BSN}, eight digits {BSN[:8]}")
    ''')
    assert result.returncode == 0, result.stdout + result.stderr
    assert "BSN leak check: no BSN in " in result.stdout


def test_what_counts_as_a_bsn():
    found = [m.group(1) for m in leakcheck.bsn_candidates(
        f"{BSN} 1112.22.333 111 222 333 111-222-333 {NOT_A_BSN} x{BSN} {BSN}0 0,{BSN} 1.111.222.333 1112.22-333")]
    assert found == [BSN, "1112.22.333", "111 222 333", "111-222-333"]
    assert leakcheck.masked("1112.22.333") == "11**.**.*33"
