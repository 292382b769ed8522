"""ProConnect (OpenID Connect) sign-in for public agents, beside passwords.

The account is matched by e-mail (case-insensitive) or created at the first sign-in, **without a role**: an
administrator still grants the role and the territory (Administration › Profils), as for an account made by hand.
ProConnect's userinfo comes as a signed JWT, which ``mozilla-django-oidc`` verifies against the provider's keys.
"""

from __future__ import annotations

import logging
from typing import Any

import jwt
import requests
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import SuspiciousOperation
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponseBase
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from oasis.audit.services import record

logger = logging.getLogger(__name__)

WAITING_FOR_ROLE = (
    "Votre compte OASIS a été créé avec ProConnect. Un administrateur doit maintenant vous attribuer un rôle et un "
    "territoire avant que vous puissiez travailler dans OASIS."
)


class ProConnectBackend(OIDCAuthenticationBackend):  # type: ignore[misc]
    def filter_users_by_claims(self, claims: dict[str, Any]) -> QuerySet[Any]:
        email = (claims.get("email") or "").strip()
        if not email:
            return get_user_model().objects.none()
        return get_user_model().objects.filter(email__iexact=email, is_active=True)

    def verify_claims(self, claims: dict[str, Any]) -> bool:
        return bool(claims.get("email")) and bool(claims.get("sub"))

    def _names(self, claims: dict[str, Any]) -> dict[str, str]:
        return {
            "first_name": str(claims.get("given_name") or "")[:150],
            "last_name": str(claims.get("usual_name") or claims.get("family_name") or "")[:150],
        }

    def create_user(self, claims: dict[str, Any]) -> Any:
        """A new account without a role; none (sign-in refused) when a deactivated account holds that address."""
        email = claims["email"].strip()
        if get_user_model().objects.filter(username=email.lower()).exists():
            logger.warning("Connexion ProConnect refusée : le compte %s est désactivé.", email)
            return None
        user = get_user_model().objects.create_user(username=email.lower(), email=email, **self._names(claims))
        user.set_unusable_password()
        user.save(update_fields=["password"])
        record(user, "compte.creation_proconnect", user, {"siret": claims.get("siret", "")})
        if getattr(self, "request", None) is not None:
            messages.info(self.request, WAITING_FOR_ROLE)
        return user

    def update_user(self, user: Any, claims: dict[str, Any]) -> Any:
        names = self._names(claims)
        if any(getattr(user, field) != value for field, value in names.items() if value):
            for field, value in names.items():
                if value:
                    setattr(user, field, value)
            user.save(update_fields=list(names))
        return user


class _OnlyWhenConfigured:
    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not settings.OASIS_PROCONNECT:
            raise Http404("ProConnect n'est pas configuré sur cette instance.")
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc,no-any-return]


class SignIn(_OnlyWhenConfigured, OIDCAuthenticationRequestView):  # type: ignore[misc]
    """Sends the agent to ProConnect, with a state and a nonce kept in the session."""


class Callback(_OnlyWhenConfigured, OIDCAuthenticationCallbackView):  # type: ignore[misc]
    """ProConnect sends the agent back here with a code, exchanged for the tokens server to server. A refused
    exchange, an unreachable provider or a token that does not verify send the agent back to the login page, told
    so; the cause goes to the log."""

    def get(self, request: HttpRequest) -> HttpResponseBase:
        try:
            return super().get(request)  # type: ignore[no-any-return]
        except (requests.RequestException, SuspiciousOperation, jwt.PyJWTError) as error:
            logger.warning("Connexion ProConnect refusée : %s", error)
            return self.login_failure()  # type: ignore[no-any-return]
