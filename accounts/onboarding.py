"""Bulk onboarding: import employees and teams from a CSV file, and export them again.

The import is two-phase. :func:`onboarding_preview` parses and checks every row and says what
would happen; nothing is written until the whole file is clean. :func:`onboarding_import`
re-checks and applies the file in one transaction. Re-importing the same file changes nothing.
"""

import csv
import io
from dataclasses import dataclass, field

from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Prefetch
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.text import slugify

from accounts import roles
from accounts.invites import onboarding_invitations_queue
from accounts.models import Membership, Team, User
from accounts.services import membership_set
from config.csv_export import csv_cell_unescape, csv_text

COLUMNS = ["email", "first_name", "last_name", "display_name", "team", "department", "roles"]
REQUIRED_COLUMNS = {"email", "team"}
MAX_ROWS = 20_000
MAX_BYTES = 5 * 1024 * 1024
# No column needs more (e-mail addresses stop at 254); longer cells are refused per row.
MAX_CELL_CHARS = 1000
SHOWN_CELL_CHARS = 60
ROLE_SEPARATOR = ";"


@dataclass
class RowResult:
    """What one CSV row would do (or why it cannot be imported)."""

    line: int
    email: str
    team: str
    action: str = ""  # "create", "update", "unchanged"
    changes: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    data: dict = field(default_factory=dict)


@dataclass
class Preview:
    """The outcome of checking a whole file."""

    rows: list[RowResult]
    file_errors: list[str]
    new_teams: list[str]
    invited: list[str] = field(default_factory=list)  # e-mails of people invited by an import

    @property
    def is_clean(self) -> bool:
        return not self.file_errors and not any(r.errors for r in self.rows)

    @property
    def error_count(self) -> int:
        return len(self.file_errors) + sum(1 for r in self.rows if r.errors)

    def count(self, action: str) -> int:
        return sum(1 for r in self.rows if r.action == action and not r.errors)

    @property
    def summary(self) -> dict[str, int]:
        return {action: self.count(action) for action in ("create", "update", "unchanged")}


def _decode(content: bytes | str) -> str:
    if isinstance(content, str):
        return content
    if len(content) > MAX_BYTES:
        raise ValidationError(f"The file is larger than {MAX_BYTES // (1024 * 1024)} MB.")
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ValidationError("The file is not text in UTF-8 or Windows-1252 encoding.")


DELIMITERS = (",", ";", "\t")


def _dialect(text: str) -> tuple[str, str]:
    """The text without Excel's optional ``sep=;`` line, and its delimiter. Excel writes ';' in
    locales whose decimal mark is a comma, so the delimiter is the one the header line uses most
    (',' when it uses none: a one-column file)."""
    first, _, rest = text.partition("\n")
    hint = first.strip().lower()
    if hint.startswith("sep=") and len(hint) == 5:
        return rest, first.strip()[4]
    counts = {d: first.count(d) for d in DELIMITERS}
    best = max(DELIMITERS, key=lambda d: counts[d])
    return text, best if counts[best] else ","


def _shown(row: dict) -> dict:
    """A row as the preview shows it: text cells only, each cut to a readable length."""
    return {
        k: (v[:SHOWN_CELL_CHARS] + "…" if len(v) > SHOWN_CELL_CHARS else v)
        for k, v in row.items()
        if isinstance(k, str) and isinstance(v, str)
    }


def _cell_problem(row: dict) -> tuple[dict, str | None]:
    """The row (cut for display if needed) and what makes it unreadable, if anything."""
    for column, value in row.items():
        if len(value) > MAX_CELL_CHARS:
            return _shown(row), f"The {column} cell is longer than {MAX_CELL_CHARS} characters."
        if "\x00" in value:
            return _shown(row), f"The {column} cell contains a NUL character."
    return row, None


def _users_by_email(emails: list[str], *, with_team_and_roles: bool = False) -> dict[str, User]:
    """Existing users keyed by lower-cased e-mail (addresses match whatever their case)."""
    users = User.objects.annotate(email_lower=Lower("email")).filter(
        email_lower__in={e.lower() for e in emails}
    )
    if with_team_and_roles:
        users = users.prefetch_related(
            "groups",
            Prefetch(
                "memberships",
                queryset=Membership.objects.filter(ended_at__isnull=True).select_related("team"),
                to_attr="open_memberships",
            ),
        )
    return {u.email.lower(): u for u in users}


