"""The demo logins and their roles (part of `manage.py seed_demo`, see core/demo.py).

Two parts around the organisation: the users first (the admin is recorded as author of
everything after), their role assignments once the units exist. They build on what the org part
shares in `run.shared`: "staff_names" (the names of the agents the supervisor and agent logins
are linked to) and "role_units" (the units the roles are held over); they leave "admin", "users"
(every demo login by username) and "linked_logins" (those already linked to an agent).
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from simple_history.utils import bulk_create_with_history

from accounts.models import Role, RoleAssignment
from core.demo import Contributor, DemoRun, register

DEMO_PASSWORD = "demo-pass-2026"  # noqa: S105 - documented demo password, never for production

# Staff users: username → (full name, role or None, which unit the role is held over).
STAFF_USERS = [
    ("admin", "系统管理员", Role.SYSTEM_ADMIN, "branch"),
    ("marketing", "林晓燕", Role.MARKETING, "branch"),
    ("finance", "钱晓红", Role.FINANCE, "branch"),
    ("service", "郑丽华", Role.CUSTOMER_SERVICE, "branch"),
    ("district_manager", "王建华", Role.DISTRICT_MANAGER, "district"),
    ("trainer", "刘芳", Role.TRAINER, "district"),
    ("district_admin", "赵敏", Role.DISTRICT_ADMIN, "district"),
    ("coach", "孙磊", Role.COACH, "district"),
    ("dept_manager", "周伟", Role.DEPT_MANAGER, "department"),
    ("assistant", "吴静", Role.ASSISTANT, "department"),
    # supervisor and agent take the name of the agent record they are linked to
    ("supervisor", "", Role.SUPERVISOR, "group"),
    ("agent", "", None, None),
]


def write_users(staff_names: dict[str, str]):
    """The demo logins (those already there are kept): returns the admin, every login by
    username, and the usernames already linked to an agent record (not to be linked again)."""
    User = get_user_model()
    names = [username for username, *_rest in STAFF_USERS]
    existing = {u.username: u for u in User.objects.filter(username__in=names)}
    password = make_password(DEMO_PASSWORD)  # hashed once, shared by every demo login
    full_names = staff_names

    def build(username, full_name):
        return User(
            username=username,
            full_name=full_names.get(username, full_name),
            email=f"{username}@demo.example.cn",
            language="zh-hans",
            password=password,
            is_staff=username == "admin",
            is_superuser=username == "admin",
        )

    admin = existing.get("admin")
    if admin is None:
        admin = bulk_create_with_history([build("admin", STAFF_USERS[0][1])], User)[0]
    new = [
        build(username, full_name)
        for username, full_name, *_rest in STAFF_USERS
        if username != "admin" and username not in existing
    ]
    created = bulk_create_with_history(new, User, default_user=admin) if new else []
    users = {**existing, "admin": admin, **{u.username: u for u in created}}
    # an existing login that already has an agent record is not linked again
    linked = set(
        User.objects.filter(
            pk__in=[u.pk for u in existing.values()], agent__isnull=False
        ).values_list("username", flat=True)
    )
    return admin, users, linked


def write_roles(users: dict, units: dict) -> None:
    """Each staff login's role, held over units["branch" | "district" | "department" | "group"]."""
    assignments = [
        RoleAssignment(user=users[username], role=role, unit=units[over])
        for username, _name, role, over in STAFF_USERS
        if role
    ]
    bulk_create_with_history(assignments, RoleAssignment, default_user=users["admin"])


def _tables(model) -> list[str]:
    return [model._meta.db_table, model.history.model._meta.db_table]


@register(order=10)
class DemoUsers(Contributor):
    name = "accounts.users"

    def seed(self, run: DemoRun) -> None:
        admin, users, linked = write_users(run.shared.get("staff_names", {}))
        run.shared.update(admin=admin, users=users, linked_logins=linked)

    def tables(self) -> list[str]:
        return _tables(get_user_model())


@register(order=30)
class DemoRoles(Contributor):
    name = "accounts.roles"

    def seed(self, run: DemoRun) -> None:
        write_roles(run.shared["users"], run.shared["role_units"])

    def tables(self) -> list[str]:
        return _tables(RoleAssignment)
