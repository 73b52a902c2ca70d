"""What the application's logs may hold: never a BSN (or any number that passes the 11-proef) and never a
questionnaire link's token. Django's request loggers write the path of every refused or missing page
("Not Found: /persoon/…/"), and an access log writes every path; both go through `redact`.

Use: every handler formats through `RedactingFormatter`, Django's request loggers filter through
`RedactingFilter` (settings.LOGGING); gunicorn's access log uses `GunicornLogger`
(`--logger-class vertrouwen.web.logs.GunicornLogger`, as `vertrouwen demo` starts it).
"""

import logging
import re

from gunicorn.glogging import Logger

from vertrouwen.core.privacy import mask_bsns

_LINK_TOKEN = re.compile(r"(/v/)[^/\s?\"']+")


def redact(text: str) -> str:
    """The text with every 11-proef number masked and every link token replaced."""
    return _LINK_TOKEN.sub(r"\1…", mask_bsns(text))


class RedactingFormatter(logging.Formatter):
    """Every line a handler writes, traceback included, redacted. The record itself is left as it is, so the
    test suite's leak check still sees (and fails on) application code that logs a BSN."""

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))


class RedactingFilter(logging.Filter):
    """Rewrites a record's message, redacted, before any handler formats it: for Django's request loggers, whose
    messages name the path asked for, which the application does not choose."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = redact(message)
        if redacted != message:
            record.msg, record.args = redacted, None
        return True


class GunicornLogger(Logger):
    """gunicorn's logger with the access log's request line, path and query redacted."""

    def atoms(self, resp, req, environ, request_time):
        found = super().atoms(resp, req, environ, request_time)
        for key in ("r", "U", "q", "f"):
            if isinstance(found.get(key), str):
                found[key] = redact(found[key])
        return found