def onboarding_preview(*, content: bytes | str) -> Preview:
    """Check every row of a CSV file against the database; write nothing."""
    try:
        text = _decode(content)
    except ValidationError as exc:
        return Preview(rows=[], file_errors=list(exc.messages), new_teams=[])
    read = [0]  # lines read so far: the reader's own count stops at a row it cannot parse

    def lines():
        # newline="": lines end at \n, \r\n or a lone \r, as the csv module expects.
        for line in io.StringIO(text, newline=""):
            read[0] += 1
            yield line

    text, delimiter = _dialect(text)
    reader = csv.DictReader(lines(), delimiter=delimiter)
    try:
        header = [h.strip().lower().replace(" ", "_") for h in (reader.fieldnames or [])]
    except csv.Error as exc:
        return Preview(rows=[], file_errors=[f"The first line is not CSV ({exc})."], new_teams=[])
    file_errors = []
    if not header:
        file_errors.append("The file is empty: the first line must name the columns.")
    else:
        missing = REQUIRED_COLUMNS - set(header)
        unknown = [h for h in header if h not in COLUMNS]
        if missing:
            file_errors.append(f"Missing column(s): {', '.join(sorted(missing))}.")
        if unknown:
            file_errors.append(
                f"Unknown column(s): {', '.join(unknown)}. Known columns: {', '.join(COLUMNS)}."
            )
    if file_errors:
        return Preview(rows=[], file_errors=file_errors, new_teams=[])
    reader.fieldnames = header

    raw_rows = []
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            # This row fails, the others go on (the csv module's own limit is 128 KiB a cell).
            problem = (
                f"A cell of this row is longer than {MAX_CELL_CHARS} characters."
                if "field limit" in str(exc)
                else f"This row could not be read as CSV ({exc})."
            )
            raw_rows.append((read[0], {}, problem))
            continue
        if len(raw_rows) >= MAX_ROWS:
            file_errors.append(f"The file has more than {MAX_ROWS} rows; split it.")
            break
        if None in row:
            problem = "This row has more values than columns."
            raw_rows.append((reader.line_num, _shown(row), problem))
            continue
        cleaned = {k: csv_cell_unescape((v or "").strip()) for k, v in row.items()}
        if not any(cleaned.values()):
            continue  # blank line
        raw_rows.append((reader.line_num, *_cell_problem(cleaned)))
    if not raw_rows and not file_errors:
        file_errors.append("The file has a header but no rows.")

    emails = [r[1].get("email", "").lower() for r in raw_rows if r[2] is None]
    existing_users = _users_by_email([e for e in emails if e], with_team_and_roles=True)
    teams_by_name = {t.name.lower(): t for t in Team.objects.all()}
    role_names = {r.lower(): r for r in roles.ALL_ROLES}
    seen_emails: dict[str, int] = {}
    new_teams: dict[str, str] = {}
    results = []
    for line, row, problem in raw_rows:
        email = row.get("email", "")
        result = RowResult(line=line, email=email, team=row.get("team", ""))
        results.append(result)
        if problem:
            result.errors.append(problem)
            continue
        try:
            validate_email(email)
        except ValidationError:
            result.errors.append(
                f"“{email}” is not a valid e-mail address."
                if email
                else "The e-mail address is missing."
            )
        key = email.lower()
        if key in seen_emails:
            result.errors.append(f"This e-mail address is also on line {seen_emails[key]}.")
        else:
            seen_emails[key] = line
        team_name = row.get("team", "")
        if not team_name:
            result.errors.append("The team is missing: every employee belongs to one team.")
        elif len(team_name) > 100:
            result.errors.append("The team name is longer than 100 characters.")
        wanted_roles = []
        for name in filter(None, (r.strip() for r in row.get("roles", "").split(ROLE_SEPARATOR))):
            if name.lower() not in role_names:
                result.errors.append(
                    f"Unknown role “{name}”. Roles are: {', '.join(roles.ALL_ROLES)} "
                    f"(separate several with “{ROLE_SEPARATOR}”)."
                )
            else:
                wanted_roles.append(role_names[name.lower()])
        for column, limit in (("first_name", 150), ("last_name", 150), ("display_name", 80)):
            if len(row.get(column, "")) > limit:
                result.errors.append(f"{column} is longer than {limit} characters.")
        if result.errors:
            continue

        team = teams_by_name.get(team_name.lower())
        if team is None:
            new_teams.setdefault(team_name.lower(), team_name)
            if not slugify(team_name):
                result.errors.append(f"The team name “{team_name}” has no letters or digits.")
                continue
        result.data = {
            "email": email,
            "first_name": row.get("first_name", ""),
            "last_name": row.get("last_name", ""),
            "display_name": row.get("display_name", ""),
            "team": team_name,
            "department": row.get("department", ""),
            "roles": wanted_roles,
        }
        user = existing_users.get(key)
        if user is None:
            result.action = "create"
            continue
        for attr in ("first_name", "last_name", "display_name"):
            if result.data[attr] and getattr(user, attr) != result.data[attr]:
                result.changes.append(attr.replace("_", " "))
        current = user.open_memberships[0].team if user.open_memberships else None
        if current is None or current.name.lower() != team_name.lower():
            result.changes.append("team")
        held = {g.name for g in user.groups.all()}
        if set(wanted_roles) - held:
            result.changes.append("roles")
        result.action = "update" if result.changes else "unchanged"
    return Preview(rows=results, file_errors=file_errors, new_teams=sorted(new_teams.values()))


