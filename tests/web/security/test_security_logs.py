"""Issue 21, point 6 (logs): no BSN, 11-proef number or link token in any log. On main Django's request logger
wrote "Not Found: /persoon/<bsn>/" and "Unauthorized: /api/v1/persons/<bsn>/", and an access log every
/v/<token>/. 111222333 passes the 11-proef (9+8+7·... see core.privacy); 111222334 does not and stays."""

import io
import logging
from types import SimpleNamespace

import pytest

from vertrouwen.core.privacy import is_valid_bsn
from vertrouwen.web.logs import GunicornLogger, redact

BSN = "111222333"


def test_the_example_numbers_are_what_they_are_said_to_be():
    assert is_valid_bsn(BSN) and not is_valid_bsn("111222334")


def test_redact_masks_11_proef_numbers_and_link_tokens_only():
    assert redact(f"/persoon/{BSN}/ en 111222334 en 1112223330") == "/persoon/*********/ en 111222334 en 1112223330"
    assert redact("GET /v/Zk3_abc-DEF/ HTTP/1.1") == "GET /v/…/ HTTP/1.1"


def wsgi_get(path: str) -> str:
    """The status of a GET straight through the WSGI handler: the test client refuses (by the suite's leak check) to
    request a path with a BSN in it, which is exactly what an attacker or a mistyped link does."""
    from django.core.handlers.wsgi import WSGIHandler
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    # As Django's test client: the request must not close the test's connection (it would end its transaction).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    statuses = []
    environ = {"REQUEST_METHOD": "GET", "PATH_INFO": path, "SERVER_NAME": "localhost", "SERVER_PORT": "80",
               "HTTP_HOST": "localhost", "wsgi.input": io.BytesIO(), "wsgi.url_scheme": "http", "QUERY_STRING": ""}
    try:
        WSGIHandler()(environ, lambda status, headers: statuses.append(status))
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    return statuses[0]


@pytest.mark.django_db
@pytest.mark.parametrize(("path", "status", "kept_out"), [(f"/api/v1/persons/{BSN}/", "401", BSN),
                                                          ("/v/geheim-token-123/", "404", "geheim-token-123")])
def test_django_s_request_log_holds_the_path_redacted(path, status, kept_out, caplog):
    with caplog.at_level(logging.INFO):
        answered = wsgi_get(path)

    assert answered.startswith(status)
    logged = "\n".join(record.getMessage() for record in caplog.records if record.name.startswith("django"))
    assert kept_out not in logged
    assert redact(path) in logged  # the line is there, with the path redacted


def test_gunicorn_s_access_log_is_redacted():
    logger = GunicornLogger(SimpleNamespace(**{"errorlog": "-", "loglevel": "info", "accesslog": None,
                                               "access_log_format": '%(h)s "%(r)s" %(s)s', "syslog": False,
                                               "capture_output": False, "logconfig": None, "logconfig_dict": {},
                                               "logconfig_json": None, "disable_redirect_access_to_syslog": False,
                                               "user": None, "group": None, "umask": 0, "syslog_addr": None,
                                               "syslog_prefix": None, "syslog_facility": "user",
                                               "env": {}}))
    request = SimpleNamespace(method="GET", path="/v/tok3n/", query=f"bsn={BSN}", version=(1, 1), uri="",
                              headers=[])
    response = SimpleNamespace(status="200 OK", response_length=10, sent=10, headers=[])
    environ = {"REMOTE_ADDR": "127.0.0.1", "RAW_URI": f"/v/tok3n/?bsn={BSN}", "SERVER_PROTOCOL": "HTTP/1.1",
               "QUERY_STRING": f"bsn={BSN}", "PATH_INFO": "/v/tok3n/", "REQUEST_METHOD": "GET"}

    atoms = logger.atoms(response, request, environ, SimpleNamespace(seconds=0, microseconds=1000))

    assert atoms["r"] == "GET /v/…/?bsn=********* HTTP/1.1"
    assert "tok3n" not in atoms["U"] and BSN not in atoms["q"]


def test_a_handler_writes_every_line_redacted_but_leaves_the_record_for_the_leak_check():
    from vertrouwen.web.logs import RedactingFormatter

    record = logging.LogRecord("vertrouwen", logging.WARNING, __file__, 1, "bsn %s via /v/%s/", (BSN, "tok"), None)

    assert RedactingFormatter("%(message)s").format(record) == "bsn ********* via /v/…/"
    assert record.getMessage() == f"bsn {BSN} via /v/tok/"
