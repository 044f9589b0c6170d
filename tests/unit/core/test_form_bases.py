"""Every form of the project is a SanitizedFormMixin (core.forms), so that a NUL character or a
lone surrogate typed into any of them is an error beside its field; nothing patches Django."""

from __future__ import annotations

import importlib
import pkgutil
from typing import Any

import pytest
from django import forms
from django.apps import apps

from dualcirc.core.forms import SanitizedForm, SanitizedFormMixin, SanitizedModelForm
from dualcirc.core.models import User

NUL_ERROR = "The text contains a NUL character, which is not allowed."
SURROGATE_ERROR = "The text contains an invalid character (a lone surrogate)."


def _project_modules() -> list[str]:
    names = []
    for config in apps.get_app_configs():
        if not config.name.startswith("dualcirc."):
            continue
        package = importlib.import_module(config.name)
        names.append(config.name)
        for found in pkgutil.walk_packages(package.__path__, f"{config.name}."):
            if ".migrations" not in found.name:
                names.append(found.name)
    return names


def _subclasses(cls: type) -> list[type]:
    found: list[type] = []
    sub: type
    for sub in cls.__subclasses__():
        found.append(sub)
        found.extend(_subclasses(sub))
    return found


def test_every_form_of_the_project_uses_the_sanitized_base():
    for name in _project_modules():
        importlib.import_module(name)  # a module that cannot be imported fails here, by name
    project_forms = {
        f"{cls.__module__}.{cls.__qualname__}"
        for cls in _subclasses(forms.BaseForm)
        if cls.__module__.startswith("dualcirc.")
    }
    forgotten = sorted(
        f"{cls.__module__}.{cls.__qualname__}"
        for cls in _subclasses(forms.BaseForm)
        if cls.__module__.startswith("dualcirc.") and not issubclass(cls, SanitizedFormMixin)
    )

    assert len(project_forms) > 40  # the walk found the forms (sign-in, products, deals, …)
    assert "dualcirc.core.forms.SignInForm" in project_forms
    assert forgotten == []


def test_django_forms_are_not_patched():
    class Plain(forms.Form):
        title = forms.CharField()

    form = Plain({"title": "oak\ud800"})

    assert form.is_valid()  # only the project's bases check the text
    assert "full_clean" not in vars(forms.BaseForm) or not hasattr(
        forms.BaseForm.full_clean, "checks_text"
    )


def test_a_lone_surrogate_or_nul_is_an_error_beside_its_field():
    class Note(SanitizedForm):
        title = forms.CharField()
        body = forms.CharField(required=False)
        tags = forms.JSONField(required=False)

    form = Note({"title": "oak\ud800", "body": "a\x00b", "tags": '["ok"]'})

    assert not form.is_valid()
    assert form.errors == {
        "title": ["The text contains an invalid character (a lone surrogate)."],
        "body": ["The text contains a NUL character, which is not allowed."],
    }
    assert form["title"].value() == "oak\ufffd"  # shown again with the character marked
    assert form.cleaned_data == {"tags": ["ok"]}


class Booking(SanitizedForm):
    """A form whose own checks query the database and need every field's cleaned value."""

    guest = forms.CharField()
    room = forms.CharField()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.ran: list[str] = []

    def clean_guest(self) -> str:
        guest = str(self.cleaned_data["guest"])
        self.ran.append(f"clean_guest {guest}")
        if not User.objects.filter(username=guest).exists():
            raise forms.ValidationError("Unknown guest.")
        return guest

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        self.ran.append(f"clean {data['guest']} {data['room']}")  # a missing field: KeyError
        if User.objects.filter(username=data["guest"], first_name=data["room"]).exists():
            raise forms.ValidationError("Booked.")
        return data


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "bad", "message", "ran"),
    [
        ("guest", "ann\x00", NUL_ERROR, []),
        ("guest", "ann\ud800", SURROGATE_ERROR, []),
        ("room", "12\x00", NUL_ERROR, ["clean_guest ann"]),
    ],
    ids=["nul", "surrogate", "nul-in-another-field"],
)
def test_unstorable_text_is_refused_before_the_forms_own_checks(field, bad, message, ran):
    User.objects.create_user(username="ann", first_name="7", password="x")
    form = Booking({"guest": "ann", "room": "12", field: bad})

    valid = form.is_valid()

    assert not valid
    assert form.errors == {field: [message]}  # the field named, nothing else
    assert form.ran == ran  # neither clean_<field> nor clean() saw the text or ran without it
    assert field not in form.cleaned_data


@pytest.mark.django_db
def test_storable_text_goes_through_every_check_of_the_form():
    User.objects.create_user(username="ann", first_name="7", password="x")
    free = Booking({"guest": "ann", "room": "12"})
    booked = Booking({"guest": "ann", "room": "7"})

    free_valid, booked_valid = free.is_valid(), booked.is_valid()

    assert free_valid
    assert free.ran == ["clean_guest ann", "clean ann 12"]
    assert not booked_valid
    assert booked.errors == {"__all__": ["Booked."]}
    assert booked.ran == ["clean_guest ann", "clean ann 7"]


