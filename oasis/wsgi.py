"""WSGI entry point."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "oasis.settings")
# Files OASIS creates (database, documents) are readable by its own account only.
os.umask(0o077)
application = get_wsgi_application()


def _warm() -> None:
    """What every process would otherwise do on its first request, done once here: gunicorn imports this module
    before it forks its workers (``preload_app``), which then share it. The URLs import every view (and numpy,
    scipy behind them: seconds), the main templates are compiled. No database: a connection must not cross a fork."""
    from django.template import TemplateDoesNotExist
    from django.template.loader import get_template
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 - imports the URL configuration and every view
    for name in ("www/home.html", "www/territory.html", "www/diagnostic.html", "www/map.html"):
        try:
            get_template(name)
        except TemplateDoesNotExist:
            pass


_warm()
