"""Evaluation feedback (附件3): an attendee's form on the phone, the list of meetings to rate,
the printable form and the aggregates per speaker and per month."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from core.exceptions import ConflictError
from core.forms import add_service_errors
from core.paperforms import respond
from core.params import int_param
from core.versioning import StaleVersion
from meetings import access, paperforms
from meetings.forms_records import ArchiveForm, FeedbackForm
from meetings.models import FEEDBACK_TRAITS, Feedback, Meeting
from meetings.selectors import records as selectors
from meetings.services import records as services
from org.access import Cap, holds


def _meeting(request, pk):
    return access.get_readable(Meeting.objects.select_related("unit", "host"), request.user, pk)


def trait_labels():
    return [(trait, Feedback._meta.get_field(trait).verbose_name) for trait in FEEDBACK_TRAITS]


@login_required
def feedback_mine(request):
    """The meetings of the user's units they can still rate (recent ones)."""
    meetings = list(selectors.feedback_open_meetings(request.user)[:100])
    return render(
        request,
        "meetings/records_feedback_mine.html",
        {"meetings": meetings, "window": selectors.FEEDBACK_WINDOW_DAYS},
    )


@login_required
def feedback_form(request, pk):
    meeting = _meeting(request, pk)
    own = Feedback.objects.filter(meeting=meeting, respondent=request.user).first()
    editable = own is not None and selectors.feedback_editable(own, request.user)
    refusal = None if own else selectors.feedback_refusal(request.user, meeting)
    form = FeedbackForm(request.POST or None, instance=own)
    if request.method == "POST":
        if refusal or (own and not editable):
            raise PermissionDenied(
                refusal or _("Forms can only be changed on the day they were submitted.")
            )
        if form.is_valid():
            try:
                if own:
                    services.feedback_update(
                        acting_user=request.user,
                        feedback=own,
                        data=form.without_version(form.cleaned_data),
                        base_version=form.base_version,
                    )
                else:
                    services.feedback_submit(
                        acting_user=request.user, meeting=meeting, data=form.cleaned_data
                    )
            except StaleVersion as exc:
                form.show_stale(exc)
            except ValidationError as exc:
                add_service_errors(form, exc)
            except ConflictError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("Thank you, your feedback was saved."))
                return redirect("meetings:feedback_mine")
    return render(
        request,
        "meetings/records_feedback_form.html",
        {
            "meeting": meeting,
            "form": form,
            "own": own,
            "editable": editable,
            "refusal": refusal,
            "traits": trait_labels(),
        },
        status=403 if refusal and request.method == "GET" and own is None else 200,
    )


@login_required
def feedback_print(request, pk):
    """附件3 (core.paperforms): the form to fill in by hand for the meeting; one filled form
    (?form=<id>); or every filled form the user may read, one per page (?form=all)."""
    meeting = _meeting(request, pk)
    chosen = request.GET.get("form", "")
    filled = None
    if chosen == "all":
        forms = [
            paperforms.feedback_form(meeting, feedback)
            for feedback in selectors.visible_feedback(request.user, meeting).order_by("pk")
        ]
        forms = forms or paperforms.feedback_form(meeting, None)
    else:
        if chosen:
            filled = (
                selectors.visible_feedback(request.user, meeting)
                .filter(pk=int_param(request.GET, "form"))
                .first()
            )
            if filled is None:
                raise Http404
        forms = paperforms.feedback_form(meeting, filled)
    return respond(
        request,
        forms,
        back=reverse("meetings:meeting_detail", args=[meeting.pk]),
        context={"filled": filled},
    )


@login_required
def feedback_summary(request, pk):
    """附件3 summary of a meeting: the forms the user may read, counted per trait, and their
    suggestions."""
    meeting = _meeting(request, pk)
    return respond(
        request,
        paperforms.feedback_summary_for(request.user, meeting),
        back=reverse("meetings:meeting_detail", args=[meeting.pk]),
    )


@login_required
def feedback_report(request):
    """Aggregates per speaker and per month for the staff of the units searched."""
    if not holds(request.user, Cap.VIEW_ORG):
        raise PermissionDenied
    form = ArchiveForm(request.GET or None, units=selectors.readable_units(request.user))
    criteria = form.criteria()
    meetings = selectors.archive_filter(request.user, criteria)
    by_month = selectors.feedback_by_month(meetings)
    chart = {
        "months": [row["month"].strftime("%Y-%m") for row in by_month],
        "traits": [
            {"label": str(label), "shares": [row["shares"][trait] for row in by_month]}
            for trait, label in trait_labels()
        ],
    }
    return render(
        request,
        "meetings/records_feedback_report.html",
        {
            "form": form,
            "criteria": criteria,
            "total": selectors.feedback_summary(meetings),
            "by_speaker": selectors.feedback_by_speaker(meetings),
            "by_month": by_month,
            "chart": chart,
            "traits": trait_labels(),
        },
    )
