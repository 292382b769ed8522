"""WSGI entry point."""

import contextlib
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
    from django.urls import Resolver404, get_resolver

    resolver = get_resolver()
    resolver.url_patterns  # noqa: B018 - imports the URL configuration and every view
    resolver.reverse_dict  # noqa: B018 - compiles every pattern, for reverse() and {% url %}
    with contextlib.suppress(Resolver404):
        resolver.resolve("/territoires/commune/86194/etat-des-lieux/")
    for name in ("www/home.html", "www/territory.html", "www/diagnostic.html", "www/map.html"):
        with contextlib.suppress(TemplateDoesNotExist):
            get_template(name)
    # What any first page imports otherwise (about 50 ms of every process's first request): the context processors,
    # the messages' and sessions' storage, the French formats, the process cache, the SQL compiler.
    from importlib import import_module

    from django.conf import settings
    from django.core.cache import cache
    from django.template import engines
    from django.template.backends.django import DjangoTemplates
    from django.utils import formats
    from django.utils.module_loading import import_string

    for engine in engines.all():
        if isinstance(engine, DjangoTemplates):
            engine.engine.template_context_processors  # noqa: B018 - imports them
    import_string(settings.MESSAGE_STORAGE)
    import_string(settings.SESSION_SERIALIZER)
    formats.get_format("DATE_FORMAT", lang=settings.LANGUAGE_CODE)
    cache.get("oasis-warm")  # creates the cache backend (in memory: no connection)
    import_module("django.db.models.sql.compiler")


_warm()
