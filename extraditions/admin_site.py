"""The staff workspace's admin site: who may enter, and with which factors.

Staff log in with a password and, if they have set up an authenticator app (TOTP), its code.
Administrators must have one: without a verified second factor they are not let in.
"""

from django import forms
from django.contrib.admin import AdminSite
from django.contrib.admin.forms import AdminAuthenticationForm
from django_otp import devices_for_user, user_has_device
from django_otp.forms import OTPAuthenticationFormMixin

from .visibility import is_staff_session


class StaffLoginForm(OTPAuthenticationFormMixin, AdminAuthenticationForm):
    """Password, then the authenticator code for those who have an authenticator."""

    otp_device = forms.CharField(required=False, widget=forms.HiddenInput)
    otp_token = forms.CharField(
        required=False, label="Authenticator code", help_text="The 6-digit code from your authenticator app, if you use one.",
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )
    otp_challenge = forms.CharField(required=False, widget=forms.HiddenInput)

    def clean(self):
        cleaned = super().clean()
        user = self.get_user()
        if user is not None and user_has_device(user, confirmed=True):
            self.clean_otp(user)
        return cleaned

    def _chosen_device(self, user):
        return next(devices_for_user(user, confirmed=True), None)


class StaffAdminSite(AdminSite):
    login_form = StaffLoginForm
    login_template = "admin/staff_login.html"

    def has_permission(self, request):
        # Active staff past any second factor required of them: the test every channel applies.
        return is_staff_session(request.user)
