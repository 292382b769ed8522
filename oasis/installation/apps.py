from django.apps import AppConfig


class InstallationConfig(AppConfig):
    name = "oasis.installation"
    label = "installation"
    verbose_name = "Où m'installer ? (page publique des professionnels)"
