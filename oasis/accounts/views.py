"""Login: Django's view on the DSFR page; failures are counted and locked out by django-axes (settings.AXES_*)."""

from __future__ import annotations

from django.contrib.auth.views import LoginView


class OasisLoginView(LoginView):
    template_name = "www/login.html"
    redirect_authenticated_user = True
