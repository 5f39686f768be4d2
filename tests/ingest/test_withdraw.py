"""Withdrawing loads: ``vrn withdraw`` and the admin's action show counts (never records),
delete the rows, mark the loads withdrawn and record an audit event; a load is never
deleted through the admin."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connections
from django.test import Client
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from vrn.accounts.models import User
from vrn.accounts.roles import Role
from vrn.audit.models import AuditEvent
from vrn.health.models import AdmissionEpisode, EdAttendance
from vrn.ingest import withdrawal
from vrn.ingest.management.commands.withdraw import Command
from vrn.ingest.models import FileLoad, QuarantinedRow
from vrn.ingest.pipeline import FileResult, LoadContext

from ..partners import context, reference
from ..web.test_public_disclosure import load_small_files

__all__ = ["context", "reference"]

pytestmark = pytest.mark.django_db

WITHDRAW = reverse("admin:ingest_fileload_withdraw")
LOADS = reverse("admin:ingest_fileload_changelist")


@pytest.fixture
def loads(reference: None, context: LoadContext, tmp_path: Path) -> dict[str, FileResult]:
    return load_small_files(tmp_path, context)


def _withdraw(*args: str) -> str:
    out = io.StringIO()
    call_command("withdraw", *args, stdout=out)
    return out.getvalue()


def test_the_command_shows_counts_withdraws_and_records_it(loads: dict[str, FileResult]) -> None:
    admissions = loads["admissions"].load_id

    out = _withdraw(str(admissions), "--yes", "--user", "data-officer")

    assert f"load {admissions}: admissions, admissions.csv (real)" in out
    assert "3  admission episodes (health.AdmissionEpisode) to delete" in out
    assert "1  quarantined rows, kept with the load record" in out
    assert "Withdrew 1 load: 3 rows deleted, 1 quarantined rows kept" in out
    assert "EP-1" not in out and "d" * 64 not in out  # counts, never records
    assert not AdmissionEpisode.objects.exists()
    assert EdAttendance.objects.count() == 5  # other loads untouched
    load = FileLoad.objects.get(pk=admissions)
    assert load.status == FileLoad.Status.WITHDRAWN
    assert QuarantinedRow.objects.filter(load=load).count() == 1
    [event] = AuditEvent.objects.all()
    assert (event.action, event.actor, event.address, event.target) == (
        "ingest.withdraw",
        "data-officer",
        "",
        f"load {admissions} (admissions.csv)",
    )
    assert event.detail == {
        "dataset": "admissions",
        "synthetic": False,
        "rows": {"health.AdmissionEpisode": 3},
        "rows_deleted": 3,
        "quarantined_rows_kept": 1,
    }


def test_several_loads_at_once(loads: dict[str, FileResult]) -> None:
    ids = [str(loads[name].load_id) for name in ("istv", "synthetic")]
    out = _withdraw(*ids, "--yes")
    assert "Withdrawing 2 loads:" in out and "In all 5 rows to delete." in out
    assert "2  ED assault attendances (health.EdAttendance) to delete" in out
    assert "3  ED assault attendances (health.EdAttendance) to delete" in out
    assert list(EdAttendance.objects.values_list("attendance_id", flat=True)) == []
    assert AuditEvent.objects.filter(action="ingest.withdraw").count() == 2


@pytest.mark.parametrize(
    ("which", "message"),
    [
        ("unknown", "Nothing withdrawn: there is no load 987654."),
        ("too large", "Nothing withdrawn: there is no load 99999999999999999999999."),
        ("withdrawn", "is already withdrawn."),
    ],
)
def test_the_command_refuses_an_unknown_or_withdrawn_load(
    loads: dict[str, FileResult],
    which: str,
    message: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    istv = loads["istv"].load_id
    if which == "withdrawn":
        _withdraw(str(istv), "--yes")
    asked = {
        "unknown": [str(istv), "987654"],
        "too large": [str(istv), "99999999999999999999999"],
        "withdrawn": [str(istv)],
    }[which]
    before = (EdAttendance.objects.count(), AuditEvent.objects.count())

    with pytest.raises(CommandError, match=message) as refused:
        _withdraw(*asked, "--yes")
    assert refused.value.returncode == 1
    # From the command line: the message on stderr and exit status 1 (the test's database
    # connection kept open, which the command closes when it ends).
    monkeypatch.setattr(connections, "close_all", lambda: None)
    with pytest.raises(SystemExit) as exited:
        Command().run_from_argv(["vrn", "withdraw", *asked, "--yes"])
    assert exited.value.code == 1
    assert message in capsys.readouterr().err
    assert (EdAttendance.objects.count(), AuditEvent.objects.count()) == before


def test_the_command_asks_first(
    loads: dict[str, FileResult], monkeypatch: pytest.MonkeyPatch
) -> None:
    istv = str(loads["istv"].load_id)
    monkeypatch.setattr("builtins.input", lambda prompt: "no")
    assert "Nothing withdrawn." in _withdraw(istv)
    assert EdAttendance.objects.count() == 5 and not AuditEvent.objects.exists()

    monkeypatch.setattr("builtins.input", lambda prompt: "yes")
    assert "Withdrew 1 load: 2 rows deleted" in _withdraw(istv)
    assert EdAttendance.objects.count() == 3


def test_the_service_refuses_a_superseded_load(loads: dict[str, FileResult]) -> None:
    FileLoad.objects.filter(pk=loads["istv"].load_id).update(status=FileLoad.Status.SUPERSEDED)
    with pytest.raises(withdrawal.WithdrawalRefused, match="superseded by a corrected file"):
        withdrawal.plan([loads["istv"].load_id])


# --- The admin ---------------------------------------------------------------------------


@pytest.fixture
def staff(client: Client) -> Callable[[Role], Client]:
    """The client signed in as a staff user of a role."""

    def sign_in(role: Role) -> Client:
        user = User.objects.create_user(username=f"staff-{role.value}", is_staff=True)
        user.groups.add(Group.objects.get(name=role.label))
        client.force_login(user)
        return client

    return sign_in


def test_the_admin_action_confirms_with_counts_then_withdraws(
    loads: dict[str, FileResult], staff: Callable[[Role], Client]
) -> None:
    client = staff(Role.ADMINISTRATOR)
    admissions = loads["admissions"].load_id
    changelist = client.get(LOADS)
    assertContains(changelist, 'value="withdraw_selected"')
    assertNotContains(changelist, 'value="delete_selected"')

    chosen = client.post(
        LOADS, {"action": "withdraw_selected", "_selected_action": [str(admissions)]}
    )
    assert chosen.status_code == 302 and chosen["Location"] == f"{WITHDRAW}?load={admissions}"

    page = client.get(chosen["Location"])
    assert page.status_code == 200
    assertContains(page, "3 admission episodes")
    assertContains(page, "In all: <strong>3 rows to delete</strong>, 1 quarantined rows kept.")
    assertNotContains(page, "EP-1")
    assert AdmissionEpisode.objects.count() == 3  # nothing done on GET

    done = client.post(WITHDRAW, {"load": [str(admissions)]}, REMOTE_ADDR="192.0.2.7")
    assert done.status_code == 302 and done["Location"] == LOADS
    assert not AdmissionEpisode.objects.exists()
    assert FileLoad.objects.get(pk=admissions).status == FileLoad.Status.WITHDRAWN
    event = AuditEvent.objects.get(action="ingest.withdraw")
    assert (event.actor, event.address) == ("staff-administrator", "192.0.2.7")
    assert event.detail["rows"] == {"health.AdmissionEpisode": 3}

    again = client.get(f"{WITHDRAW}?load={admissions}")
    assert again.status_code == 409
    assertContains(again, "is already withdrawn", status_code=409)


@pytest.mark.parametrize(
    "role",
    [Role.PROGRAMME_MANAGER, Role.BOARD_MEMBER, Role.PROVIDER_CASEWORKER, Role.PUBLIC],
)
def test_roles_without_the_permission_are_refused(
    loads: dict[str, FileResult], staff: Callable[[Role], Client], role: Role
) -> None:
    client = staff(role)  # even as staff
    istv = str(loads["istv"].load_id)
    assert client.get(f"{WITHDRAW}?load={istv}").status_code == 403
    assert client.post(WITHDRAW, {"load": [istv]}).status_code == 403
    action = {"action": "withdraw_selected", "_selected_action": [istv]}
    assert client.post(LOADS, action).status_code == 403
    assert EdAttendance.objects.count() == 5 and not AuditEvent.objects.exists()


def test_the_analyst_may_withdraw_too(
    loads: dict[str, FileResult], staff: Callable[[Role], Client]
) -> None:
    page = staff(Role.ANALYST).get(f"{WITHDRAW}?load={loads['istv'].load_id}")
    assertContains(page, "2 ED assault attendances")


def test_users_who_are_not_staff_are_sent_to_sign_in(
    loads: dict[str, FileResult], client: Client
) -> None:
    user = User.objects.create_user(username="analyst")
    user.groups.add(Group.objects.get(name=Role.ANALYST.label))
    client.force_login(user)
    response = client.get(f"{WITHDRAW}?load={loads['istv'].load_id}")
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")


def test_a_load_is_never_deleted_through_the_admin(
    loads: dict[str, FileResult], client: Client
) -> None:
    client.force_login(User.objects.create_superuser(username="root", password="x" * 20))
    admissions = loads["admissions"].load_id
    delete = reverse("admin:ingest_fileload_delete", args=[admissions])
    assert client.get(delete).status_code == 403
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assertNotContains(client.get(LOADS), 'value="delete_selected"')
    client.post(LOADS, {"action": "delete_selected", "_selected_action": [admissions]})
    assert FileLoad.objects.filter(pk=admissions).exists()
    assert AdmissionEpisode.objects.count() == 3
