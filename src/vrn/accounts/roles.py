"""The roles of the platform as permission sets.

Each role is a Django group whose permissions are set from :data:`ROLE_PERMISSIONS`.
Later issues extend the model by adding permissions to the ``Meta.permissions`` of
their own models and listing them here; ``sync_role_groups`` runs after every migrate.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth.models import Group, Permission
from django.db import models

if TYPE_CHECKING:
    from vrn.accounts.models import User


class Role(models.TextChoices):
    ADMINISTRATOR = "administrator", "Administrator"
    ANALYST = "analyst", "Analyst"
    PROGRAMME_MANAGER = "programme_manager", "Programme manager"
    BOARD_MEMBER = "board_member", "Board member"
    PROVIDER_CASEWORKER = "provider_caseworker", "Provider caseworker"
    PUBLIC = "public", "Public"


#: Seeing person-level rows (pseudonymised people and the records about them) anywhere,
#: the admin included.
PERSON_LEVEL_PERMISSION = "accounts.view_person_level_data"
#: Loading data, and withdrawing a load (``vrn withdraw``, the admin's withdraw action).
LOAD_DATA_PERMISSION = "accounts.load_data"

_DASHBOARD = ["accounts.view_network_dashboard", "accounts.download_dashboard_data"]

#: Permission codenames ("app_label.codename") granted to each role.
ROLE_PERMISSIONS: dict[Role, list[str]] = {
    Role.ADMINISTRATOR: [
        *_DASHBOARD,
        "accounts.view_data_quality",
        "accounts.load_data",
        "accounts.manage_users",
        "accounts.add_user",
        "accounts.change_user",
        "accounts.view_user",
        "accounts.add_organisation",
        "accounts.change_organisation",
        "accounts.view_organisation",
        "ingest.view_fileload",
        "ingest.view_quarantinedrow",
        "audit.view_auditevent",
        "interventions.view_programme",
        "interventions.view_intervention_reports",
        # Sign-in lockouts (django-axes): see who is locked out, and lift a lockout.
        "axes.view_accessattempt",
        "axes.delete_accessattempt",
    ],
    Role.ANALYST: [
        *_DASHBOARD,
        "accounts.view_data_quality",
        "accounts.load_data",
        "accounts.view_person_level_data",
        "ingest.view_fileload",
        "ingest.view_quarantinedrow",
        "interventions.view_programme",
        "interventions.view_intervention_records",
        "interventions.view_intervention_reports",
    ],
    Role.PROGRAMME_MANAGER: [
        *_DASHBOARD,
        "accounts.manage_programmes",
        "interventions.add_programme",
        "interventions.change_programme",
        "interventions.view_programme",
        "interventions.view_intervention_records",
        "interventions.view_intervention_reports",
    ],
    Role.BOARD_MEMBER: [*_DASHBOARD],
    Role.PROVIDER_CASEWORKER: ["accounts.record_casework"],
    Role.PUBLIC: [],
}


def sync_role_groups(using: str = "default") -> None:
    """Create one group per role and set its permissions to exactly those listed."""
    for role, names in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.using(using).get_or_create(name=role.label)
        permissions = []
        for name in names:
            app_label, codename = name.split(".")
            permissions.append(
                Permission.objects.using(using).get(
                    content_type__app_label=app_label, codename=codename
                )
            )
        group.permissions.set(permissions)


def roles_of(user: User) -> list[Role]:
    """The roles a user holds, from their groups."""
    labels = {str(label) for label in user.groups.values_list("name", flat=True)}
    return [role for role in Role if role.label in labels]


def assign_role(user: User, role: Role) -> None:
    user.groups.add(Group.objects.get(name=role.label))
