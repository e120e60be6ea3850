"""Function groups (功能组) of the district: the list, forming a group, its members and duties,
training sessions and peer review sessions (相互点评、分享)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.exceptions import ConflictError
from core.forms import add_service_errors
from core.versioning import StaleVersion, stale_change_lines
from meetings.forms_groups import (
    DutiesForm,
    FunctionGroupForm,
    MemberForm,
    PeerReviewForm,
    TrainingForm,
)
from meetings.models import (
    FunctionGroup,
    FunctionGroupMember,
    PeerReview,
    TrainingMaterial,
    TrainingSession,
)
from meetings.selectors import groups as selectors
from meetings.services import groups as services


def _group_for(user, pk) -> FunctionGroup:
    return get_object_or_404(
        selectors.function_groups_visible_to(user).select_related("district", "leader"), pk=pk
    )


def _writable_group(user, pk) -> FunctionGroup:
    group = _group_for(user, pk)
    if not selectors.can_write_group(user, group):
        raise PermissionDenied
    return group


@login_required
def function_group_list(request):
    groups = selectors.function_group_list(request.user)
    return render(
        request,
        "meetings/groups_list.html",
        {
            "groups": groups,
            "may_create": selectors.writable_districts(request.user).exists(),
        },
    )


@login_required
def function_group_create(request):
    districts = selectors.writable_districts(request.user)
    if not districts.exists():
        raise PermissionDenied
    form = FunctionGroupForm(request.POST or None, districts=districts)
    if request.method == "POST" and form.is_valid():
        try:
            group = services.function_group_create(
                acting_user=request.user,
                district=form.cleaned_data["district"],
                name=form.cleaned_data["name"],
                purpose=form.cleaned_data["purpose"],
                leader=form.cleaned_data["leader"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Function group formed."))
            return redirect("meetings:function_group_detail", group.pk)
    return render(request, "meetings/groups_form.html", {"form": form, "group": None})


@login_required
def function_group_edit(request, pk):
    group = _writable_group(request.user, pk)
    form = FunctionGroupForm(
        request.POST or None,
        districts=selectors.writable_districts(request.user),
        district=group.district,
        editing=True,
        initial={
            "name": group.name,
            "purpose": group.purpose,
            "leader": group.leader_id,
            "closed_on": group.closed_on,
        },
        versioned=group,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.function_group_update(
                acting_user=request.user,
                group=group,
                name=form.cleaned_data["name"],
                purpose=form.cleaned_data["purpose"],
                leader=form.cleaned_data["leader"],
                closed_on=form.cleaned_data["closed_on"],
                base_version=form.base_version,
            )
        except StaleVersion as exc:
            form.show_stale(exc)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Function group saved."))
            return redirect("meetings:function_group_detail", group.pk)
    return render(request, "meetings/groups_form.html", {"form": form, "group": group})


@login_required
def function_group_detail(request, pk):
    group = _group_for(request.user, pk)
    may_write = selectors.can_write_group(request.user, group)
    member_form = None
    if request.method == "POST":
        if not may_write:
            raise PermissionDenied
        member_form = MemberForm(request.POST, group=group)
        if member_form.is_valid():
            try:
                services.member_add(
                    acting_user=request.user,
                    group=group,
                    user=member_form.cleaned_data["user"],
                    duties=member_form.cleaned_data["duties"],
                    joined_on=member_form.cleaned_data["joined_on"],
                )
            except ValidationError as error:
                add_service_errors(member_form, error)
            except ConflictError as error:
                member_form.add_error(None, error.message)
            else:
                messages.success(request, _("Member added."))
                return redirect("meetings:function_group_detail", group.pk)
    if may_write and member_form is None and not group.closed_on:
        member_form = MemberForm(group=group)
    return render(
        request,
        "meetings/groups_detail.html",
        {
            "group": group,
            "may_write": may_write,
            "members": selectors.members_of(group),
            "trainings": selectors.trainings_of(group),
            "reviews": selectors.peer_reviews_of(group),
            "member_form": member_form,
        },
        status=422 if member_form is not None and member_form.errors else 200,
    )


def _member_for(user, pk) -> FunctionGroupMember:
    member = get_object_or_404(
        FunctionGroupMember.objects.select_related("function_group__district", "user"), pk=pk
    )
    _writable_group(user, member.function_group_id)
    return member


@login_required
@require_POST
def function_group_member_duties(request, pk):
    member = _member_for(request.user, pk)
    form = DutiesForm(request.POST, versioned=member)
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
        return redirect("meetings:function_group_detail", member.function_group_id)
    try:
        services.member_set_duties(
            acting_user=request.user,
            member=member,
            duties=form.cleaned_data["duties"],
            base_version=form.base_version,
        )
        messages.success(request, _("Duties of %(user)s saved.") % {"user": member.user})
    except StaleVersion as exc:
        messages.error(request, exc.message)
        for line in stale_change_lines(exc):
            messages.warning(request, line)
    except (ValidationError, ConflictError) as error:
        messages.error(request, getattr(error, "message", None) or " ".join(error.messages))
    return redirect("meetings:function_group_detail", member.function_group_id)


@login_required
@require_POST
def function_group_member_remove(request, pk):
    member = _member_for(request.user, pk)
    version = request.POST.get("version", "")
    try:
        services.member_remove(
            acting_user=request.user,
            member=member,
            base_version=int(version) if version.isdigit() else None,
        )
        messages.success(request, _("%(user)s left the group.") % {"user": member.user})
    except StaleVersion as exc:
        messages.error(request, exc.message)
        for line in stale_change_lines(exc):
            messages.warning(request, line)
    except (ValidationError, ConflictError) as error:
        messages.error(request, getattr(error, "message", None) or " ".join(error.messages))
    return redirect("meetings:function_group_detail", member.function_group_id)


@login_required
def function_group_training(request, pk, training_id=None):
    """Record a training session of the group, or correct one."""
    group = _writable_group(request.user, pk)
    training = None
    initial = {}
    if training_id is not None:
        training = get_object_or_404(TrainingSession, pk=training_id, function_group=group)
        initial = {
            "date": training.date,
            "content": training.content,
            "trainer": training.trainer_id,
            "attendees": list(training.attendees.values_list("pk", flat=True)),
        }
    else:
        initial = {"trainer": group.leader_id}
    form = TrainingForm(request.POST or None, group=group, initial=initial, versioned=training)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.training_save(
                acting_user=request.user,
                group=group,
                training=training,
                day=form.cleaned_data["date"],
                content=form.cleaned_data["content"],
                trainer=form.cleaned_data["trainer"],
                attendees=form.cleaned_data["attendees"],
                base_version=form.base_version,
            )
        except StaleVersion as exc:
            form.show_stale(exc)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if training is None:
                messages.success(request, _("Training session saved; you may attach materials."))
                return redirect("meetings:function_group_training_edit", group.pk, saved.pk)
            messages.success(request, _("Training session saved."))
            return redirect("meetings:function_group_detail", group.pk)
    return render(
        request,
        "meetings/groups_session_form.html",
        {
            "form": form,
            "group": group,
            "title": _("Training session"),
            "cancel_anchor": "trainings",
            "training": training,
            "materials": training.materials.select_related("uploaded_by") if training else None,
        },
    )


@login_required
@require_POST
def function_group_material_add(request, pk, training_id):
    group = _writable_group(request.user, pk)
    training = get_object_or_404(TrainingSession, pk=training_id, function_group=group)
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("Choose a file to attach."))
    else:
        try:
            services.training_material_add(acting_user=request.user, training=training, file=upload)
            messages.success(request, _("Material attached."))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    return redirect("meetings:function_group_training_edit", group.pk, training.pk)


def _material_for(user, pk) -> TrainingMaterial:
    material = get_object_or_404(
        TrainingMaterial.objects.select_related("training__function_group"), pk=pk
    )
    _group_for(user, material.training.function_group_id)  # 404 unless the user reads the group
    return material


@login_required
@require_POST
def function_group_material_remove(request, pk):
    material = _material_for(request.user, pk)
    services.training_material_remove(acting_user=request.user, material=material)
    messages.success(request, _("Material removed."))
    training = material.training
    return redirect(
        "meetings:function_group_training_edit", training.function_group_id, training.pk
    )


@login_required
def function_group_review(request, pk, review_id=None):
    """Record a peer review and sharing session (相互点评、分享), or correct one."""
    group = _writable_group(request.user, pk)
    review = None
    initial = {}
    if review_id is not None:
        review = get_object_or_404(PeerReview, pk=review_id, function_group=group)
        initial = {
            "date": review.date,
            "conclusions": review.conclusions,
            "follow_up_actions": review.follow_up_actions,
            "participants": list(review.participants.values_list("pk", flat=True)),
            "meetings": list(review.meetings.values_list("pk", flat=True)),
        }
    form = PeerReviewForm(request.POST or None, group=group, initial=initial, versioned=review)
    if request.method == "POST" and form.is_valid():
        try:
            services.peer_review_save(
                acting_user=request.user,
                group=group,
                review=review,
                day=form.cleaned_data["date"],
                conclusions=form.cleaned_data["conclusions"],
                follow_up_actions=form.cleaned_data["follow_up_actions"],
                participants=form.cleaned_data["participants"],
                meetings=form.cleaned_data["meetings"],
                base_version=form.base_version,
            )
        except StaleVersion as exc:
            form.show_stale(exc)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Peer review session saved."))
            return redirect("meetings:function_group_detail", group.pk)
    return render(
        request,
        "meetings/groups_session_form.html",
        {
            "form": form,
            "group": group,
            "title": _("Peer review and sharing session"),
            "cancel_anchor": "reviews",
        },
    )
