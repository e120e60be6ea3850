"""Reads of improvement measures: staff of the department (a supervisor included) and of the
district.
"""

from attendance.models import (
    ImprovementMeasure,
)
from org.access import get_object_for_user


def visible_measures(user):
    return ImprovementMeasure.objects.visible_to(user).select_related("department", "owner")


def get_measure_for_user(user, pk) -> ImprovementMeasure:
    measures = ImprovementMeasure.objects.select_related("department", "owner")
    return get_object_for_user(measures, user, pk)