def _unique_slug(name: str) -> str:
    base = slugify(name)[:90] or "team"
    slug, n = base, 2
    while Team.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def onboarding_import(*, content: bytes | str) -> Preview:
    """Apply a clean file: create teams and users, update names, teams and roles.

    Raises ValidationError, writing nothing, when any row has an error. Roles are only added,
    never removed (removing a role is a deliberate act in the admin, not a side effect of a file).
    New users get no password: each is marked invited and, after commit, e-mailed a set-password
    (or single sign-on) link once (``accounts.invites``); a re-import invites nobody again.
    """
    preview = onboarding_preview(content=content)
    if not preview.is_clean:
        raise ValidationError(
            f"The file has {preview.error_count} problem(s); nothing was imported."
        )
    teams = {t.name.lower(): t for t in Team.objects.select_for_update()}
    groups = {g.name: g for g in Group.objects.filter(name__in=roles.ALL_ROLES)}
    emails = [row.data["email"] for row in preview.rows if row.action != "unchanged"]
    users = {u.email.lower(): u for u in User.objects.filter(email__in=emails)}
    now = timezone.now()
    invited = []

    for row in preview.rows:
        if row.action == "unchanged":
            continue
        data = row.data
        team = teams.get(data["team"].lower())
        if team is None:
            team = Team.objects.create(
                name=data["team"], slug=_unique_slug(data["team"]), department=data["department"]
            )
            teams[team.name.lower()] = team
        user = users.get(data["email"].lower())
        if user is None:
            user = User(email=data["email"], invitation_sent_at=now)
            user.set_unusable_password()
        for attr in ("first_name", "last_name", "display_name"):
            if data[attr]:
                setattr(user, attr, data[attr])
        user.save()
        if row.action == "create":
            EmailAddress.objects.get_or_create(
                user=user, email=user.email, defaults={"verified": True, "primary": True}
            )
            invited.append(user)
        membership_set(user=user, team=team)
        user.groups.add(groups[roles.EMPLOYEE], *(groups[r] for r in data["roles"]))
    onboarding_invitations_queue(user_ids=[u.pk for u in invited])
    preview.invited = [u.email for u in invited]
    return preview


def onboarding_export() -> str:
    """All active employees as CSV, in the import format (so the file round-trips)."""
    users = (
        User.objects.filter(is_active=True)
        .order_by("email")
        .prefetch_related(
            "groups",
            Prefetch(
                "memberships",
                queryset=Membership.objects.filter(ended_at__isnull=True).select_related("team"),
                to_attr="open_memberships",
            ),
        )
    )
    return csv_text(COLUMNS, (_export_row(user) for user in users.iterator(chunk_size=2000)))


def _export_row(user: User) -> list[str]:
    team = user.open_memberships[0].team if user.open_memberships else None
    held = sorted(
        g.name for g in user.groups.all() if g.name in roles.ALL_ROLES and g.name != roles.EMPLOYEE
    )
    return [
        user.email,
        user.first_name,
        user.last_name,
        user.display_name,
        team.name if team else "",
        team.department if team else "",
        ROLE_SEPARATOR.join(held),
    ]
