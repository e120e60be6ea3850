"""The records demo: meetings for most past planned entries, items held, roll-call head counts
and feedback from agents."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count, F

from meetings.models import CalendarEntry, Feedback, Meeting, MeetingItemHeld


@pytest.mark.django_db
def test_seed_demo_records_meetings_and_feedback():
    out = StringIO()
    call_command("seed_demo", agents=80, stdout=out)
    meetings = Meeting.objects.all()
    assert meetings.count() > 100
    planned = CalendarEntry.objects.filter(cancelled_at__isnull=True, meetings__isnull=False)
    assert planned.count() == meetings.exclude(calendar_entry=None).count()
    assert meetings.filter(present_from_roll_call=True).exists()
    assert MeetingItemHeld.objects.filter(held=True).exists()
    per_meeting = Feedback.objects.values("meeting").annotate(n=Count("pk"))
    assert per_meeting.count() > 20
    assert max(row["n"] for row in per_meeting) >= 3
    assert not Feedback.objects.filter(meeting__host=F("respondent")).exists()
