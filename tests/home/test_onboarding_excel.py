"""Onboarding accepts the CSV dialects Excel writes: ';' as delimiter (locales with a decimal
comma), a UTF-8 byte-order mark, an optional "sep=;" first line, and headers with spaces."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts import roles
from accounts.models import User
from tests.accounts.factories import UserFactory

URL = "/admin/programme/onboarding/"


@pytest.fixture
def manager_client(client, db):
    client.force_login(UserFactory(roles=[roles.LD_MANAGER]))
    return client


def upload(client, data: bytes):
    return client.post(URL, {"file": SimpleUploadedFile("people.csv", data, "text/csv")})


@pytest.mark.parametrize(
    "data",
    [
        "\ufeffemail;first name;team;roles\r\n"
        "zoe@example.com;Zoë;Claims;\r\n"
        'sam@example.com;Sam;Payroll;"L&D Author;Reviewer"\r\n',
        "sep=;\r\nEmail;First name;Team;Roles\r\n"
        "zoe@example.com;Zoë;Claims;\r\n"
        'sam@example.com;Sam;Payroll;"L&D Author;Reviewer"\r\n',
    ],
    ids=["bom-semicolon", "sep-line"],
)
def test_an_excel_semicolon_csv_with_a_bom_imports(manager_client, data):
    preview = upload(manager_client, data.encode("utf-8"))
    body = preview.content.decode()
    assert "Unknown column" not in body
    assert "2 to create" in body
    response = manager_client.post(URL, {"confirm": "1", "content": preview.context["content"]})
    assert response.status_code == 302
    zoe = User.objects.get(email="zoe@example.com")
    assert zoe.first_name == "Zoë" and zoe.current_team.name == "Claims"
    sam = User.objects.get(email="sam@example.com")
    assert set(sam.groups.values_list("name", flat=True)) >= {roles.LD_AUTHOR, roles.REVIEWER}
