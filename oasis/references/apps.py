from django.apps import AppConfig


class ReferencesConfig(AppConfig):
    name = "oasis.references"
    label = "references"
    verbose_name = "Références officielles"

    def ready(self) -> None:
        from django.db.models.signals import post_delete

        from oasis.references.importers.zonage import order_withdrawn
        from oasis.references.models import ReferenceImport

        # An order's import deleted (the admin allows it): the order it had replaced acts again.
        post_delete.connect(order_withdrawn, sender=ReferenceImport, dispatch_uid="references.order_withdrawn")
