"""The page for a database that cannot be reached (issue 10, point 7c), on every database: views and a middleware
that raise the errors a dropped connection raises, served through the real middleware stack and handler500.
The real dropped connection is test_ops_connection_drop.py (PostgreSQL)."""

import logging

import pytest
from django.db import InterfaceError, OperationalError
from django.test import Client
from django.urls import path

from vertrouwen.web import urls as production

pytestmark = pytest.mark.django_db

BSN_LIKE = "123456782"  # passes the 11-proef: it may never show anywhere
HEADING = "De database is even niet bereikbaar"
NOT_SAVED = "Wat u net invoerde is waarschijnlijk niet bewaard"


def connection_lost(request):
    raise OperationalError(f"server closed the connection unexpectedly\nDETAIL:  Key (bsn)=({BSN_LIKE}) exists.")


def cursor_gone(request):
    raise InterfaceError("connection already closed")


def broken_otherwise(request):
    raise ValueError("not a database error")


handler500 = production.handler500  # the application's own, so this checks urls.py too
urlpatterns = [
    path("ops-test/verbinding-weg/", connection_lost, name="ops-test-connection-lost"),
    path("ops-test/cursor-weg/", cursor_gone),
    path("ops-test/iets-anders/", broken_otherwise),
    *production.urlpatterns,
]


class LosesTheDatabaseBeforeTheView:
    """As a middleware that reads the session before the view would fail (session timeouts, two-factor)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        raise OperationalError("terminating connection due to administrator command")


@pytest.fixture(autouse=True)
def _test_urls(settings, tmp_path):
    settings.ROOT_URLCONF = __name__
    settings.STORAGES = {**settings.STORAGES,
                         "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
    settings.STATIC_ROOT = tmp_path


@pytest.fixture
def browser():
    return Client(raise_request_exception=False)  # as a browser sees it: the page, not the exception


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_lost_connection_in_a_view_gives_the_dutch_503_page_without_details(browser, caplog, method):
    with caplog.at_level(logging.ERROR):
        response = getattr(browser, method)("/ops-test/verbinding-weg/", {"note": "Vraag over vrijlating"})

    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    html = response.content.decode()
    assert HEADING in html
    assert (NOT_SAVED in html) == (method == "post")  # after a POST: never suggest the input was kept
    for secret in ("Traceback", "OperationalError", BSN_LIKE, "DETAIL", "Vraag over vrijlating"):
        assert secret not in html
    logged = [r.getMessage() for r in caplog.records if r.name == "vertrouwen.faults"]
    assert logged == [f"Database niet bereikbaar bij {method.upper()} ops-test-connection-lost: OperationalError: "
                      f"server closed the connection unexpectedly"]


def test_a_closed_cursor_is_the_same_503(browser):
    response = browser.get("/ops-test/cursor-weg/")

    assert response.status_code == 503 and HEADING in response.content.decode()


def test_other_errors_stay_the_ordinary_server_error(browser):
    response = browser.get("/ops-test/iets-anders/")

    assert response.status_code == 500
    assert HEADING not in response.content.decode()


def test_a_lost_connection_noticed_by_a_middleware_gives_the_same_page(browser, settings, caplog):
    settings.MIDDLEWARE = [*settings.MIDDLEWARE[:-1], f"{__name__}.LosesTheDatabaseBeforeTheView",
                           settings.MIDDLEWARE[-1]]

    with caplog.at_level(logging.ERROR):
        response = browser.post("/ops-test/verbinding-weg/")

    assert response.status_code == 503
    html = response.content.decode()
    assert HEADING in html and NOT_SAVED in html and "Traceback" not in html
    assert "Database niet bereikbaar bij POST ops-test-connection-lost: OperationalError: terminating connection " \
           "due to administrator command" in [r.getMessage() for r in caplog.records]
