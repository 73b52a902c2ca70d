"""When the database cannot be reached: a clear page (HTTP 503) instead of a server error, and a log line that
names what failed without any personal data.

A connection that drops (the server restarts, a network blip, a failover) surfaces in Django as OperationalError
or InterfaceError. Every write goes through a service in one transaction, so a request that fails this way has
written everything or nothing; the page therefore never claims that the user's input was saved. After the
request Django drops the broken connection (close_old_connections on request_finished) and the next request
connects afresh.

Two doors lead here. The middleware catches the error when a view raised it, the common case. A middleware
that reads the session or the user before the view (session timeouts, two-factor) raises it outside any view;
Django turns that into a server error, and handler500 (urls.py) is server_error below, which draws this same
page for a database error and Django's own 500 page for anything else.
"""

import logging
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.urls import Resolver404, resolve
from django.views import defaults

logger = logging.getLogger("vertrouwen.faults")

RETRY_AFTER_SECONDS = 30
DATABASE_ERRORS = (OperationalError, InterfaceError)


class DatabaseUnavailableMiddleware:
    """Last in MIDDLEWARE, so that the headers of the middleware before it (CSP, no-store) apply to its page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, DATABASE_ERRORS):
            return None
        return database_unavailable(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: the 503 page when the error being handled is a database error, else Django's 500 page."""
    exception = sys.exc_info()[1]
    if isinstance(exception, DATABASE_ERRORS):
        return database_unavailable(request, exception)
    return defaults.server_error(request)


def database_unavailable(request: HttpRequest, exception: Exception) -> HttpResponse:
    """Log the error and answer with the 503 page. The page is drawn without context processors: they would
    ask the database for the user."""
    logger.error("Database niet bereikbaar bij %s %s: %s: %s", request.method, _view_name(request),
                 type(exception).__name__, _first_line(exception))
    html = render_to_string("503.html", {"request": request, "after_post": request.method == "POST"})
    response = HttpResponse(html, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def _view_name(request: HttpRequest) -> str:
    """The URL pattern's name rather than the path: a path can hold a record's number."""
    match = getattr(request, "resolver_match", None)
    if match is None:  # a middleware failed before the URL was resolved
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return "(onbekende pagina)"
    return match.view_name or "(onbekende pagina)"


def _first_line(exception: Exception) -> str:
    """The database's primary message ("terminating connection due to administrator command"); its DETAIL lines
    can quote row values, so they are left out."""
    text = str(exception).strip()
    return text.splitlines()[0][:200] if text else "(geen melding)"
