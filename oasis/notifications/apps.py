from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "oasis.notifications"
    verbose_name = "Notifications"