@pytest.mark.django_db
def test_a_model_form_refuses_bad_text_before_its_unique_checks():
    from dualcirc.core.models import Region

    class RegionForm(SanitizedModelForm):
        class Meta:
            model = Region
            fields = ("code", "name_zh")

    form = RegionForm({"code": "37\x00", "name_zh": "山东"})

    assert not form.is_valid()
    assert form.errors == {"code": ["The text contains a NUL character, which is not allowed."]}


def test_every_form_of_the_admin_site_uses_the_sanitized_base():
    from django.contrib import admin

    forgotten = []
    for model, model_admin in admin.site._registry.items():
        forms_of = [getattr(model_admin, a, None) for a in ("form", "add_form")]
        forms_of.append(getattr(model_admin, "change_password_form", None))
        forms_of.extend(inline.form for inline in model_admin.inlines)
        for form in forms_of:
            if form is not None and not issubclass(form, SanitizedFormMixin):
                forgotten.append(f"{model.__name__}: {form.__name__}")

    site_forms: dict[str, type | None] = {
        "login_form": admin.site.login_form,
        "password_change_form": admin.site.password_change_form,
    }
    for attribute, form in site_forms.items():
        if form is None or not issubclass(form, SanitizedFormMixin):
            forgotten.append(f"site.{attribute}: {form}")

    assert len(admin.site._registry) > 20  # the project's models are registered
    assert forgotten == []


@pytest.mark.django_db
def test_nul_typed_into_an_admin_form_is_an_error_beside_its_field():
    from django.test import Client

    from dualcirc.catalog.models import IndustrialBelt
    from dualcirc.core.models import Region, User

    region = Region.objects.create(code="370285", name_zh="莱西市", level="county")
    root = User.objects.create_superuser(username="root", email="r@example.com", password="x")
    client = Client()
    client.force_login(root)

    response = client.post(
        "/en/admin/catalog/industrialbelt/add/",
        {
            "slug": "laixi",
            "name_zh": "莱西\x00家具",
            "name_en": "Laixi furniture",
            "industry": "furniture",
            "region": region.pk,
        },
        headers={"Accept-Language": "en"},
    )

    assert response.status_code == 200
    html = response.content.decode()
    beside = html.split('id="id_name_zh_error"')[1][:300]
    assert "The text contains a NUL character, which is not allowed." in beside
    assert IndustrialBelt.objects.count() == 0


@pytest.mark.django_db
def test_nul_posted_to_the_admin_sign_in_is_an_error_beside_its_field():
    from django.contrib import admin
    from django.contrib.auth.models import AnonymousUser
    from django.contrib.sessions.backends.db import SessionStore
    from django.test import Client, RequestFactory
    from django.utils import translation

    from dualcirc.core.models import User

    User.objects.create_superuser(username="root", email="r@example.com", password="x")
    data = {"username": "root\x00", "password": "x"}
    client = Client(headers={"Accept-Language": "en"})
    sent = client.post("/en/admin/login/?next=/en/admin/", data)
    signed_in_page = client.post(sent["Location"], data)
    # Django's own admin sign-in view, with the site's login_form (the URL sends people away).
    request = RequestFactory().post("/en/admin/login/", data)
    request.user = AnonymousUser()
    request.session = SessionStore()
    request._dont_enforce_csrf_checks = True  # type: ignore[attr-defined]  # as test Client
    with translation.override("en"):
        admin_page = admin.AdminSite.login(admin.site, request)
        admin_page.render()  # type: ignore[attr-defined]  # a TemplateResponse

    assert sent.status_code == 302  # to the site's sign-in, which shows the error
    assert sent["Location"] == "/en/accounts/login/?next=%2Fen%2Fadmin%2F"
    assert signed_in_page.status_code == 200
    assert signed_in_page.context["form"].errors["username"] == [NUL_ERROR]
    assert "_auth_user_id" not in client.session
    assert admin_page.status_code == 200
    admin_form = admin_page.context_data["form"]  # type: ignore[attr-defined]
    assert type(admin_form) is admin.site.login_form
    assert admin_form.errors["username"] == [NUL_ERROR]
    assert "_auth_user_id" not in request.session


@pytest.mark.django_db
def test_nul_posted_to_the_admin_password_change_is_an_error_beside_its_field():
    from django.test import Client

    from dualcirc.core.models import User

    root = User.objects.create_superuser(username="root", email="r@example.com", password="x")
    client = Client()
    client.force_login(root)

    response = client.post(
        "/en/admin/password_change/",
        {
            "old_password": "x",
            "new_password1": "oak\x00table-2026",
            "new_password2": "oak\x00table-2026",
        },
        headers={"Accept-Language": "en"},
    )

    assert response.status_code == 200
    html = response.content.decode()
    beside = html.split('id="id_new_password1_error"')[1][:300]
    assert NUL_ERROR in beside
    root.refresh_from_db()
    assert root.check_password("x")
