"""Building the demo: reference data, 18 months of police.uk data, a sign-in per role."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from vrn.accounts.models import Organisation, User
from vrn.accounts.roles import Role, assign_role
from vrn.crime.police_uk import PoliceUkStreet
from vrn.geography.models import ReferenceLoad
from vrn.ingest.pipeline import FileResult, LoadContext, load_files


@dataclass(frozen=True)
class DemoAccount:
    username: str
    password: str
    role: Role
    organisation: str


#: One sign-in per role. The passwords are public: the demo refuses to run in production.
DEMO_ACCOUNTS = [
    DemoAccount("admin", "demo-admin", Role.ADMINISTRATOR, "Violence Reduction Network"),
    DemoAccount("analyst", "demo-analyst", Role.ANALYST, "Violence Reduction Network"),
    DemoAccount("manager", "demo-manager", Role.PROGRAMME_MANAGER, "Violence Reduction Network"),
    DemoAccount("board", "demo-board", Role.BOARD_MEMBER, "Community Safety Partnership"),
    DemoAccount("caseworker", "demo-caseworker", Role.PROVIDER_CASEWORKER, "Youth work provider"),
    DemoAccount("public", "demo-public", Role.PUBLIC, "Community panel"),
]

_ORGANISATION_KINDS = {
    "Violence Reduction Network": Organisation.Kind.NETWORK,
    "Community Safety Partnership": Organisation.Kind.LOCAL_AUTHORITY,
    "Youth work provider": Organisation.Kind.PROVIDER,
    "Community panel": Organisation.Kind.COMMUNITY,
}


def police_files(reference_dir: Path) -> list[Path]:
    """Every street-level file under ``police-uk-street/``, in name (month) order."""
    return sorted((reference_dir / "police-uk-street").glob("*/*-street.csv"))


def reference_loaded() -> bool:
    return ReferenceLoad.objects.exists()


def load_police_data(
    reference_dir: Path, on_file_done: Callable[[FileResult], None] | None = None
) -> list[FileResult]:
    context = LoadContext(loaded_by="vrn demo", today=timezone.localdate())
    return load_files(PoliceUkStreet(), police_files(reference_dir), context, on_file_done)


@transaction.atomic
def create_demo_accounts() -> list[DemoAccount]:
    """Create (or reset) one user per role; the administrator is also staff and superuser."""
    for account in DEMO_ACCOUNTS:
        organisation, _ = Organisation.objects.get_or_create(
            name=account.organisation,
            defaults={"kind": _ORGANISATION_KINDS[account.organisation]},
        )
        user, _ = User.objects.get_or_create(username=account.username)
        user.organisation = organisation
        user.set_password(account.password)
        user.is_staff = user.is_superuser = account.role == Role.ADMINISTRATOR
        user.save()
        user.groups.clear()
        assign_role(user, account.role)
    return DEMO_ACCOUNTS
