"""The login form, with the NL Design System classes and a plain error message."""

from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from vertrouwen.web.nlds_forms import NldsFormMixin

TEXTBOX = "utrecht-textbox utrecht-textbox--html-input"


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _("The user name or password is not correct. Check both and try again; "
                           "capital letters count."),
        "inactive": _("This account has been blocked. Ask the administrator of the application."),
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = _("User name")
        self.fields["password"].label = _("Password")
        self.fields["username"].widget.attrs.update({"class": TEXTBOX, "spellcheck": "false",
                                                     "autocapitalize": "none"})
        self.fields["password"].widget = forms.PasswordInput(
            attrs={"class": f"{TEXTBOX} utrecht-textbox--password", "autocomplete": "current-password"})

    def clean(self):
        # Over the failures of all user names from this address (accounts/lockout.py): refused as a wrong password.
        from vertrouwen.web.accounts.lockout import address_locked, refuse_address

        if self.request is not None and address_locked(self.request):
            refuse_address(self.request, self.cleaned_data.get("username", ""))
            raise self.get_invalid_login_error()
        return super().clean()

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:  # point a field at its error message, for screen readers
                self.fields[name].widget.attrs["aria-describedby"] = f"{self[name].auto_id}-error"


class CodeField(forms.CharField):
    """The six digits of the authenticator app; spaces are allowed and dropped, as apps show "123 456"."""

    def __init__(self, **kwargs):
        super().__init__(label=_("Code from the authenticator app"), max_length=12, strip=True, **kwargs)
        self.widget.attrs.update({"class": TEXTBOX, "inputmode": "numeric", "autocomplete": "one-time-code",
                                  "pattern": "[0-9 ]*", "spellcheck": "false"})
        self.error_messages["required"] = _("Enter the 6-digit code.")

    def clean(self, value):
        value = "".join(super().clean(value).split())
        if not (value.isdigit() and len(value) == 6):
            raise forms.ValidationError(_("The code has 6 digits."), code="format")
        return value


class DescribedErrorsMixin:
    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:  # point a field at its error message, for screen readers
                self.fields[name].widget.attrs["aria-describedby"] = f"{self[name].auto_id}-error"


class CodeForm(DescribedErrorsMixin, forms.Form):
    """The code, at login or when setting up the app. Whether it is right is for the view to check."""

    otp_token = CodeField()

    def reject(self) -> None:
        self.add_error("otp_token", _("This code is not correct. Enter the newest code from the app; check that "
                                      "the time on your phone is right."))


class ConfirmIdentityForm(DescribedErrorsMixin, forms.Form):
    """Password and code again, before an export or a change of rights. A user who logs in only through the
    municipality's identity provider (no usable password here) gives the code alone."""

    password = forms.CharField(label=_("Password"), strip=False, widget=forms.PasswordInput(
        attrs={"class": f"{TEXTBOX} utrecht-textbox--password", "autocomplete": "current-password"}))
    otp_token = CodeField()

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if not user.has_usable_password():
            del self.fields["password"]

    def reject(self) -> None:
        self.add_error(None, _("The password or the code is not correct. Check both and try again."))


class PasswordChangeForm(NldsFormMixin, auth_forms.PasswordChangeForm):
    """Django's own form (the old password, the new one twice, the password validators), in the site's markup."""
