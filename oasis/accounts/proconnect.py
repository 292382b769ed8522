"""ProConnect (OpenID Connect) sign-in for public agents, beside passwords.

The ID token is verified as OpenID Connect Core 3.1.3.7 requires (``mozilla-django-oidc`` checks only the signature
and the nonce): signed RS256 by a key of the provider's key set, issued by ProConnect (``iss``) for OASIS (``aud``,
and ``azp`` when present or when several audiences are named), not expired (``exp``), issued now (``iat``, at most
ten minutes ago and not in the future). The signed userinfo must come from the same provider for the same person
(its ``sub`` is the ID token's).

An account is bound to its ProConnect identity (``ProConnectIdentity.sub``) at its first ProConnect sign-in, then
found by that ``sub`` whatever e-mail ProConnect gives later. Before it is bound, an active account is found by its
e-mail (case-insensitive) — **never** a superuser's or a staff member's, who sign in with their password; an account
already bound to another identity is not taken over. Without an account, one is created **without a role**: an
administrator still grants the role and the territory (Administration › Profils), as for an account made by hand.
Every refusal (a token for another client or from another issuer, a malformed answer of the provider, an account that
may not be used) sends the agent back to the login page with a French message; the detail goes to the log.
"""

from __future__ import annotations

import logging
import time
from typing import Any

import jwt
import requests
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import SuspiciousOperation
from django.db import IntegrityError, transaction
from django.http import Http404, HttpRequest, HttpResponseBase
from django.urls import reverse
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.utils import absolutify
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from oasis.accounts.models import ProConnectIdentity
from oasis.audit.services import record

logger = logging.getLogger(__name__)

LEEWAY_SECONDS = 60  # clocks of OASIS and ProConnect may differ by this much
ID_TOKEN_MAX_AGE_SECONDS = 600  # an ID token is used right after it is issued
ID_TOKEN_CLAIMS = ["iss", "aud", "exp", "iat", "sub"]
CALLBACK = "oidc_authentication_callback"

WAITING_FOR_ROLE = (
    "Votre compte OASIS a été créé avec ProConnect. Un administrateur doit maintenant vous attribuer un rôle et un "
    "territoire avant que vous puissiez travailler dans OASIS."
)
PROVIDER_ANSWER = (
    "ProConnect a répondu d'une façon inattendue : votre identité n'a pas pu être vérifiée. Réessayez dans quelques "
    "minutes, ou connectez-vous avec votre mot de passe."
)
TOKEN_REFUSED = (
    "Le jeton d'identité reçu n'a pas été délivré par ProConnect pour OASIS, ou n'est plus valable : la connexion est refusée."
)
PRIVILEGED_ACCOUNT = (
    "Un compte d'administration d'OASIS ne se connecte pas avec ProConnect : utilisez votre identifiant et votre mot de passe."
)
BOUND_TO_ANOTHER = (
    "Le compte OASIS qui porte cette adresse électronique est déjà lié à une autre identité ProConnect : la connexion "
    "est refusée. Adressez-vous à un administrateur."
)
ACCOUNT_DISABLED = "Ce compte OASIS est désactivé : la connexion est refusée. Adressez-vous à un administrateur."
SEVERAL_ACCOUNTS = (
    "Plusieurs comptes OASIS portent cette adresse électronique : la connexion est refusée. Adressez-vous à un administrateur."
)


class ProConnectRefused(SuspiciousOperation):
    """A ProConnect sign-in refused: ``message`` is what the agent reads (French), ``str()`` the detail for the log."""

    def __init__(self, message: str, detail: str) -> None:
        super().__init__(detail)
        self.message = message


def _text(value: Any) -> str:
    """A claim that should be text; anything else (a list, a number) counts as absent."""
    return value.strip() if isinstance(value, str) else ""


def _valid_email(value: Any) -> bool:
    return (
        isinstance(value, str)
        and 3 <= len(value.strip()) <= 254
        and value.strip().count("@") == 1
        and not any(char.isspace() for char in value.strip())
    )


