"""Demo teams and users for every role (used by ``manage.py seed_demo``)."""

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.models import Group
from wagtail.models import ReferenceIndex

from accounts import roles
from accounts.models import Team, User
from accounts.services import membership_set

TEAMS = [
    ("Customer Care", "customer-care", "Operations"),
    ("People & Talent", "people-talent", "Human Resources"),
    ("Risk & Compliance", "risk-compliance", "Legal"),
    ("Data & Insights", "data-insights", "Technology"),
]

# email, first name, last name, team slug, roles, superuser
DEMO_USERS = [
    ("admin@apprentice.example", "Ada", "Admin", "data-insights", [], True),
    ("manager@apprentice.example", "Maya", "Okafor", "people-talent", [roles.LD_MANAGER], False),
    ("author@apprentice.example", "Arjun", "Mehta", "people-talent", [roles.LD_AUTHOR], False),
    (
        "reviewer@apprentice.example",
        "Rosa",
        "Lindqvist",
        "risk-compliance",
        [roles.REVIEWER],
        False,
    ),
    ("employee@apprentice.example", "Eli", "Brennan", "customer-care", [], False),
    ("sam@apprentice.example", "Sam", "Achebe", "customer-care", [], False),
    ("lena@apprentice.example", "Lena", "Fischer", "customer-care", [], False),
    ("tomas@apprentice.example", "Tomás", "Ruiz", "people-talent", [], False),
    ("priya@apprentice.example", "Priya", "Nair", "risk-compliance", [], False),
    ("jonas@apprentice.example", "Jonas", "Berg", "risk-compliance", [], False),
    ("mei@apprentice.example", "Mei", "Chen", "data-insights", [], False),
    ("omar@apprentice.example", "Omar", "Haddad", "data-insights", [], False),
]

# team slug, its line manager's e-mail (the "My team" view); set only while the team has none.
LINE_MANAGERS = [("customer-care", "lena@apprentice.example")]


def seed(*, stdout) -> None:
    roles.sync_role_permissions()
    teams = {}
    for name, slug, department in TEAMS:
        teams[slug], _ = Team.objects.update_or_create(
            slug=slug, defaults={"name": name, "department": department, "is_active": True}
        )
    employee_group = Group.objects.get(name=roles.EMPLOYEE)
    for email, first, last, team_slug, role_names, superuser in DEMO_USERS:
        user, created = User.objects.get_or_create(
            email=email,
            defaults={
                "first_name": first,
                "last_name": last,
                "is_superuser": superuser,
                "is_staff": superuser,
            },
        )
        if created:
            user.set_password(settings.DEMO_PASSWORD)
            user.save()
        # Every demo user is an employee; some hold more roles.
        user.groups.add(employee_group, *Group.objects.filter(name__in=role_names))
        EmailAddress.objects.update_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
        membership_set(user=user, team=teams[team_slug])
    for team_slug, email in LINE_MANAGERS:
        team = teams[team_slug]
        if team.line_manager_id is None:
            team.line_manager = User.objects.get(email=email)
            team.save()
            # Index the new reference now, as a later save of the team would (the index update
            # a save queues may not have run yet), so a second run finds nothing to add.
            ReferenceIndex.create_or_update_for_object(team)
    stdout.write(f"Accounts: {len(TEAMS)} teams, {len(DEMO_USERS)} demo users.")
