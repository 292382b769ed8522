"""Login and logout, with throttling."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import LoginView
from django.http import HttpResponse

from oasis.accounts import throttle


class ThrottledLoginView(LoginView):
    template_name = "www/login.html"
    redirect_authenticated_user = True

    def _address(self) -> str:
        return str(self.request.META.get("REMOTE_ADDR", ""))

    def post(self, request: Any, *args: Any, **kwargs: Any) -> HttpResponse:
        username = request.POST.get("username", "")
        if throttle.is_locked(username, self._address()):
            form = self.get_form()
            form.add_error(None, "Trop de tentatives de connexion : réessayez dans 15 minutes.")
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form: AuthenticationForm) -> HttpResponse:
        throttle.record_failure(self.request.POST.get("username", ""), self._address())
        return super().form_invalid(form)

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        throttle.reset(form.get_user().get_username(), self._address())
        return super().form_valid(form)
