"""The admin site's titles, and the users: each with exactly one role, every change audited.

The beheerder adds users, changes them, blocks them and sets their one role; staff status follows from the
role. Superuser status, staff status, groups and single permissions are not in the forms at all, so no post
can set them; groups are not in the admin either, since the roles and their permissions are declared in
roles.py. Superusers (made on the command line) are invisible to anyone who is not one. Users are never
deleted: the audit trail refers to them; block an account instead.

The admin asks for a verified login (password and authenticator code), and adding or changing a user, setting
a password or resetting someone's authenticator app asks for a fresh confirmation (sessions.py).
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import UserChangeForm, UserCreationForm
from django.contrib.auth.models import Group
from django.db import router, transaction
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from vertrouwen.web.accounts import services, twofactor
from vertrouwen.web.accounts.roles import ROLES, ROLES_BY_CODE, role_of
from vertrouwen.web.accounts.sessions import confirmation_url, recently_confirmed

admin.site.site_header = _("Trust: configuration")
admin.site.site_title = _("Trust configuration")
admin.site.index_title = _("Configuration")
admin.site.site_url = "/"


User = get_user_model()
admin.site.unregister(User)
admin.site.unregister(Group)  # the roles are declared in code (roles.py), not edited here


def _role_field() -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=_("role"), choices=[("", "---------"), *((r.code, r.label) for r in ROLES)],
        coerce=ROLES_BY_CODE.__getitem__,
        help_text=_("Every user has exactly one role. Only administrators have access to this configuration."))


class UserWithRoleCreationForm(UserCreationForm):
    role = _role_field()

    class Meta(UserCreationForm.Meta):
        fields = ("username", "first_name", "last_name", "email")


class UserWithRoleChangeForm(UserChangeForm):
    role = _role_field()

    class Meta(UserChangeForm.Meta):
        fields = ("username", "password", "first_name", "last_name", "email", "is_active")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        role = role_of(self.instance)
        if role is not None:
            self.initial.setdefault("role", role.code)


class RoleFilter(admin.SimpleListFilter):
    title = _("role")
    parameter_name = "role"

    def lookups(self, request, model_admin):
        return [(r.code, r.label) for r in ROLES]

    def queryset(self, request, queryset):
        if self.value() in ROLES_BY_CODE:
            return queryset.filter(groups__name=self.value())
        return queryset


@admin.register(User)
class UserWithRoleAdmin(UserAdmin):
    form = UserWithRoleChangeForm
    add_form = UserWithRoleCreationForm
    add_form_template = None  # the plain change form: the role is chosen when adding
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Personal info"), {"fields": ("first_name", "last_name", "email")}),
        (_("Role and access"), {"fields": ("role", "is_active")}),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "password1", "password2")}),
        (_("Personal info"), {"fields": ("first_name", "last_name", "email")}),
        (_("Role and access"), {"fields": ("role",)}),
    )
    readonly_fields = ("last_login", "date_joined")
    filter_horizontal = ()
    list_display = ("username", "first_name", "last_name", "role", "is_active", "last_login")
    list_filter = (RoleFilter, "is_active")
    actions = ("reset_two_factor",)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if not recently_confirmed(request):  # adding a user or changing a role or access: confirm first
            return redirect(confirmation_url(request))
        return super().changeform_view(request, object_id, form_url, extra_context)

    @admin.action(description=_("Reset the authenticator app of the selected users"), permissions=("change",))
    def reset_two_factor(self, request, queryset):
        if not recently_confirmed(request):
            return redirect(confirmation_url(request))
        for user in queryset:
            twofactor.reset_devices(user, actor=request.user)
        count = queryset.count()
        self.message_user(request, ngettext(
            "The authenticator app of %(count)d user has been reset. They set up a new one at their next login.",
            "The authenticator apps of %(count)d users have been reset. They set up a new one at their next login.",
            count) % {"count": count}, messages.SUCCESS)
        return None

    def get_queryset(self, request):
        queryset = super().get_queryset(request).prefetch_related("groups")
        if not request.user.is_superuser:
            queryset = queryset.filter(is_superuser=False)
        return queryset

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("role"))
    def role(self, obj) -> str:
        role = role_of(obj)
        return str(role.label) if role else "–"

    def save_model(self, request, obj, form, change):
        role = form.cleaned_data["role"]
        if change:
            services.change_user(obj, role=role, actor=request.user, changed=form.changed_data)
        else:
            services.add_user(obj, role=role, actor=request.user)

    def user_change_password(self, request, id, form_url=""):
        if not recently_confirmed(request):
            return redirect(confirmation_url(request))
        if request.method != "POST":
            return super().user_change_password(request, id, form_url)
        with transaction.atomic(using=router.db_for_write(self.model)):  # the change and its audit event
            return super().user_change_password(request, id, form_url)

    def log_change(self, request, obj, message):
        entry = super().log_change(request, obj, message)
        if request.resolver_match and request.resolver_match.url_name == "auth_user_password_change":
            services.password_changed(obj, actor=request.user)
        return entry