class ProConnectBackend(OIDCAuthenticationBackend):  # type: ignore[misc]
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.OIDC_OP_ISSUER = self.get_settings("OIDC_OP_ISSUER")

    # --- the code flow ------------------------------------------------------------------------------------------

    def authenticate(self, request: HttpRequest | None, **kwargs: Any) -> Any:
        """The code exchanged for the tokens, the ID token verified, the account found or created (module doc)."""
        self.request = request
        if request is None:
            return None
        code, state = request.GET.get("code"), request.GET.get("state")
        nonce, code_verifier = kwargs.pop("nonce", None), kwargs.pop("code_verifier", None)
        if not code or not state:
            return None
        payload = {
            "client_id": self.OIDC_RP_CLIENT_ID,
            "client_secret": self.OIDC_RP_CLIENT_SECRET,
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": absolutify(request, reverse(self.get_settings("OIDC_AUTHENTICATION_CALLBACK_URL", CALLBACK))),
        }
        if code_verifier is not None:
            payload["code_verifier"] = code_verifier
        tokens = self.get_token(payload)
        claims = self.verify_token(tokens["id_token"], nonce=nonce)
        self.store_tokens(tokens["access_token"], tokens["id_token"])
        return self.get_or_create_user(tokens["access_token"], tokens["id_token"], claims)

    def get_token(self, payload: dict[str, Any]) -> dict[str, Any]:
        """The token endpoint's answer: a JSON object with an ``id_token`` and an ``access_token``."""
        try:
            answer = super().get_token(payload)
        except ValueError as error:  # not JSON
            raise ProConnectRefused(PROVIDER_ANSWER, f"réponse du jeton illisible : {error}") from error
        if not isinstance(answer, dict):
            raise ProConnectRefused(PROVIDER_ANSWER, f"réponse du jeton : objet JSON attendu, {type(answer).__name__} reçu")
        for name in ("id_token", "access_token"):
            if not isinstance(answer.get(name), str) or not answer[name]:
                raise ProConnectRefused(PROVIDER_ANSWER, f"réponse du jeton sans « {name} »")
        return answer

    # --- keys and tokens ----------------------------------------------------------------------------------------

    def retrieve_matching_jwk(self, token: str) -> jwt.PyJWK:
        """The one key of the provider's key set named by the token's ``kid`` (and for its algorithm)."""
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError as error:
            raise ProConnectRefused(PROVIDER_ANSWER, f"jeton illisible : {error}") from error
        response = requests.get(
            self.OIDC_OP_JWKS_ENDPOINT,
            verify=self.get_settings("OIDC_VERIFY_SSL", True),
            timeout=self.get_settings("OIDC_TIMEOUT", None),
            proxies=self.get_settings("OIDC_PROXY", None),
        )
        response.raise_for_status()
        try:
            key_set = response.json()
        except ValueError as error:
            raise ProConnectRefused(PROVIDER_ANSWER, f"jeu de clés illisible : {error}") from error
        keys = key_set.get("keys") if isinstance(key_set, dict) else None
        if not isinstance(keys, list):
            raise ProConnectRefused(PROVIDER_ANSWER, "jeu de clés sans liste « keys »")
        kid, algorithm = header.get("kid"), header.get("alg")
        matching = [
            key
            for key in keys
            if isinstance(key, dict) and kid is not None and key.get("kid") == kid and key.get("alg", algorithm) == algorithm
        ]
        if len(matching) != 1:
            raise ProConnectRefused(PROVIDER_ANSWER, f"{len(matching)} clé(s) pour kid={kid!r} dans le jeu de clés")
        try:
            return jwt.PyJWK(matching[0])
        except (jwt.PyJWTError, KeyError, TypeError, ValueError) as error:
            raise ProConnectRefused(PROVIDER_ANSWER, f"clé inutilisable : {error}") from error

    def _decode(self, token: str, key: jwt.PyJWK, **options: Any) -> dict[str, Any]:
        """The token's claims once its signature (with the configured algorithm only) and ``options`` check out."""
        try:
            claims = jwt.decode(token, key, algorithms=[self.OIDC_RP_SIGN_ALGO], leeway=LEEWAY_SECONDS, **options)
        except (jwt.PyJWTError, TypeError, ValueError) as error:  # PyJWT lets a TypeError out of int([…]) for exp/iat
            raise ProConnectRefused(TOKEN_REFUSED, f"jeton refusé : {error}") from error
        if not isinstance(claims, dict):
            raise ProConnectRefused(PROVIDER_ANSWER, "jeton sans objet de revendications")
        return claims

    def verify_token(self, token: str, **kwargs: Any) -> dict[str, Any]:
        """The ID token's claims, checked as OpenID Connect Core 3.1.3.7 says (module doc)."""
        claims = self._decode(
            token,
            self.retrieve_matching_jwk(token),
            audience=self.OIDC_RP_CLIENT_ID,
            issuer=self.OIDC_OP_ISSUER,
            options={"require": ID_TOKEN_CLAIMS},
        )
        audiences = claims["aud"] if isinstance(claims["aud"], list) else [claims["aud"]]
        if "azp" in claims and claims["azp"] != self.OIDC_RP_CLIENT_ID:
            raise ProConnectRefused(TOKEN_REFUSED, f"azp={claims['azp']!r} n'est pas OASIS")
        if len(audiences) > 1 and "azp" not in claims:
            raise ProConnectRefused(TOKEN_REFUSED, "plusieurs destinataires sans azp")
        now = time.time()
        if not all(isinstance(claims[name], int | float) and not isinstance(claims[name], bool) for name in ("iat", "exp")):
            raise ProConnectRefused(TOKEN_REFUSED, f"iat={claims['iat']!r}, exp={claims['exp']!r} : dates non numériques")
        if claims["iat"] < now - ID_TOKEN_MAX_AGE_SECONDS or claims["exp"] <= claims["iat"]:
            raise ProConnectRefused(TOKEN_REFUSED, f"iat={claims['iat']!r}, exp={claims['exp']!r} : jeton trop ancien")
        if not _text(claims["sub"]):
            raise ProConnectRefused(TOKEN_REFUSED, "sub vide")
        if self.get_settings("OIDC_USE_NONCE", True) and claims.get("nonce") != kwargs.get("nonce"):
            raise ProConnectRefused(TOKEN_REFUSED, "nonce différent de celui de la session")
        return claims

    def get_userinfo(self, access_token: str, id_token: str, payload: dict[str, Any]) -> dict[str, Any]:
        """The userinfo (a signed JWT at ProConnect, JSON elsewhere) of the ID token's person, with a valid e-mail."""
        response = requests.get(
            self.OIDC_OP_USER_ENDPOINT,
            headers={"Authorization": f"Bearer {access_token}"},
            verify=self.get_settings("OIDC_VERIFY_SSL", True),
            timeout=self.get_settings("OIDC_TIMEOUT", None),
            proxies=self.get_settings("OIDC_PROXY", None),
        )
        response.raise_for_status()
        if response.headers.get("content-type", "").lower().startswith("application/jwt"):
            info = self._decode(response.text, self.retrieve_matching_jwk(response.text), options={"verify_aud": False})
            if "iss" in info and info["iss"] != self.OIDC_OP_ISSUER:
                raise ProConnectRefused(TOKEN_REFUSED, f"userinfo de l'émetteur {info['iss']!r}")
            audiences = info.get("aud", self.OIDC_RP_CLIENT_ID)
            if self.OIDC_RP_CLIENT_ID not in (audiences if isinstance(audiences, list) else [audiences]):
                raise ProConnectRefused(TOKEN_REFUSED, f"userinfo pour {audiences!r}")
        else:
            try:
                info = response.json()
            except ValueError as error:
                raise ProConnectRefused(PROVIDER_ANSWER, f"userinfo illisible : {error}") from error
        if not isinstance(info, dict):
            raise ProConnectRefused(PROVIDER_ANSWER, f"userinfo : objet attendu, {type(info).__name__} reçu")
        if info.get("sub") != payload["sub"]:
            raise ProConnectRefused(TOKEN_REFUSED, "le sub de userinfo n'est pas celui du jeton d'identité")
        if not _valid_email(info.get("email")):
            raise ProConnectRefused(PROVIDER_ANSWER, f"adresse électronique invalide : {info.get('email')!r}")
        return info

    def verify_claims(self, claims: dict[str, Any]) -> bool:
        return _valid_email(claims.get("email")) and bool(_text(claims.get("sub")))

    # --- the account --------------------------------------------------------------------------------------------

    def get_or_create_user(self, access_token: str, id_token: str, payload: dict[str, Any]) -> Any:
        """The account bound to this ProConnect identity, else the one of its e-mail (bound now), else a new one."""
        info = self.get_userinfo(access_token, id_token, payload)
        sub, email = info["sub"], info["email"].strip()
        identity = ProConnectIdentity.objects.select_related("user").filter(sub=sub).first()
        if identity is not None:
            if not identity.user.is_active:
                raise ProConnectRefused(ACCOUNT_DISABLED, f"compte {identity.user} désactivé")
            return self.update_user(identity.user, info)
        users = get_user_model().objects.filter(email__iexact=email)
        active = [user for user in users if user.is_active]
        if len(active) > 1:
            raise ProConnectRefused(SEVERAL_ACCOUNTS, f"{len(active)} comptes actifs pour {email}")
        if active:
            user = active[0]
            if user.is_superuser or user.is_staff:
                raise ProConnectRefused(PRIVILEGED_ACCOUNT, f"compte d'administration {user} trouvé par son adresse")
            if ProConnectIdentity.objects.filter(user=user).exists():
                raise ProConnectRefused(BOUND_TO_ANOTHER, f"compte {user} déjà lié à une autre identité")
            self._bind(user, sub, "compte.liaison_proconnect", info)
            return self.update_user(user, info)
        if users.exists() or get_user_model().objects.filter(username=email.lower()).exists():
            raise ProConnectRefused(ACCOUNT_DISABLED, f"le compte {email} est désactivé")
        return self.create_user(info)

    def _bind(self, user: Any, sub: str, action: str, claims: dict[str, Any]) -> None:
        try:
            with transaction.atomic():
                ProConnectIdentity.objects.create(user=user, sub=sub)
                record(user, action, user, {"siret": _text(claims.get("siret"))})
        except IntegrityError as error:  # the same identity bound by a sign-in running at the same time
            raise ProConnectRefused(PROVIDER_ANSWER, f"liaison concurrente : {error}") from error

    def _names(self, claims: dict[str, Any]) -> dict[str, str]:
        return {
            "first_name": _text(claims.get("given_name"))[:150],
            "last_name": (_text(claims.get("usual_name")) or _text(claims.get("family_name")))[:150],
        }

    def create_user(self, claims: dict[str, Any]) -> Any:
        """A new account without a role, bound to its ProConnect identity."""
        email = claims["email"].strip()
        with transaction.atomic():
            user = get_user_model().objects.create_user(username=email.lower(), email=email, **self._names(claims))
            user.set_unusable_password()
            user.save(update_fields=["password"])
            self._bind(user, claims["sub"], "compte.creation_proconnect", claims)
        request = getattr(self, "request", None)
        if request is not None:
            messages.info(request, WAITING_FOR_ROLE)
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
    exchange, an unreachable provider, a token that does not verify or an answer of another shape send the agent back
    to the login page, told why when OASIS knows; the cause goes to the log."""

    def get(self, request: HttpRequest) -> HttpResponseBase:
        try:
            return super().get(request)  # type: ignore[no-any-return]
        except ProConnectRefused as refusal:
            logger.warning("Connexion ProConnect refusée : %s", refusal)
            messages.error(request, refusal.message)
            return self.login_failure()  # type: ignore[no-any-return]
        except (requests.RequestException, SuspiciousOperation, jwt.PyJWTError) as error:
            logger.warning("Connexion ProConnect refusée : %s", error)
            return self.login_failure()  # type: ignore[no-any-return]
