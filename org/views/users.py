"""The system administrator's pages for staff users and their roles (mounted under
/accounts/users/ with the `accounts:` URL names, see config/urls.py)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import RoleAssignment, User
from core.forms import add_service_errors
from core.history import history_rows
from org.access import Cap, require, units_with
from org.forms.users import RoleAssignForm, UserCreateForm, UserEditForm
from org.models import Unit
from org.services import users as user_services


@login_required
def user_list(request):
    require(request.user, Cap.MANAGE_USERS)
    current = RoleAssignment.objects.current().select_related("unit")
    users = (
        User.objects.order_by("username")
        .prefetch_related(Prefetch("role_assignments", queryset=current, to_attr="current_roles"))
        .select_related("agent")
    )
    query = request.GET.get("q", "").strip()
    if query:
        users = users.filter(username__icontains=query) | users.filter(full_name__icontains=query)
    return render(request, "accounts/user_list.html", {"users": users[:500], "q": query})


@login_required
def user_create(request):
    require(request.user, Cap.MANAGE_USERS)
    form = UserCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = user_services.user_create(acting_user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("User %(user)s created.") % {"user": user})
            return redirect("accounts:user_detail", pk=user.pk)
    return render(request, "accounts/user_form.html", {"form": form})


@login_required
def user_detail(request, pk):
    require(request.user, Cap.MANAGE_USERS)
    user = get_object_or_404(User, pk=pk)
    units = units_with(request.user, Cap.MANAGE_USERS, queryset=Unit.objects.open())
    edit_form = UserEditForm(
        request.POST if request.POST.get("action") == "edit" else None,
        initial={
            "full_name": user.full_name,
            "email": user.email,
            "language": user.language,
            "is_active": user.is_active,
        },
    )
    role_form = RoleAssignForm(
        request.POST if request.POST.get("action") == "assign" else None, units=units
    )
    if request.method == "POST":
        form, action = (
            (edit_form, "edit") if request.POST.get("action") == "edit" else (role_form, "assign")
        )
        if form.is_valid():
            try:
                if action == "edit":
                    user_services.user_update(
                        acting_user=request.user, user=user, **form.cleaned_data
                    )
                else:
                    user_services.role_assign(
                        acting_user=request.user, user=user, **form.cleaned_data
                    )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Saved."))
                return redirect("accounts:user_detail", pk=user.pk)
    assignments = user.role_assignments.select_related("unit").order_by("ended_on", "role")
    return render(
        request,
        "accounts/user_detail.html",
        {
            "subject": user,
            "edit_form": edit_form,
            "role_form": role_form,
            "assignments": assignments,
            "history": history_rows(user),
        },
    )


@login_required
@require_POST
def role_end(request, pk):
    require(request.user, Cap.MANAGE_USERS)
    assignment = get_object_or_404(RoleAssignment.objects.select_related("unit", "user"), pk=pk)
    try:
        user_services.role_end(acting_user=request.user, assignment=assignment)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Role assignment ended."))
    return redirect("accounts:user_detail", pk=assignment.user_id)
