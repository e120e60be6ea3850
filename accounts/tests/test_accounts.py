"""Log-in, language, login rate limiting, and the administrator's user and role pages
(spec §1: every person may hold several roles, each over a unit; §10 access)."""

import pytest
from axes.utils import reset as axes_reset
from django.urls import reverse

from accounts.models import Role, RoleAssignment, User
from conftest import make_user

LOGIN = reverse("accounts:login")


@pytest.fixture(autouse=True)
def no_lockouts(db):
    """Failed logins counted by django-axes must not leak from one test to the next."""
    axes_reset()
    yield
    axes_reset()


def _logged_in(client) -> bool:
    return "_auth_user_id" in client.session


# -- log-in and language -----------------------------------------------------------------------


def test_login_page_is_in_chinese_by_default(client, db):
    response = client.get(LOGIN)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="zh-hans">' in html
    assert "登录" in html


def test_login_with_the_right_password_lands_on_home(client, world):
    response = client.post(LOGIN, {"username": "supervisor", "password": "demo-pass-2026"})
    assert response.status_code == 302
    assert response.url == reverse("home:index")
    assert _logged_in(client)


def test_login_with_a_wrong_password_stays_on_the_form(client, world):
    response = client.post(LOGIN, {"username": "supervisor", "password": "nope-nope-1"})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert not _logged_in(client)


def test_user_who_chose_english_sees_english(client, world):
    world.supervisor.language = "en"
    world.supervisor.save(update_fields=["language"])
    client.force_login(world.supervisor)
    response = client.get(reverse("home:index"))
    html = response.content.decode()
    assert response["Content-Language"] == "en"
    assert '<html lang="en">' in html
    assert "Organisation" in html
    assert "组织架构" not in html


def test_user_with_default_language_sees_chinese(client, world):
    client.force_login(world.supervisor)
    html = client.get(reverse("home:index")).content.decode()
    assert '<html lang="zh-hans">' in html
    assert "Organisation" not in html


def test_preferences_page_switches_language(client, world):
    client.force_login(world.supervisor)
    assert client.get(reverse("accounts:preferences")).status_code == 200
    response = client.post(reverse("accounts:preferences"), {"language": "en"})
    assert response.status_code == 302
    world.supervisor.refresh_from_db()
    assert world.supervisor.language == "en"
    assert "Organisation" in client.get(reverse("home:index")).content.decode()

    client.post(reverse("accounts:preferences"), {"language": "zh-hans"})
    world.supervisor.refresh_from_db()
    assert world.supervisor.language == "zh-hans"
    assert "组织架构" in client.get(reverse("home:index")).content.decode()


def test_preferences_refuse_an_unknown_language(client, world):
    client.force_login(world.supervisor)
    response = client.post(reverse("accounts:preferences"), {"language": "fr"})
    assert response.status_code == 200
    world.supervisor.refresh_from_db()
    assert world.supervisor.language == "zh-hans"


# -- rate limiting -----------------------------------------------------------------------------


def test_sixth_login_after_five_failures_is_refused_even_with_right_password(client, world):
    for _attempt in range(5):
        client.post(LOGIN, {"username": "supervisor", "password": "wrong-pass-1"})
        assert not _logged_in(client)
    response = client.post(LOGIN, {"username": "supervisor", "password": "demo-pass-2026"})
    assert response.status_code in (403, 429)
    assert not _logged_in(client)


def test_lockout_of_one_user_does_not_lock_another(client, world):
    for _attempt in range(5):
        client.post(LOGIN, {"username": "supervisor", "password": "wrong-pass-1"})
    response = client.post(LOGIN, {"username": "dept_manager", "password": "demo-pass-2026"})
    assert response.status_code == 302
    assert _logged_in(client)


def test_four_failures_do_not_lock(client, world):
    for _attempt in range(4):
        client.post(LOGIN, {"username": "supervisor", "password": "wrong-pass-1"})
    response = client.post(LOGIN, {"username": "supervisor", "password": "demo-pass-2026"})
    assert response.status_code == 302
    assert _logged_in(client)


def test_api_token_login_is_rate_limited_too(api_client, world):
    url = "/api/v1/auth/token/"
    for _attempt in range(5):
        api_client.post(url, {"username": "supervisor", "password": "wrong-pass-1"}, format="json")
    response = api_client.post(
        url, {"username": "supervisor", "password": "demo-pass-2026"}, format="json"
    )
    assert response.status_code in (400, 403, 429)
    assert "token" not in response.content.decode()


# -- users and roles ---------------------------------------------------------------------------


@pytest.fixture
def as_admin(client, world):
    client.force_login(world.admin)
    return client


def _new_user(**overrides):
    data = {
        "username": "newclerk",
        "full_name": "新助理",
        "email": "",
        "password": "Qz7-lantern-Harbor",
        "language": "zh-hans",
    }
    data.update(overrides)
    return data


