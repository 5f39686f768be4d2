"""Sign-in throttling (django-axes): lockout per account and per address, the lockout page,
and every failure and lockout in the audit trail."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import LazySettings
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone

from vrn.accounts.models import User
from vrn.audit.models import AuditEvent
from vrn.web.signin import FAILED, LOCKED_OUT, client_address

SIGN_IN = reverse("web:sign-in")
PASSWORD = "the-right-password-42"
WRONG = "not-the-password-"
ATTACKER = "203.0.113.7"
OTHER_ADDRESS = "198.51.100.20"


@pytest.fixture
def users(db: None) -> None:
    for name in ("analyst", "manager", "board"):
        User.objects.create_user(username=name, password=PASSWORD)


def sign_in(client: Client, username: str, password: str, address: str = ATTACKER):  # type: ignore[no-untyped-def]
    return client.post(SIGN_IN, {"username": username, "password": password}, REMOTE_ADDR=address)


def signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def actions() -> list[str]:
    return list(AuditEvent.objects.order_by("id").values_list("action", flat=True))


def test_twenty_wrong_passwords_lock_the_account_and_the_right_one_is_then_refused(
    client: Client, users: None
) -> None:
    responses = [sign_in(client, "analyst", f"{WRONG}{n}") for n in range(20)]
    # Nine failures show the form again; the tenth (the default limit) locks.
    assert [r.status_code for r in responses[:9]] == [200] * 9
    assert [r.status_code for r in responses[9:]] == [429] * 11

    refused = sign_in(client, "analyst", PASSWORD)
    assert refused.status_code == 429
    assert not signed_in(client)
    html = refused.content.decode()
    assert '<h1 class="govuk-heading-xl">Too many attempts to sign in</h1>' in html
    assert "You can try again in 15 minutes." in html
    assert "<title>Too many attempts to sign in - VRN Platform" in html


def test_failures_and_lockouts_are_in_the_audit_trail_without_passwords(
    client: Client, users: None
) -> None:
    for n in range(12):
        sign_in(client, "analyst", f"{WRONG}{n}")
    sign_in(client, "analyst", PASSWORD)

    # Ten wrong passwords; the tenth starts the lockout; three more attempts refused.
    assert actions() == [FAILED] * 10 + [LOCKED_OUT] * 4
    events = list(AuditEvent.objects.order_by("id"))
    assert {(e.actor, e.address, e.target) for e in events} == {("analyst", ATTACKER, SIGN_IN)}
    assert [e.detail["failures"] for e in events[:10]] == list(range(1, 11))
    started = [e.detail["started"] for e in events if e.action == LOCKED_OUT]
    assert started == [True, False, False, False]
    assert events[-1].detail["cool_off_minutes"] == 15
    stored = json.dumps([[e.actor, e.target, e.detail] for e in events])
    assert WRONG not in stored and PASSWORD not in stored


def test_a_name_that_is_no_account_is_audited_by_its_shape_only(
    client: Client, users: None
) -> None:
    """A password typed into the username box must not land in the audit trail."""
    sign_in(client, "Tr0ub4dor&3", WRONG)

    event = AuditEvent.objects.get(action=FAILED)
    assert event.actor == "(no such account: Aa9aa9aaa&9)"
    assert "Tr0ub4dor" not in json.dumps([event.actor, event.target, event.detail])


def test_lockout_is_per_account_and_per_address(client: Client, users: None) -> None:
    for n in range(10):
        sign_in(client, "analyst", f"{WRONG}{n}")
    # The locked address cannot sign in to another account, even with its password ...
    assert sign_in(client, "manager", PASSWORD).status_code == 429
    assert not signed_in(client)
    # ... the locked account cannot be signed in to from elsewhere ...
    assert sign_in(client, "analyst", PASSWORD, address=OTHER_ADDRESS).status_code == 429
    assert not signed_in(client)
    # ... and other accounts from other addresses are not affected.
    response = sign_in(client, "board", PASSWORD, address=OTHER_ADDRESS)
    assert response.status_code == 302
    assert signed_in(client)


def test_one_address_trying_many_accounts_is_locked_out(client: Client, users: None) -> None:
    names = [f"guess{n}" for n in range(10)]
    assert [sign_in(client, name, WRONG).status_code for name in names][-1] == 429
    assert sign_in(client, "board", PASSWORD).status_code == 429
    assert sign_in(client, "board", PASSWORD, address=OTHER_ADDRESS).status_code == 302


def test_sign_in_works_again_after_the_cool_off(client: Client, users: None) -> None:
    for n in range(10):
        sign_in(client, "analyst", f"{WRONG}{n}")
    assert sign_in(client, "analyst", PASSWORD).status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    assert sign_in(client, "analyst", PASSWORD).status_code == 302
    assert signed_in(client)


def test_signing_in_to_an_own_account_does_not_clear_the_count(client: Client, users: None) -> None:
    for n in range(9):
        sign_in(client, "analyst", f"{WRONG}{n}")
    assert sign_in(client, "manager", PASSWORD).status_code == 302
    client.logout()
    assert sign_in(client, "analyst", f"{WRONG}9").status_code == 429


def test_the_limit_and_cool_off_follow_the_settings(
    client: Client, users: None, settings: LazySettings
) -> None:
    settings.AXES_FAILURE_LIMIT = 3
    settings.AXES_COOLOFF_TIME = timedelta(minutes=1)
    statuses = [sign_in(client, "analyst", f"{WRONG}{n}").status_code for n in range(3)]
    assert statuses == [200, 200, 429]
    assert "You can try again in 1 minute." in sign_in(client, "analyst", PASSWORD).content.decode()


def test_admin_sign_in_is_throttled_and_audited_too(client: Client, users: None) -> None:
    url = reverse("admin:login")
    for n in range(10):
        response = client.post(
            url, {"username": "analyst", "password": f"{WRONG}{n}"}, REMOTE_ADDR=ATTACKER
        )
    assert response.status_code == 429
    assert set(AuditEvent.objects.values_list("target", flat=True)) == {url}
    assert actions() == [FAILED] * 10 + [LOCKED_OUT]


def test_signing_in_is_unchanged_below_the_limit(client: Client, users: None) -> None:
    response = sign_in(client, "analyst", WRONG)
    assert response.status_code == 200
    assert "Enter a correct username and password" in response.content.decode()
    assert sign_in(client, "analyst", PASSWORD).status_code == 302


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "", "10.0.0.1"),
        (0, "203.0.113.9", "10.0.0.1"),  # no proxy configured: the header is not trusted
        (1, "203.0.113.9", "203.0.113.9"),
        (1, "1.2.3.4, 203.0.113.9", "203.0.113.9"),  # the client's own claim is ignored
        (2, "1.2.3.4, 203.0.113.9, 10.0.0.5", "203.0.113.9"),
        (2, "203.0.113.9", "10.0.0.1"),  # fewer entries than proxies: the connection
        (1, "not-an-address", "10.0.0.1"),
        (1, "2001:db8::1", "2001:db8::1"),
    ],
)
def test_the_client_address_behind_proxies(
    settings: LazySettings, proxies: int, forwarded: str, expected: str
) -> None:
    settings.VRN_PROXY_COUNT = proxies
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=forwarded)
    assert client_address(request) == expected
