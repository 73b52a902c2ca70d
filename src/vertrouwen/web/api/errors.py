"""Every error of the API as JSON of one shape, {"detail": ..., "errors": [{"index", "field", "message"}]}, and
never a stack trace: an unexpected error is logged on the server and answered with a plain 500."""

import logging

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.db import InterfaceError, OperationalError
from django.http import JsonResponse
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler
from rest_framework.views import set_rollback

from vertrouwen.web.api.delivery import DeliveryRefused

logger = logging.getLogger(__name__)
DATABASE_RETRY_AFTER_SECONDS = 30


def error_body(detail: str, errors: list[dict] | None = None) -> dict:
    return {"detail": str(detail), "errors": errors or []}


def api_exception_handler(exc, context) -> Response:
    if isinstance(exc, DeliveryRefused):
        return Response(error_body(_("The delivery was refused; nothing was stored."),
                                   [{"index": p.line, "field": p.field, "message": p.message}
                                    for p in exc.problems]), status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, RequestDataTooBig):  # Django's upload limit, met before the parser reads the body
        return Response(error_body(f"de inhoud is groter dan {settings.DATA_UPLOAD_MAX_MEMORY_SIZE // 1024} kB; "
                                   f"lever in delen aan"), status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, OperationalError | InterfaceError):  # the database is away for a moment (web/faults.py)
        set_rollback()
        logger.error("API: database unavailable: %s", type(exc).__name__)
        return Response(error_body(_("The database cannot be reached just now; nothing was stored. Try again in a "
                                     "minute.")), status=status.HTTP_503_SERVICE_UNAVAILABLE,
                        headers={"Retry-After": str(DATABASE_RETRY_AFTER_SECONDS)})
    response = drf_exception_handler(exc, context)
    if response is None:
        set_rollback()
        # The trace goes to the server's log only; the message of an exception is not shown to the client.
        logger.error("API error in %s", type(context.get("view")).__name__, exc_info=exc)
        return Response(error_body(_("An internal error occurred; nothing was stored. Try again later, or ask "
                                     "the administrator to look in the server log.")),
                        status=status.HTTP_500_INTERNAL_SERVER_ERROR)
    response.data = _shaped(response.data)
    return response


def _shaped(data) -> dict:
    if isinstance(data, dict) and set(data) == {"detail"}:
        return error_body(data["detail"])
    return error_body(_("The request is not valid."), [{"index": None, "field": field, "message": str(message)}
                                                      for field, message in _flattened(data)])


def _flattened(data, field: str | None = None):
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _flattened(value, None if key == "non_field_errors" else str(key))
    elif isinstance(data, list):
        for value in data:
            yield from _flattened(value, field)
    else:
        yield field, data


def not_found(request, unknown_path: str = "") -> JsonResponse:
    """An address under /api/v1/ that does not exist; says so when only the closing slash is missing. The address
    is neither repeated nor logged: a client's mistake could have put a BSN in it."""
    detail = _("There is nothing at this address.")
    if not request.path.endswith("/"):
        try:
            resolve(request.path + "/")
        except Resolver404:
            pass
        else:
            detail = _("There is nothing at this address; add a slash at the end of the address.")
    return unlogged(JsonResponse(error_body(detail), status=404))


def unlogged(response):
    """Keep Django from logging the request's path with this error response (django.utils.log.log_response)."""
    response._has_been_logged = True
    return response
