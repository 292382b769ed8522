from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "oasis.projects"
    label = "projects"
    verbose_name = "Projets de maisons et centres de santé"
