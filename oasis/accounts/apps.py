from axes.apps import AppConfig as AxesAppConfig
from django.apps import AppConfig


class AccountsConfig(AppConfig):
    default = True  # the module also holds a third-party app's French names
    name = "oasis.accounts"
    label = "accounts"
    verbose_name = "Comptes et rôles"


class LockoutConfig(AxesAppConfig):  # type: ignore[misc]
    """django-axes (login lockout), named in French in the administration."""

    verbose_name = "Verrouillage des connexions"
