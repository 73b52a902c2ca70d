"""Response headers that keep pages with personal data out of caches and give each page a fresh CSP nonce.

Static files never get here: WhiteNoise answers them earlier in MIDDLEWARE and keeps their long caching.
"""

from django.http import HttpRequest, HttpResponseBase

NO_STORE = "no-store"


def forbid_storing(response: HttpResponseBase) -> None:
    """No browser or proxy may keep a copy. Set on every answer of the application, also the anonymous ones:
    the login page carries a CSRF token, questionnaire pages are opened by a respondent's personal link, and a
    view that forgets to mark a download with personal data is covered all the same."""
    response["Cache-Control"] = NO_STORE
    response["Pragma"] = "no-cache"  # for HTTP/1.0 proxies, which do not read Cache-Control
    if "Expires" in response:
        del response["Expires"]


class SecurityHeadersMiddleware:
    """Sits right after csp.middleware.CSPMiddleware, so it sees the response before that middleware writes
    the Content-Security-Policy header."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        # django-csp puts a nonce in the header only once a template asked for it. Asking here too gives every
        # response the same policy (script-src and style-src with a nonce), whether or not the page has inline
        # code, and the nonce stays available to anything rendered later.
        str(request.csp_nonce)
        forbid_storing(response)
        return response
