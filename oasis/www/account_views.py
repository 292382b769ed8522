"""A user's own account: notifications, how to receive them, password change and reset."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordResetForm
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from oasis.audit.services import record
from oasis.notifications.enums import Frequency
from oasis.notifications.models import Notification
from oasis.notifications.services import absolute_url, frequency_of, mark_read, set_frequency
from oasis.www.messages import confirmed, form_errors

NOTIFICATIONS_PER_PAGE = 30


class PreferenceForm(forms.Form):
    frequency = forms.ChoiceField(
        label="Recevoir mes notifications par courriel", choices=Frequency.choices, widget=forms.RadioSelect
    )


@login_required
def account(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = PreferenceForm(request.POST)
        if not form.is_valid():
            messages.error(request, form_errors(form))
            return redirect("account")
        set_frequency(request.user, form.cleaned_data["frequency"])
        label = Frequency(form.cleaned_data["frequency"]).label
        return confirmed(request, f"Préférence enregistrée : {label.lower()}.", redirect("account"))
    notifications = Notification.objects.filter(recipient_id=request.user.pk)
    page = Paginator(notifications, NOTIFICATIONS_PER_PAGE).get_page(request.GET.get("page"))
    context: dict[str, Any] = {
        "form": PreferenceForm(initial={"frequency": frequency_of(request.user)}),
        "page": page,
        "unread": notifications.unread().count(),
    }
    return render(request, "www/account/account.html", context)


@login_required
@require_POST
def notifications_read(request: HttpRequest) -> HttpResponse:
    count = mark_read(request.user)
    return confirmed(request, f"{count} notification(s) marquée(s) comme lue(s).", redirect("account"))


@login_required
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Open what a notification is about, marking it read; only the recipient's own notifications exist here."""
    notification = get_object_or_404(Notification, pk=pk, recipient=request.user)
    mark_read(request.user, [notification.pk])
    safe = url_has_allowed_host_and_scheme(notification.link, allowed_hosts=None) and notification.link.startswith("/")
    return HttpResponseRedirect(notification.link if safe else reverse_lazy("account"))


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "www/account/password_change.html"
    success_url = reverse_lazy("account")

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        user = form.user
        record(user, "compte.mot_de_passe.modification", user)
        messages.success(self.request, "Votre mot de passe est modifié.")
        return response


class ResetRequestForm(PasswordResetForm):
    """The reset link is built from OASIS_URL_PUBLIQUE, never from the request's Host header (which whoever asks
    chooses: a forged host would send the user's token to a stranger's site)."""

    email = forms.EmailField(
        label="Adresse électronique",
        max_length=254,
        help_text="Format attendu : nom@domaine.fr",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        *args: Any,
        **kwargs: Any,
    ) -> None:
        path = reverse("password_reset_confirm", kwargs={"uidb64": context["uid"], "token": context["token"]})
        context = {**context, "link": absolute_url(path)}
        super().send_mail(subject_template_name, email_template_name, context, *args, **kwargs)


class PasswordResetView(auth_views.PasswordResetView):
    form_class = ResetRequestForm
    template_name = "www/account/password_reset.html"
    email_template_name = "www/account/password_reset_email.txt"
    subject_template_name = "www/account/password_reset_subject.txt"
    success_url = reverse_lazy("password_reset_done")


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "www/account/password_reset_done.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(**kwargs) | {"timeout_days": settings.PASSWORD_RESET_TIMEOUT // 86_400}


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "www/account/password_reset_confirm.html"
    success_url = reverse_lazy("login")

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        record(form.user, "compte.mot_de_passe.reinitialisation", form.user)
        messages.success(self.request, "Votre mot de passe est enregistré : connectez-vous avec lui.")
        return response
