from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "oasis.notifications"
    verbose_name = "Notifications"

    def ready(self) -> None:
        # The worker's task sends the e-mails wanted at once; notify() queues it through this registration, so that
        # the services never import the task module that calls them.
        from oasis.notifications import services, tasks

        services.deliver_through(tasks.deliver_immediate.enqueue)
