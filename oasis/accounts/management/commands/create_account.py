"""``oasis create_account``: create a user with a role and its territory (the password is asked, never an argument)."""

from __future__ import annotations

import getpass
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from oasis.accounts.enums import Role
from oasis.accounts.models import Profile
from oasis.audit.services import record
from oasis.territories.fields import resolve_territory
from oasis.territories.services import TerritoryNotFound, get_territory

ROLES_HELP = "; ".join(f"{role.value} : {role.label}" for role in Role)

UNKNOWN_NAME = {"departement": "Département inconnu : « {text} »", "region": "Région inconnue : « {text} »"}


def _by_name(niveau: str, text: str) -> str:
    """The code of the département or région named (« Vienne », « Nouvelle-Aquitaine ») or coded (« 86 »)."""
    try:
        return resolve_territory(text, (niveau,)).code
    except TerritoryNotFound as error:
        if "plusieurs" in str(error):  # the candidates, to choose from
            raise
        raise TerritoryNotFound(UNKNOWN_NAME[niveau].format(text=text)) from error


class Command(BaseCommand):
    help = "Crée un compte avec son rôle et son territoire."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--email", required=True)
        parser.add_argument("--role", required=True, choices=Role.values, help=f"le rôle ({ROLES_HELP})")
        parser.add_argument(
            "--departement",
            help="nom ou code du département (chargé de mission du Département, ARS — délégation départementale)",
        )
        parser.add_argument(
            "--region",
            help="nom ou code de la région (ARS, CPAM, URPS, Ordre, Préfecture); déduite du département pour une délégation",
        )
        parser.add_argument("--commune", help="code INSEE (élu ou agent d'une commune)")
        parser.add_argument("--epci", help="SIREN (élu ou agent d'un EPCI)")
        parser.add_argument("--organisation", default="")
        parser.add_argument("--password-stdin", action="store_true", help="lire le mot de passe sur l'entrée standard")

    def handle(self, *args: Any, **options: Any) -> None:
        user_model = get_user_model()
        if user_model.objects.filter(username=options["email"]).exists():
            raise CommandError(f"Le compte {options['email']} existe déjà.")
        for niveau_rattachement in ("region", "departement", "commune", "epci"):
            if options[niveau_rattachement]:
                try:
                    if niveau_rattachement in ("region", "departement"):  # by name (« Vienne ») or code (« 86 »)
                        options[niveau_rattachement] = _by_name(niveau_rattachement, options[niveau_rattachement])
                    else:
                        get_territory(niveau_rattachement, options[niveau_rattachement])
                except TerritoryNotFound as error:
                    raise CommandError(f"--{niveau_rattachement} : {error}") from error
        password = input() if options["password_stdin"] else getpass.getpass("Mot de passe : ")
        niveau = "commune" if options["commune"] else ("epci" if options["epci"] else "")
        profile = Profile(
            role=options["role"],
            departement_id=options["departement"],
            region_id=options["region"],
            collectivite_niveau=niveau,
            collectivite_code=options["commune"] or options["epci"] or "",
            organisation=options["organisation"],
        )
        try:
            profile.clean()
            validate_password(password)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        with transaction.atomic():
            user = user_model.objects.create_user(
                username=options["email"],
                email=options["email"],
                password=password,
                is_superuser=options["role"] == Role.ADMINISTRATEUR,
                is_staff=options["role"] == Role.ADMINISTRATEUR,
            )
            profile.user = user
            profile.save()
            record(None, "compte.creation", profile, {"role": profile.role, "territoire": profile.scope_label})
        self.stdout.write(
            self.style.SUCCESS(f"Compte {user.username} créé ({profile.get_role_display()}, {profile.scope_label}).")
        )
