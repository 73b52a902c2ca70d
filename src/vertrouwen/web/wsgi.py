"""WSGI entry point for gunicorn: vertrouwen.web.wsgi:application."""

import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vertrouwen.web.settings")
application = get_wsgi_application()
get_resolver().url_patterns  # noqa: B018 - import every view now, before the worker takes its first request
