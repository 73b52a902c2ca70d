"""Who is acting, and from where: set once per request or command, read by every audit event written meanwhile."""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class Acting:
    actor: object  # a user, or a label such as "systeem:import"
    origin: str  # "web 192.0.2.1", "opdrachtregel", "taak"


UNKNOWN = Acting(actor="systeem", origin="onbekend")
_acting: ContextVar[Acting] = ContextVar("vertrouwen_audit_acting", default=UNKNOWN)


@contextmanager
def acting(actor: object, origin: str) -> Iterator[Acting]:
    token = _acting.set(Acting(actor, origin))
    try:
        yield _acting.get()
    finally:
        _acting.reset(token)


def current() -> Acting:
    return _acting.get()


class AuditContextMiddleware:
    """Every audit event of a request names the signed-in user (or "anoniem") and the client's address."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with acting(_RequestActor(request), f"web {request.META.get('REMOTE_ADDR', '')}".strip()):
            return self.get_response(request)


class _RequestActor:
    """The request's user, looked up only when an event is written (the session may change during the request)."""

    def __init__(self, request):
        self.request = request

    def resolve(self) -> object:
        user = getattr(self.request, "user", None)
        return user if user is not None and user.is_authenticated else "anoniem"
