"""Sign-in, sign-out, password reset by e-mail, the profile page with API tokens, error pages."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.test import Client, RequestFactory
from django.urls import reverse
from django.views.defaults import server_error

from dualcirc.core.api_auth import hash_token, issue_api_token
from dualcirc.core.enums import OrganisationKind, Role
from dualcirc.core.models import ApiToken, Membership, User
from tests.factories import PASSWORD, make_organisation, make_region_tree, make_user

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "walnut-table-shipping-42"


def signed_in_user_id(client: Client) -> str | None:
    return client.session.get(SESSION_KEY)


# --- sign in / sign out ---------------------------------------------------------------------


def test_login_page_signs_in_with_username_and_password() -> None:
    user = make_user(username="wang")
    client = Client()

    response = client.post(reverse("login"), {"username": "wang", "password": PASSWORD})

    assert response.status_code == 302
    assert response.url == reverse("home")
    assert signed_in_user_id(client) == str(user.pk)


def test_login_page_goes_on_to_next_page() -> None:
    make_user(username="wang")
    profile_url = reverse("profile")

    response = Client().post(
        reverse("login"), {"username": "wang", "password": PASSWORD, "next": profile_url}
    )

    assert response.url == profile_url


def test_login_page_continues_in_the_language_of_the_page_not_the_preferred_one() -> None:
    make_user(username="wang", preferred_language="zh-hans")

    response = Client().post(
        "/en/accounts/login/",
        {"username": "wang", "password": PASSWORD, "next": "/en/accounts/profile/"},
    )

    assert response.url == "/en/accounts/profile/"


def test_login_page_refuses_wrong_password_and_says_so() -> None:
    make_user(username="wang")
    client = Client()

    response = client.post(reverse("login"), {"username": "wang", "password": "wrong"})

    html = response.content.decode()
    assert response.status_code == 200
    assert "Please enter a correct username and password." in html
    assert signed_in_user_id(client) is None


def test_login_page_shows_the_form_and_the_reset_link() -> None:
    response = Client().get(reverse("login"))

    html = response.content.decode()
    assert 'name="username"' in html
    assert 'name="password"' in html
    assert f'href="{reverse("password_reset")}"' in html


def test_logout_from_the_header_form_signs_out() -> None:
    user = make_user()
    client = Client()
    client.force_login(user)
    page = client.get(reverse("profile")).content.decode()
    assert f'action="{reverse("logout")}"' in page

    response = client.post(reverse("logout"))

    assert response.status_code == 302
    assert signed_in_user_id(client) is None


# --- password reset ---------------------------------------------------------------------------


def request_reset_link(client: Client, email: str) -> str:
    client.post(reverse("password_reset"), {"email": email})
    assert len(mail.outbox) == 1
    match = re.search(r"https?://[^/\s]+(/\S+/)", mail.outbox[0].body)
    assert match is not None, mail.outbox[0].body
    return match.group(1)


def test_password_reset_by_email_sets_a_new_password() -> None:
    user = make_user(username="wang")
    client = Client()

    response = client.post(reverse("password_reset"), {"email": "wang@example.com"})

    assert response.status_code == 302
    assert response.url == reverse("password_reset_done")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["wang@example.com"]
    assert message.subject == "Reset your password on testserver"
    assert "Hello wang," in message.body
    link = re.search(r"http://testserver(/\S+/)", message.body)
    assert link is not None
    # The link redirects to a URL without the token, which shows the form.
    form_page = client.get(link.group(1), follow=True)
    assert "Choose a new password" in form_page.content.decode()
    set_url = form_page.redirect_chain[-1][0]

    done = client.post(set_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})

    assert done.status_code == 302
    assert done.url == reverse("password_reset_complete")
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    fresh = Client()
    assert (
        fresh.post(reverse("login"), {"username": "wang", "password": NEW_PASSWORD}).status_code
        == 302
    )
    assert signed_in_user_id(fresh) == str(user.pk)
    old = Client()
    old.post(reverse("login"), {"username": "wang", "password": PASSWORD})
    assert signed_in_user_id(old) is None


def test_password_reset_link_works_only_once() -> None:
    make_user(username="wang")
    client = Client()
    link = request_reset_link(client, "wang@example.com")
    set_url = client.get(link, follow=True).redirect_chain[-1][0]
    client.post(set_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})

    again = Client().get(link, follow=True)

    assert "This link no longer works" in again.content.decode()


def test_password_reset_unknown_address_sends_nothing_and_reveals_nothing() -> None:
    make_user(username="wang")

    response = Client().post(
        reverse("password_reset"), {"email": "nobody@example.com"}, follow=True
    )

    assert mail.outbox == []
    assert "Check your e-mail" in response.content.decode()


def test_password_reset_mismatched_passwords_are_refused() -> None:
    user = make_user(username="wang")
    client = Client()
    set_url = client.get(
        request_reset_link(client, "wang@example.com"), follow=True
    ).redirect_chain[-1][0]

    response = client.post(set_url, {"new_password1": NEW_PASSWORD, "new_password2": "other-1"})

    assert response.status_code == 200
    assert "The two password fields didn’t match." in response.content.decode()
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


# --- profile --------------------------------------------------------------------------------


@pytest.fixture
def member() -> User:
    regions = make_region_tree()
    factory = make_organisation(
        kind=OrganisationKind.ENTERPRISE, name="莱西木业有限公司", region=regions["laixi"]
    )
    user = make_user(username="wang", organisation=factory, role=Role.ADMIN)
    bureau = make_organisation(
        kind=OrganisationKind.GOVERNMENT, name="莱西市商务局", region=regions["laixi"]
    )
    Membership.objects.create(user=user, organisation=bureau, role=Role.MEMBER)
    return user


def profile_client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_profile_shows_organisations_and_roles(member: User) -> None:
    response = profile_client(member).get(reverse("profile"))

    html = response.content.decode()
    rows = re.findall(r'<tr class="membership">(.*?)</tr>', html, re.S)
    cells = [re.findall(r"<td>(.*?)</td>", row, re.S) for row in rows]
    assert cells == [
        ["莱西市商务局", "Government body", "莱西市 Laixi", "Member"],
        ["莱西木业有限公司", "Enterprise (factory / supplier)", "莱西市 Laixi", "Administrator"],
    ]


def test_profile_anonymous_is_sent_to_sign_in() -> None:
    response = Client().get(reverse("profile"))

    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next={reverse('profile')}"


def test_profile_saves_language_and_time_zone(member: User) -> None:
    response = profile_client(member).post(
        reverse("profile"), {"preferred_language": "en", "time_zone": "Europe/Berlin"}
    )

    assert response.status_code == 302
    assert response.url == reverse("profile")
    member.refresh_from_db()
    assert (member.preferred_language, member.time_zone) == ("en", "Europe/Berlin")


def test_profile_switches_to_the_chosen_language(member: User) -> None:
    response = profile_client(member).post(
        reverse("profile"), {"preferred_language": "zh-hans", "time_zone": "Asia/Shanghai"}
    )

    assert response.url == "/zh-hans/accounts/profile/"


def test_profile_unknown_time_zone_is_shown_and_nothing_saved(member: User) -> None:
    response = profile_client(member).post(
        reverse("profile"), {"preferred_language": "en", "time_zone": "Mars/Olympus"}
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "&#x27;Mars/Olympus&#x27; is not a time zone name such as Asia/Shanghai." in html
    assert 'id="id_time_zone_error"' in html
    member.refresh_from_db()
    assert (member.preferred_language, member.time_zone) == ("", "Asia/Shanghai")


def test_api_token_create_shows_the_raw_token_once_and_stores_its_digest(member: User) -> None:
    client = profile_client(member)

    response = client.post(reverse("api-token-create"), {"name": "ERP sync"})

    html = response.content.decode()
    assert response.status_code == 201
    match = re.search(r'<code class="token" id="new-token">(dct_[^<]+)</code>', html)
    assert match is not None
    raw = match.group(1)
    token = ApiToken.objects.get(user=member)
    assert (token.name, token.digest) == ("ERP sync", hash_token(raw))
    assert raw not in client.get(reverse("profile")).content.decode()


def test_api_token_create_without_a_name_is_refused(member: User) -> None:
    response = profile_client(member).post(reverse("api-token-create"), {"name": "  "})

    assert response.status_code == 200
    assert "Name the token after where it is used." in response.content.decode()
    assert not ApiToken.objects.filter(user=member).exists()


def test_api_token_list_shows_name_and_last_use(member: User) -> None:
    issue_api_token(user=member, name="Shop plugin")

    html = profile_client(member).get(reverse("profile")).content.decode()

    row = re.search(r'<tr class="api-token">(.*?)</tr>', html, re.S)
    assert row is not None
    assert re.findall(r"<td>([^<]*)</td>", row.group(1))[::2] == ["Shop plugin", "never"]


def test_api_token_revoke_deletes_own_token(member: User) -> None:
    issue_api_token(user=member, name="Old laptop")
    token = ApiToken.objects.get(user=member)

    response = profile_client(member).post(reverse("api-token-revoke", args=[token.pk]))

    assert response.status_code == 302
    assert response.url == reverse("profile")
    assert not ApiToken.objects.filter(pk=token.pk).exists()


def test_api_token_revoke_refuses_someone_elses_token(member: User) -> None:
    issue_api_token(user=member, name="Mine")
    token = ApiToken.objects.get(user=member)
    intruder = make_user()

    response = profile_client(intruder).post(reverse("api-token-revoke", args=[token.pk]))

    assert response.status_code == 403
    assert "Only the owner of a token may revoke it." in response.content.decode()
    assert ApiToken.objects.filter(pk=token.pk).exists()


def test_api_token_revoke_is_post_only(member: User) -> None:
    issue_api_token(user=member, name="Mine")
    token = ApiToken.objects.get(user=member)

    response = profile_client(member).get(reverse("api-token-revoke", args=[token.pk]))

    assert response.status_code == 405
    assert ApiToken.objects.filter(pk=token.pk).exists()


# --- error pages ------------------------------------------------------------------------------


def test_404_page_names_the_missing_address() -> None:
    response = Client().get("/en/no-such-page/")

    html = response.content.decode()
    assert response.status_code == 404
    assert "There is nothing at /en/no-such-page/" in html


def test_500_page_renders_without_request_context() -> None:
    response = server_error(RequestFactory().get("/en/"))

    html = response.content.decode()
    assert response.status_code == 500
    assert "Something went wrong on our side" in html
