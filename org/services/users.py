"""Staff users and their role assignments, managed by the system administrator."""

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import ROLE_UNIT_KINDS, Role, RoleAssignment, User
from org.access import Cap, holds


def _require_admin(acting_user, unit=None):
    if not holds(acting_user, Cap.MANAGE_USERS, unit):
        raise PermissionDenied(_("Only the system administrator manages users and roles."))


@transaction.atomic
def user_create(
    *,
    acting_user,
    username: str,
    full_name: str,
    email: str = "",
    password: str,
    language: str = "zh-hans",
) -> User:
    _require_admin(acting_user)
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": _("This username is already taken.")})
    user = User(username=username, full_name=full_name, email=email, language=language)
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from None
    user.set_password(password)
    user._history_user = acting_user
    user.save()
    return user


@transaction.atomic
def user_update(*, acting_user, user: User, **fields) -> User:
    _require_admin(acting_user)
    allowed = {"full_name", "email", "language", "is_active"}
    for name, value in fields.items():
        if name not in allowed:
            raise ValidationError(_("%(field)s cannot be changed here.") % {"field": name})
        setattr(user, name, value)
    if user.pk == acting_user.pk and not user.is_active:
        raise ValidationError({"is_active": _("You cannot deactivate yourself.")})
    user._history_user = acting_user
    user.save(update_fields=list(fields))
    return user


@transaction.atomic
def role_assign(*, acting_user, user: User, role: str, unit) -> RoleAssignment:
    _require_admin(acting_user, unit)
    if unit.kind not in ROLE_UNIT_KINDS[role]:
        raise ValidationError(
            {
                "unit": _("%(role)s is held over a unit of another kind.")
                % {"role": Role(role).label}
            }
        )
    if not unit.is_open:
        raise ValidationError({"unit": _("%(unit)s is closed.") % {"unit": unit}})
    if RoleAssignment.objects.current().filter(user=user, role=role, unit=unit).exists():
        raise ValidationError(
            _("%(user)s already holds this role over %(unit)s.") % {"user": user, "unit": unit}
        )
    assignment = RoleAssignment(user=user, role=role, unit=unit)
    assignment._history_user = acting_user
    assignment.save()
    return assignment


@transaction.atomic
def role_end(*, acting_user, assignment: RoleAssignment) -> RoleAssignment:
    """End a role assignment; the row stays as history."""
    _require_admin(acting_user, assignment.unit)
    if assignment.ended_on:
        raise ValidationError(_("This role assignment has already ended."))
    assignment.ended_on = timezone.localdate()
    assignment._history_user = acting_user
    assignment.save(update_fields=["ended_on"])
    return assignment
