from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from core.admin_mixins import NoDeleteHistoryAdmin
from meetings import models

for model in (
    models.FunctionGroup,
    models.FlowTemplate,
    models.Calendar,
    models.CalendarSettings,
    models.Meeting,
    models.Feedback,
    models.ChecklistItem,
    models.Visit,
    models.AcceptanceForm,
    models.Issue,
):
    admin.site.register(model, SimpleHistoryAdmin)

# Attachments are never deleted: removing one marks it removed (core.models.AttachmentBase).
admin.site.register(models.TrainingMaterial, NoDeleteHistoryAdmin)
