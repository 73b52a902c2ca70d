"""Fixtures of the API tests: the link's system account with a token for Proefstad (the `experiment` fixture of
tests/web/conftest.py), a client that sends it, and a fresh throttle count for every test."""

import pytest
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from link_accounts import make_link_account

from vertrouwen.web.api.tokens import issue_token
from vertrouwen.web.wsgi import application


@pytest.fixture(autouse=True)
def _fresh_throttle(db):
    """The throttle counts requests in the cache, a table in the database: a test that commits leaves its counts."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def link_user(db):
    return make_link_account()


@pytest.fixture
def link_token(link_user, experiment) -> str:
    return issue_token(link_user, municipality=experiment.municipality, actor="test").token


@pytest.fixture
def bearer():
    def headers(token: str) -> dict:
        return {"HTTP_AUTHORIZATION": f"Bearer {token}"}

    return headers


@pytest.fixture
def api(client, link_token, bearer):
    """api.get(path) and api.post(path, json_body): the link's requests, with its token."""

    class Api:
        def get(self, path: str):
            return client.get(path, **bearer(link_token))

        def post(self, path: str, body):
            return client.post(path, body, content_type="application/json", **bearer(link_token))

    return Api()


@pytest.fixture
def in_process_app(db, settings):
    """The WSGI app on the test database. Like Django's test client, keep a request from closing the test's
    connection (close_old_connections), which would end the test's transaction."""
    settings.SECURE_SSL_REDIRECT = False  # the requests are plain http, as the demo's
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield application
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
