from django.contrib import admin

from core.admin_mixins import NoDeleteHistoryAdmin
from org.models import Agent, PersonalDataAccess, Rank, Unit


@admin.register(Unit)
class UnitAdmin(NoDeleteHistoryAdmin):
    list_display = ["name", "kind", "code", "parent", "closed_on"]
    list_filter = ["kind"]
    search_fields = ["name", "code"]


@admin.register(Rank)
class RankAdmin(NoDeleteHistoryAdmin):
    list_display = ["name", "code", "level", "branch"]


@admin.register(Agent)
class AgentAdmin(NoDeleteHistoryAdmin):
    list_display = ["code", "name", "group", "rank", "status"]
    list_filter = ["status", "rank"]
    search_fields = ["code", "name"]
    list_select_related = ["group", "rank"]
    raw_id_fields = ["group", "recruiter", "user"]
    exclude = ["id_number", "mobile"]  # personal data is revealed only through the logged view


@admin.register(PersonalDataAccess)
class PersonalDataAccessAdmin(admin.ModelAdmin):
    list_display = ["at", "user", "agent", "purpose", "detail"]
    list_select_related = ["user", "agent"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