def test_admin_creates_a_user(as_admin, world):
    response = as_admin.post(reverse("accounts:user_create"), _new_user())
    user = User.objects.get(username="newclerk")
    assert response.status_code == 302
    assert response.url == reverse("accounts:user_detail", args=[user.pk])
    assert user.full_name == "新助理"
    assert user.check_password("Qz7-lantern-Harbor")
    assert user.history.get().history_user == world.admin


@pytest.mark.parametrize("password", ["Ab1x", "password123", "12345678901"])
def test_weak_password_is_refused_with_a_message(as_admin, world, password):
    response = as_admin.post(reverse("accounts:user_create"), _new_user(password=password))
    assert response.status_code == 200
    errors = response.context["form"].errors["password"]
    assert errors
    assert errors[0] in response.content.decode()
    assert not User.objects.filter(username="newclerk").exists()


def test_duplicate_username_is_refused(as_admin, world):
    response = as_admin.post(reverse("accounts:user_create"), _new_user(username="Supervisor"))
    assert response.status_code == 200
    assert response.context["form"].errors["username"]


def test_only_the_system_administrator_manages_users(client, world):
    client.force_login(world.district_manager)
    assert client.get(reverse("accounts:user_list")).status_code == 403
    response = client.post(reverse("accounts:user_create"), _new_user())
    assert response.status_code == 403
    assert not User.objects.filter(username="newclerk").exists()


def _assign(client, user, role, unit):
    return client.post(
        reverse("accounts:user_detail", args=[user.pk]),
        {"action": "assign", "role": role, "unit": unit.pk},
    )


def test_admin_assigns_a_role_over_a_unit(as_admin, world):
    clerk = make_user("clerk")
    response = _assign(as_admin, clerk, Role.SUPERVISOR, world.group_a1_2)
    assert response.status_code == 302
    assignment = RoleAssignment.objects.get(user=clerk)
    assert (assignment.role, assignment.unit, assignment.ended_on) == (
        Role.SUPERVISOR,
        world.group_a1_2,
        None,
    )

    # the new supervisor now sees the group's agent and nobody else's
    as_admin.force_login(clerk)
    html = as_admin.get(reverse("org:agent_list")).content.decode()
    assert world.other_group_agent.code in html
    assert world.agent.code not in html


def test_role_over_a_unit_of_the_wrong_kind_is_refused(as_admin, world):
    clerk = make_user("clerk")
    response = _assign(as_admin, clerk, Role.SUPERVISOR, world.district_a)
    assert response.status_code == 200
    errors = response.context["role_form"].errors["unit"]
    assert errors
    assert errors[0] in response.content.decode()
    assert not RoleAssignment.objects.filter(user=clerk).exists()


def test_same_role_twice_over_the_same_unit_is_refused(as_admin, world):
    response = _assign(as_admin, world.supervisor, Role.SUPERVISOR, world.group_a1_1)
    assert response.status_code == 200
    assert response.context["role_form"].errors
    assert RoleAssignment.objects.filter(user=world.supervisor).count() == 1


def test_ending_a_role_keeps_the_row_and_removes_the_access(as_admin, client, world):
    assignment = RoleAssignment.objects.get(user=world.supervisor)
    response = as_admin.post(reverse("accounts:role_end", args=[assignment.pk]))
    assert response.status_code == 302
    assignment.refresh_from_db()
    assert assignment.ended_on is not None
    assert RoleAssignment.objects.filter(user=world.supervisor).count() == 1
    detail = as_admin.get(reverse("accounts:user_detail", args=[world.supervisor.pk]))
    assert assignment.ended_on.isoformat() in detail.content.decode()

    client.force_login(world.supervisor)
    assert client.get(reverse("org:agent_list")).status_code == 403


def test_ending_a_role_twice_is_refused(as_admin, world):
    assignment = RoleAssignment.objects.get(user=world.supervisor)
    as_admin.post(reverse("accounts:role_end", args=[assignment.pk]))
    ended_on = RoleAssignment.objects.get(pk=assignment.pk).ended_on
    as_admin.post(reverse("accounts:role_end", args=[assignment.pk]))
    assert RoleAssignment.objects.get(pk=assignment.pk).ended_on == ended_on


def test_role_can_be_given_again_after_it_ended(as_admin, world):
    assignment = RoleAssignment.objects.get(user=world.supervisor)
    as_admin.post(reverse("accounts:role_end", args=[assignment.pk]))
    response = _assign(as_admin, world.supervisor, Role.SUPERVISOR, world.group_a1_1)
    assert response.status_code == 302
    assert RoleAssignment.objects.filter(user=world.supervisor).count() == 2
    assert RoleAssignment.objects.current().filter(user=world.supervisor).count() == 1
