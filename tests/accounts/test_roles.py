import pytest
from django.contrib.auth.models import Group
from wagtail.models import GroupPagePermission

from accounts import roles
from tests.accounts.factories import UserFactory


@pytest.mark.django_db
def test_migrations_create_the_four_roles():
    assert set(Group.objects.values_list("name", flat=True)) >= set(roles.ALL_ROLES)


@pytest.mark.django_db
def test_authors_edit_and_managers_publish_pages():
    author_perms = set(
        GroupPagePermission.objects.filter(group__name=roles.LD_AUTHOR).values_list(
            "permission__codename", flat=True
        )
    )
    manager_perms = set(
        GroupPagePermission.objects.filter(group__name=roles.LD_MANAGER).values_list(
            "permission__codename", flat=True
        )
    )
    assert {"add_page", "change_page"} <= author_perms
    assert "publish_page" not in author_perms
    assert "publish_page" in manager_perms


@pytest.mark.django_db
def test_ld_roles_reach_the_wagtail_admin_and_employees_do_not(client):
    author = UserFactory(roles=[roles.LD_AUTHOR])
    employee = UserFactory(roles=[roles.EMPLOYEE])
    client.force_login(author)
    assert client.get("/admin/").status_code == 200
    client.force_login(employee)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


@pytest.mark.django_db
def test_roles_get_permissions_of_apps_migrated_after_accounts():
    # The test database is built by migrate alone: the last app's post_migrate synced roles.
    manager = Group.objects.get(name=roles.LD_MANAGER)
    codenames = set(manager.permissions.values_list("codename", flat=True))
    assert {"add_challengeweek", "export_corpus", "add_badge", "add_assignment"} <= codenames
