from simple_history.admin import SimpleHistoryAdmin


class NoDeleteHistoryAdmin(SimpleHistoryAdmin):
    """Admin with change history and without hard deletes (business records are kept)."""

    def has_delete_permission(self, request, obj=None):
        return False
