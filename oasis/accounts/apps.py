from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "oasis.accounts"
    label = "accounts"
    verbose_name = "Comptes et rôles"
