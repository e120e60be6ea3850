from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from accounts.models import ApiToken, RoleAssignment, User
from core.admin_mixins import NoDeleteHistoryAdmin


class RoleAssignmentInline(admin.TabularInline):
    model = RoleAssignment
    extra = 0
    can_delete = False
    raw_id_fields = ["unit"]


@admin.register(User)
class UserAdmin(BaseUserAdmin, NoDeleteHistoryAdmin):
    fieldsets = BaseUserAdmin.fieldsets + ((_("District"), {"fields": ["full_name", "language"]}),)
    list_display = ["username", "full_name", "is_active", "is_staff"]
    inlines = [RoleAssignmentInline]


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(NoDeleteHistoryAdmin):
    list_display = ["user", "role", "unit", "started_on", "ended_on"]
    list_filter = ["role"]
    raw_id_fields = ["user", "unit"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Users' API tokens: seen and revoked (deleted) here, issued only by logging in."""

    list_display = ["user", "label", "created", "last_used", "expires"]
    search_fields = ["user__username", "user__full_name", "label"]
    fields = ["user", "label", "created", "last_used", "expires"]
    readonly_fields = fields

    @admin.display(description=_("expires"))
    def expires(self, token):
        return token.expires

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
