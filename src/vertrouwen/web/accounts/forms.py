"""The login form, with the NL Design System classes and a plain error message."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

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

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:  # point a field at its error message, for screen readers
                self.fields[name].widget.attrs["aria-describedby"] = f"{self[name].auto_id}-error"
