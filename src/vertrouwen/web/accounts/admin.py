"""The admin site's titles, and the users list with each user's role."""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _

from vertrouwen.web.accounts.roles import ROLES_BY_CODE

admin.site.site_header = _("Trust: configuration")
admin.site.site_title = _("Trust configuration")
admin.site.index_title = _("Configuration")
admin.site.site_url = "/"

User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class UserWithRoleAdmin(UserAdmin):
    list_display = ("username", "first_name", "last_name", "role", "is_active", "last_login")
    list_filter = ("groups", "is_active", "is_staff")

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("groups")

    @admin.display(description=_("role"))
    def role(self, obj) -> str:
        labels = [str(ROLES_BY_CODE[g.name].label) for g in obj.groups.all() if g.name in ROLES_BY_CODE]
        return ", ".join(labels) or "–"
