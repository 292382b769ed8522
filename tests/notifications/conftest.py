"""The project tests' cast (who follows which project) for the notification tests."""

from tests.projects.conftest import cast, make_user, project  # noqa: F401
from tests.recruitment.conftest import student, vienne_medecine  # noqa: F401
