"""Login: Django's view on the DSFR page; failures are counted and locked out by django-axes (settings.AXES_*).
With ProConnect configured, the page also offers it (oasis.accounts.proconnect)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.views import LoginView


class OasisLoginView(LoginView):
    template_name = "www/login.html"
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {
            **super().get_context_data(**kwargs),
            "proconnect": settings.OASIS_PROCONNECT,
            "proconnect_failed": self.request.GET.get("proconnect") == "echec",
        }
