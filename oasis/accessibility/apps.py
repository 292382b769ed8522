from django.apps import AppConfig


class AccessibilityConfig(AppConfig):
    name = "oasis.accessibility"
    label = "accessibility"
    verbose_name = "Accessibilité (APL)"
