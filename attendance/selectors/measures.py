"""Reads of improvement measures: staff of the department (a supervisor included) and of the
district.
"""

from django.http import Http404

from attendance.models import (
    ImprovementMeasure,
)


def visible_measures(user):
    return ImprovementMeasure.objects.visible_to(user).select_related("department", "owner")


def get_measure_for_user(user, pk) -> ImprovementMeasure:
    try:
        return visible_measures(user).get(pk=pk)
    except (ImprovementMeasure.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
