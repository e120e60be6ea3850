from django.contrib import admin

from core.admin_mixins import NoDeleteHistoryAdmin
from plans.kinds import ensure_default_chain, forget_names
from plans.models import Acknowledgement, Attachment, Document, DocumentKind, DocumentVersion


@admin.register(DocumentKind)
class DocumentKindAdmin(admin.ModelAdmin):
    """Administrators add kinds of documents; a new kind gets the default approval chain of
    its unit kind, which they can then change under approval chains."""

    list_display = ["name", "code", "unit_kind", "default_period_type", "active"]
    list_filter = ["unit_kind", "active"]

    def get_readonly_fields(self, request, obj=None):
        # The code names the kind's approval chains and requests.
        return ["code"] if obj else []

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        ensure_default_chain(obj)
        forget_names()

    def has_delete_permission(self, request, obj=None):
        return False


class VersionInline(admin.TabularInline):
    model = DocumentVersion
    fields = ["number", "title", "state", "published_at", "published_by", "created_by"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Document)
class DocumentAdmin(NoDeleteHistoryAdmin):
    """Documents change through their pages and flow; here they are looked up."""

    list_display = ["title", "kind", "unit", "period_type", "period_start", "due_date"]
    list_filter = ["kind", "period_type"]
    search_fields = ["title", "unit__name"]
    list_select_related = ["kind", "unit"]
    fields = ["kind", "unit", "period_type", "period_start", "title", "due_date", "created_by"]
    readonly_fields = ["kind", "unit", "period_type", "period_start", "created_by"]
    inlines = [VersionInline]

    def has_add_permission(self, request):
        return False


class AttachmentInline(admin.TabularInline):
    model = Attachment
    fields = ["original_name", "size", "uploaded_by", "uploaded_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class AcknowledgementInline(admin.TabularInline):
    model = Acknowledgement
    fields = ["unit", "user", "at"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(DocumentVersion)
class DocumentVersionAdmin(NoDeleteHistoryAdmin):
    list_display = ["__str__", "document", "state", "published_at"]
    list_filter = ["state"]
    search_fields = ["title", "document__title"]
    list_select_related = ["document"]
    readonly_fields = [
        "document",
        "number",
        "title",
        "body",
        "effective_date",
        "state",
        "published_at",
        "published_by",
        "created_by",
    ]
    inlines = [AttachmentInline, AcknowledgementInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
