from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from notifications import services
from notifications.models import EmailPreference, Notification, NotificationKind


@login_required
def notification_list(request):
    notifications = Notification.objects.filter(recipient=request.user)
    if request.GET.get("unread") == "1":
        notifications = notifications.filter(read_at__isnull=True)
    page = Paginator(notifications, 30).get_page(request.GET.get("page"))
    return render(
        request,
        "notifications/list.html",
        {
            "page": page,
            "unread_only": request.GET.get("unread") == "1",
        },
    )


@login_required
def notification_open(request, pk):
    """Mark one notification read and go to the record it is about."""
    notification = get_object_or_404(Notification, pk=pk, recipient=request.user)
    services.notifications_mark_read(user=request.user, ids=[notification.pk])
    target = notification.url
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("notifications:list")


@login_required
@require_POST
def notification_mark_all_read(request):
    count = services.notifications_mark_read(user=request.user)
    messages.success(request, _("%(count)s notification(s) marked read.") % {"count": count})
    return redirect("notifications:list")


class EmailPreferencesForm(forms.Form):
    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        chosen = set(
            EmailPreference.objects.filter(user=user, email=True).values_list("kind", flat=True)
        )
        for kind, label in NotificationKind.choices:
            self.fields[kind] = forms.BooleanField(
                label=label, required=False, initial=kind in chosen
            )


@login_required
def email_preferences(request):
    form = EmailPreferencesForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        services.email_preferences_set(user=request.user, kinds_by_email=form.cleaned_data)
        messages.success(request, _("Preferences saved."))
        return redirect("notifications:email_preferences")
    return render(request, "notifications/email_preferences.html", {"form": form})
