"""WSGI entry point."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "oasis.settings")
# Files OASIS creates (database, documents) are readable by its own account only.
os.umask(0o077)
application = get_wsgi_application()
