from django.apps import AppConfig
from django_tasks_db.apps import TasksAppConfig


class JobsConfig(AppConfig):
    default = True  # the module also holds a third-party app's French names
    name = "oasis.jobs"
    verbose_name = "Travaux en arrière-plan"


class TasksDatabaseConfig(TasksAppConfig):
    """django-tasks-db's queue, named in French in the administration."""

    verbose_name = "File des tâches (base de données)"

    def ready(self) -> None:
        super().ready()
        meta = self.get_model("DBTaskResult")._meta
        meta.verbose_name = "résultat de tâche"
        meta.verbose_name_plural = "résultats des tâches"
