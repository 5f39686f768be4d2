"""Roles get exactly their permissions: the demo's administrator is staff, not a superuser,
and cannot make itself one; person-level rows never reach the admin of anyone without the
person-level permission; quarantined rows are shown without the row as read."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from django.contrib.auth.models import Group, Permission
from django.test import Client, RequestFactory
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from vrn.accounts.models import User
from vrn.accounts.roles import ROLE_PERMISSIONS, Role, roles_of
from vrn.demo import setup
from vrn.health.models import AdmissionEpisode, EdAttendance
from vrn.ingest.models import QuarantinedRow
from vrn.ingest.pipeline import LoadContext
from vrn.police.models import Crime, Person

from ..partners import context, reference
from ..web.test_public_disclosure import load_small_files

__all__ = ["context", "reference"]

pytestmark = pytest.mark.django_db

PERSON_LEVEL = [Crime, Person, EdAttendance, AdmissionEpisode]


def test_the_demo_administrator_is_staff_with_its_role_only() -> None:
    admin = User.objects.create_superuser(username="admin", password="x" * 20)
    admin.user_permissions.add(Permission.objects.get(codename="view_person_level_data"))

    setup.create_demo_accounts()  # resets an earlier demo's superuser

    admin.refresh_from_db()
    assert admin.is_staff and not admin.is_superuser
    assert roles_of(admin) == [Role.ADMINISTRATOR]
    assert not admin.user_permissions.exists()
    granted = {
        f"{p.content_type.app_label}.{p.codename}"
        for p in Permission.objects.filter(group__user=admin)
    }
    assert granted == set(ROLE_PERMISSIONS[Role.ADMINISTRATOR])
    assert admin.get_all_permissions() == granted
    assert not User.objects.filter(is_superuser=True).exists()


@pytest.fixture
def administrator(client: Client) -> User:
    setup.create_demo_accounts()
    user = User.objects.get(username="admin")
    client.force_login(user)
    return user


def test_the_administrator_cannot_make_anyone_a_superuser(
    administrator: User, client: Client
) -> None:
    board = User.objects.get(username="board")
    url = reverse("admin:accounts_user_change", args=[board.pk])
    form = client.get(url)
    assertNotContains(form, 'name="is_superuser"')
    assertNotContains(form, 'name="user_permissions"')
    assertContains(form, 'name="groups"')  # roles are given here

    response = client.post(
        url,
        {
            "username": "board",
            "is_active": "on",
            "is_staff": "on",
            "is_superuser": "on",
            "groups": [Group.objects.get(name=Role.ANALYST.label).pk],
            "user_permissions": [Permission.objects.get(codename="view_person_level_data").pk],
            "date_joined_0": "2024-01-01",
            "date_joined_1": "09:00:00",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    board.refresh_from_db()
    assert board.is_staff and not board.is_superuser
    assert roles_of(board) == [Role.ANALYST] and not board.user_permissions.exists()


def test_the_administrator_cannot_give_itself_a_role(administrator: User, client: Client) -> None:
    url = reverse("admin:accounts_user_change", args=[administrator.pk])
    assertNotContains(client.get(url), 'name="groups"')

    client.post(
        url,
        {
            "username": "admin",
            "is_active": "on",
            "is_staff": "on",
            "groups": [Group.objects.get(name=Role.ANALYST.label).pk],
            "date_joined_0": "2024-01-01",
            "date_joined_1": "09:00:00",
        },
    )
    administrator.refresh_from_db()
    assert roles_of(administrator) == [Role.ADMINISTRATOR]


def test_the_administrator_cannot_change_a_superuser(administrator: User, client: Client) -> None:
    root = User.objects.create_superuser(username="root", password="x" * 20)
    change = reverse("admin:accounts_user_change", args=[root.pk])
    assertNotContains(client.get(change), 'name="_save"')  # shown read-only
    client.post(change, {"username": "taken-over", "is_active": "on"})
    password = reverse("admin:auth_user_password_change", args=[root.pk])
    assert client.get(password).status_code == 403
    assert client.post(password, {"password1": "y" * 20, "password2": "y" * 20}).status_code == 403
    root.refresh_from_db()
    assert root.username == "root" and root.check_password("x" * 20)


@pytest.fixture
def people(reference: None, context: LoadContext, tmp_path: Path) -> None:
    load_small_files(tmp_path, context)
    for model in PERSON_LEVEL:
        assert model.objects.exists()


def test_person_level_models_are_not_in_the_administrators_admin(
    people: None, administrator: User, client: Client
) -> None:
    index = client.get(reverse("admin:index"))
    for model in PERSON_LEVEL:
        meta = model._meta
        assertNotContains(index, f"/admin/{meta.app_label}/{meta.model_name}/")
        changelist = reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")
        assert client.get(changelist).status_code == 403
        first = model.objects.order_by("pk").first()
        change = reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[first.pk])
        assert client.get(change).status_code in (302, 403)
    for app_label in ("police", "health"):
        assert client.get(reverse("admin:app_list", args=[app_label])).status_code == 404


def test_the_checks_are_on_the_server(people: None, administrator: User) -> None:
    """The model admins refuse, and query nothing, for a user without the permission, even
    one given the model's own view permissions."""
    from django.contrib import admin

    for model in PERSON_LEVEL:
        administrator.user_permissions.add(
            Permission.objects.get(
                content_type__app_label=model._meta.app_label,
                codename=f"view_{model._meta.model_name}",
            )
        )
    user = User.objects.get(pk=administrator.pk)  # no cached permissions
    request = RequestFactory().get("/admin/")
    request.user = user
    for model in PERSON_LEVEL:
        model_admin = admin.site._registry[model]
        assert not model_admin.has_module_permission(request)
        assert not model_admin.has_view_permission(request)
        assert not model_admin.get_queryset(request).exists()


def test_with_the_person_level_permission_the_rows_are_listed_read_only(
    people: None, client: Client, make_staff: Callable[..., User]
) -> None:
    user = make_staff(Role.ANALYST, *[f"view_{m._meta.model_name}" for m in PERSON_LEVEL])
    client.force_login(user)
    index = client.get(reverse("admin:index"))
    for model in PERSON_LEVEL:
        meta = model._meta
        assertContains(index, f"/admin/{meta.app_label}/{meta.model_name}/")
        assert (
            client.get(reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")).status_code
            == 200
        )
        first = model.objects.order_by("pk").first()
        change = client.get(
            reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[first.pk])
        )
        assert change.status_code == 200
        assertNotContains(change, 'name="_save"')
        delete = reverse(f"admin:{meta.app_label}_{meta.model_name}_delete", args=[first.pk])
        assert client.get(delete).status_code == 403


@pytest.fixture
def make_staff() -> Callable[..., User]:
    def make(role: Role, *codenames: str) -> User:
        user = User.objects.create_user(username=f"staff-{role.value}", is_staff=True)
        user.groups.add(Group.objects.get(name=role.label))
        user.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
        return user

    return make


def test_quarantined_rows_are_shown_without_the_row_as_read(
    people: None, client: Client, administrator: User, make_staff: Callable[..., User]
) -> None:
    row = QuarantinedRow.objects.get()
    url = reverse("admin:ingest_quarantinedrow_change", args=[row.pk])
    page = client.get(url)
    assert page.status_code == 200
    assertContains(page, "admission_method")
    assertNotContains(page, "Raw:")
    assertNotContains(page, "EP-4")

    client.force_login(make_staff(Role.ANALYST, "view_quarantinedrow"))
    assertContains(client.get(url), "EP-4")
