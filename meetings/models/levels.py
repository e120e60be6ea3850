"""The levels of meetings a unit holds."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class MeetingLevel(models.TextChoices):
    DISTRICT = "district", _("District morning meeting")  # 营业区早会
    DEPARTMENT = "department", _("Department morning meeting")  # 营业部早会
    EVENING = "evening", _("Department evening meeting")  # 夕会
    GROUP = "group", _("Group second morning meeting")  # 二早


# Which kind of unit holds each level of meeting.
LEVEL_UNIT_KIND = {
    MeetingLevel.DISTRICT: "district",
    MeetingLevel.DEPARTMENT: "department",
    MeetingLevel.EVENING: "department",
    MeetingLevel.GROUP: "group",
}
