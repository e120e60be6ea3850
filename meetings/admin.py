from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from meetings import models

for model in (
    models.FunctionGroup,
    models.FlowTemplate,
    models.Calendar,
    models.CalendarSettings,
    models.Meeting,
    models.Feedback,
    models.TrainingMaterial,
    models.ChecklistItem,
    models.Visit,
    models.AcceptanceForm,
    models.Issue,
):
    admin.site.register(model, SimpleHistoryAdmin)
