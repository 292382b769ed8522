"""OASIS — outil d'aide aux maisons de santé et à l'accès aux soins de premier recours."""

__version__ = "0.1.0"
