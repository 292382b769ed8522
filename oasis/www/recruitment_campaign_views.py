"""Recruitment pages: information campaigns (creation, audience, sending, export of the recipients)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from oasis.projects.perms import visible_projects
from oasis.recruitment import perms
from oasis.recruitment.campaigns import audience, create_campaign, export_audience
from oasis.recruitment.candidates import record_views
from oasis.recruitment.common import NotAllowed
from oasis.recruitment.forms import CampaignForm
from oasis.recruitment.models import Campaign
from oasis.recruitment.portal import send_campaign
from oasis.www.downloads import csv_table
from oasis.www.messages import confirmed
from oasis.www.recruitment_views import _departement_of, _require_manager, _run


@login_required
def campaigns(request: HttpRequest) -> HttpResponse:
    _require_manager(request)
    form = CampaignForm(
        request.POST or None, initial={"project_id": request.GET.get("projet")}, projects=visible_projects(request.user)
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        departement = _departement_of(request) or request.POST.get("departement", "").strip().upper()
        created: list[Campaign] = []
        return _run(
            lambda: created.append(
                create_campaign(
                    request.user,
                    departement,
                    data["titre"],
                    data["message"],
                    data["professions"],
                    data["beneficiaires_seulement"],
                    data["project_id"],
                )
            ),
            lambda message: render(
                request,
                "www/recruitment_campaigns.html",
                {"form": form, "campaigns": perms.visible_campaigns(request.user), "error": message},
                status=400,
            ),
            lambda: confirmed(request, "Campagne créée.", redirect("campaign_detail", created[0].pk)),
        )
    return render(
        request,
        "www/recruitment_campaigns.html",
        {"form": form, "campaigns": perms.visible_campaigns(request.user), "is_admin": perms.is_admin(request.user)},
        status=400 if form.errors else 200,
    )


def _campaign(request: HttpRequest, pk: int) -> Campaign:
    return get_object_or_404(perms.visible_campaigns(request.user).select_related("project"), pk=pk)


@login_required
def campaign_detail(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = _campaign(request, pk)
    recipients = audience(campaign)
    record_views(request.user, recipients, f"destinataires de la campagne n° {campaign.pk}")
    context = {"campaign": campaign, "recipients": recipients, "sent": campaign.deliveries.count()}
    return render(request, "www/recruitment_campaign.html", context)


@login_required
@require_POST
def campaign_send(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = _campaign(request, pk)
    try:
        send_campaign(request.user, campaign)
    except NotAllowed as error:
        raise PermissionDenied(str(error)) from error
    done = "Envoi de la campagne lancé : les courriels partent en arrière-plan."
    return confirmed(request, done, redirect("campaign_detail", campaign.pk))


@login_required
def campaign_export(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = _campaign(request, pk)
    recipients = export_audience(request.user, campaign)
    header = ["prenom", "nom", "email", "profession", "situation", "etablissement"]
    rows = (
        [c.prenom, c.nom, c.email, c.get_profession_display(), c.get_situation_display(), c.etablissement] for c in recipients
    )
    return csv_table(request, f"campagne-{campaign.pk}-destinataires.csv", header, rows)
