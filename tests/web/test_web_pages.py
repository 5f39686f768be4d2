"""The site shell: GOV.UK base template, home page, sign-in and sign-out."""

from __future__ import annotations

from collections.abc import Callable

from django.test import Client
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from vrn.accounts.models import User
from vrn.accounts.roles import Role

HOME = reverse("web:home")
SIGN_IN = reverse("web:sign-in")
SIGN_OUT = reverse("web:sign-out")
DASHBOARD = reverse("dashboard:overview")


def test_base_template_follows_govuk_frontend(client: Client, db: None) -> None:
    response = client.get(HOME)
    html = response.content.decode()
    assert '<html lang="en-GB" class="govuk-template">' in html
    assert '<body class="govuk-template__body">' in html
    # GOV.UK Frontend's js-enabled snippet and initAll, as files (no inline scripts: CSP).
    assert '<script src="/static/web/js-enabled.js"></script>' in html
    assert '<a href="#main-content" class="govuk-skip-link"' in html
    assert '<main class="govuk-main-wrapper" id="main-content">' in html
    assert 'href="/static/govuk-frontend/govuk-frontend.min.css"' in html
    assert '<script type="module" src="/static/web/init.js"></script>' in html
    assertContains(
        response, '<strong class="govuk-tag govuk-phase-banner__content__tag">Alpha</strong>'
    )
    assert "VRN Platform" in html
    assert '<span class="govuk-header__product-name">LLR</span>' in html
    assert "<title>Home - VRN Platform - LLR</title>" in html


def test_footer_carries_the_licence_notices(client: Client, db: None) -> None:
    response = client.get(HOME)
    text = " ".join(response.content.decode().split())
    assert "Contains public sector information licensed under the" in text
    assert 'rel="license">Open Government Licence v3.0</a>.' in text
    assert "Boundaries contain OS data © Crown copyright and database right." in text


def test_home_page_offers_sign_in_to_visitors(client: Client, db: None) -> None:
    response = client.get(HOME)
    assertContains(response, '<h1 class="govuk-heading-xl">VRN Platform</h1>', html=True)
    assertContains(response, f'href="{SIGN_IN}" role="button"')
    assertContains(response, f'href="{reverse("public:overview")}">public dashboard</a>')
    assertNotContains(response, "Sign out")
    assertNotContains(response, "Admin")


def test_home_page_offers_the_dashboard_to_board_members(
    client: Client, make_user: Callable[..., User]
) -> None:
    client.force_login(make_user())
    response = client.get(HOME)
    assertContains(response, f'href="{DASHBOARD}" role="button"')
    assertContains(response, "Sign out")
    assertNotContains(response, ">Admin<")


def test_home_page_tells_users_without_a_role_to_ask(
    client: Client, make_user: Callable[..., User]
) -> None:
    client.force_login(make_user(role=None))
    response = client.get(HOME)
    assertContains(response, "Your account cannot see the partners' dashboard")
    assertContains(response, f'href="{reverse("public:overview")}">public dashboard</a>')


def test_staff_see_the_admin_link(client: Client, make_user: Callable[..., User]) -> None:
    client.force_login(make_user(is_staff=True))
    assertContains(client.get(HOME), f'href="{reverse("admin:index")}">Admin</a>')


def test_sign_in_page_is_a_govuk_form(client: Client, db: None) -> None:
    response = client.get(SIGN_IN)
    assertContains(response, '<h1 class="govuk-heading-xl">Sign in</h1>', html=True)
    assertContains(response, 'name="csrfmiddlewaretoken"')
    assertContains(response, 'autocomplete="username"')
    assertContains(response, 'autocomplete="current-password"')
    assertContains(response, 'data-module="govuk-password-input"')
    assertNotContains(response, "govuk-error-summary")


def test_a_wrong_password_shows_the_error_summary(
    client: Client, make_user: Callable[..., User]
) -> None:
    make_user()
    response = client.post(SIGN_IN, {"username": "member", "password": "wrong"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<title>Error: Sign in - VRN Platform - LLR</title>" in html
    assert '<h2 class="govuk-error-summary__title">There is a problem</h2>' in html
    assert (
        '<a href="#id_username">Enter a correct username and password (both are case-sensitive)</a>'
        in html
    )
    assert 'value="member"' in html
    assert "_auth_user_id" not in client.session


def test_empty_fields_are_named_in_the_error_summary(client: Client, db: None) -> None:
    html = client.post(SIGN_IN, {"username": "", "password": ""}).content.decode()
    assert '<a href="#id_username">Enter your username</a>' in html
    assert '<a href="#id_password">Enter your password</a>' in html
    assert 'aria-describedby="id_username-error"' in html
    assert "govuk-form-group--error" in html


def test_signing_in_lands_on_the_dashboard(
    client: Client, make_user: Callable[..., User], password: str
) -> None:
    make_user()
    response = client.post(SIGN_IN, {"username": "member", "password": password}, follow=True)
    # Through web:start, which sends each role to its own first page.
    assert response.redirect_chain == [(reverse("web:start"), 302), (DASHBOARD, 302)]
    assert response.status_code == 200


def test_signing_in_returns_to_the_page_asked_for(
    client: Client, make_user: Callable[..., User], password: str
) -> None:
    make_user()
    target = reverse("dashboard:street-rates-csv", kwargs={"period": "all"})
    response = client.post(SIGN_IN, {"username": "member", "password": password, "next": target})
    assertRedirects(response, target, fetch_redirect_response=False)


def test_signing_out_needs_a_post_with_csrf(make_user: Callable[..., User]) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(make_user())
    assert client.get(SIGN_OUT).status_code == 405
    assert client.post(SIGN_OUT).status_code == 403  # no CSRF token
    page = client.get(HOME)
    token = page.context["csrf_token"]
    response = client.post(SIGN_OUT, {"csrfmiddlewaretoken": str(token)})
    assertRedirects(response, HOME)
    assert "_auth_user_id" not in client.session


def test_missing_pages_use_the_govuk_404(client: Client, db: None) -> None:
    response = client.get("/no-such-page/")
    assertContains(response, "Page not found", status_code=404)
    assertContains(response, "govuk-template", status_code=404)


def test_board_member_role_is_enough_for_the_dashboard(make_user: Callable[..., User]) -> None:
    user = make_user(role=Role.BOARD_MEMBER)
    assert user.has_perm("accounts.view_network_dashboard")
    assert user.has_perm("accounts.download_dashboard_data")
