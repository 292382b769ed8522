from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "oasis.audit"
    label = "audit"
    verbose_name = "Journal des modifications"
