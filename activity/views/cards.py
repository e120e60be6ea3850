"""The agent's own prospect and recruitment cards, and the counts managers see."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from activity.selectors.cards import KINDS, card_counts
from activity.services.cards import CARD_FIELDS, card_update
from activity.views.logs import may_review
from core.versioning import StaleVersion, VersionedFormMixin
from org import access
from org.access import Cap
from org.models import Agent


class CardForm(VersionedFormMixin, forms.ModelForm):
    """An edit carries the card's version (core/versioning); a new card has none."""


def _model(kind):
    if kind not in KINDS:
        raise Http404
    return KINDS[kind][0]


def _form_class(model):
    return forms.modelform_factory(
        model,
        form=CardForm,
        fields=CARD_FIELDS,
        widgets={
            "next_contact_on": forms.DateInput(attrs={"type": "date"}),
            "last_contact_on": forms.DateInput(attrs={"type": "date"}),
            "notes": forms.Textarea(attrs={"rows": 2}),
        },
    )


def _own_agent_id(user):
    agent_id = access.own_agent_id(user)
    if not agent_id:
        raise PermissionDenied
    return agent_id


@login_required
def card_list(request, kind):
    """The agent's own cards with a form to add one. Nobody else's cards are ever listed."""
    model = _model(kind)
    agent_id = _own_agent_id(request.user)
    form = _form_class(model)(request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.instance.agent_id = agent_id
        form.save()
        messages.success(request, _("Card added."))
        return redirect("activity:cards", kind)
    cards = model.objects.owned_by(request.user).order_by("next_contact_on", "name")
    return render(
        request,
        "activity/cards.html",
        {"kind": kind, "cards": cards, "form": form, "may_review": may_review(request.user)},
    )


@login_required
def card_edit(request, kind, pk):
    model = _model(kind)
    card = get_object_or_404(model.objects.owned_by(request.user), pk=pk)
    form = _form_class(model)(request.POST or None, instance=card)
    if request.method == "POST" and form.is_valid():
        try:
            card_update(
                acting_user=request.user,
                card=card,
                values=form.without_version(form.cleaned_data),
                base_version=form.base_version,
            )
        except StaleVersion as exc:
            form.show_stale(exc)
        else:
            messages.success(request, _("Card saved."))
            return redirect("activity:cards", kind)
    return render(request, "activity/card_form.html", {"kind": kind, "form": form, "card": card})


@login_required
def card_counts_page(request):
    """Managers: counts per agent and stage only, never names or contacts."""
    if not access.holds(request.user, Cap.VIEW_ORG):
        raise PermissionDenied
    agents = Agent.objects.visible_to(request.user).exclude(status="resigned")
    return render(
        request,
        "activity/card_counts.html",
        {"data": card_counts(agents), "may_review": may_review(request.user)},
    )
