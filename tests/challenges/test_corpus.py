"""The corpus export: the shape of every line, pseudonymity, only approved or reviewed
material, an empty corpus, who may export, and loading with the ``datasets`` JSON loader."""

import io
import json
import zipfile
from pathlib import Path

import pytest
from django.core.management import call_command

from accounts import roles
from accounts.models import User
from challenges import corpus, services
from challenges.models import ContextNote, TestCase
from mentoring.services import feedback, triage
from tests.accounts.factories import UserFactory
from tests.challenges.factories import (
    REFUND_QUOTE,
    ContextNoteFactory,
    CorrectionFactory,
    TestCaseFactory,
    category,
)
from tests.mentoring.factories import FIXED_RECEIPT, LOST_RECEIPT, NO_RECEIPT_NEEDED, care_system

pytestmark = pytest.mark.django_db

# The documented shape (docs/corpus.md): every key of every line, and its JSON type.
SHAPES = {
    "preferences": {
        "id": str,
        "challenge_id": int,
        "challenge": str,
        "scenario": str,
        "prompt": str,
        "rejected": str,
        "chosen": str,
        "rationale": str,
        "author": str,
        "is_gold": bool,
        "review_count": int,
        "review_mean": float,
        "review_scores": list,
        "skills": list,
        "model": str,
        "prompt_version": str,
        "created_at": str,
    },
    "flags": {
        "id": str,
        "challenge_id": int,
        "challenge": str,
        "prompt": str,
        "text": str,
        "spans": list,
        "reference_spans": list,
        "annotator": str,
        "score": float,
        "skills": list,
        "created_at": str,
    },
    "context": {
        "id": str,
        "kind": str,
        "title": str,
        "text": str,
        "skills": list,
        "challenge_id": int,
        "challenge": str,
        "author": str,
        "endorsements": int,
        "approved_at": str,
    },
    "evals": {
        "id": str,
        "challenge_id": int,
        "challenge": str,
        "system": str,
        "input": str,
        "must": str,
        "must_not": str,
        "response": str,
        "provider": str,
        "model": str,
        "verdict": str,
        "pass_votes": int,
        "fail_votes": int,
        "author": str,
        "latest_run_at": str,
        "latest_run_model": str,
        "latest_response": str,
        "latest_verdict": str,
        "created_at": str,
    },
    "field_reports": {
        "id": str,
        "system": str,
        "guidance_version": int,
        "prompt": str,
        "rejected": str,
        "chosen": str,
        "rationale": str,
        "spans": list,
        "author": str,
        "via": str,
        "redacted": bool,
        "confirmed_at": str,
    },
}
SPAN_KEYS = {"start", "end", "category", "quote", "note", "matches_answer_key"}
FIELD_SPAN_KEYS = {"start", "end", "text", "category"}
SCORE_KEYS = {"reviewer", "accuracy", "tone", "completeness", "policy_fit"}


def read_lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def check_shape(name: str, rows: list[dict]) -> None:
    for row in rows:
        assert set(row) == set(SHAPES[name]), name
        for key, kind in SHAPES[name].items():
            assert isinstance(row[key], kind), (name, key, row[key])
        for key in ("author", "annotator"):
            if key in row:
                assert row[key].startswith("a_") and len(row[key]) == 18
    if name == "flags":
        for row in rows:
            for span in row["spans"]:
                assert set(span) == SPAN_KEYS
                assert row["text"][span["start"] : span["end"]] == span["quote"]
    if name == "field_reports":
        for row in rows:
            for span in row["spans"]:
                assert set(span) == FIELD_SPAN_KEYS
                assert row["rejected"][span["start"] : span["end"]] == span["text"]
    if name == "preferences":
        for row in rows:
            for score in row["review_scores"]:
                assert set(score) == SCORE_KEYS


def review(correction, reviewer, score=5):
    scores = dict.fromkeys(("accuracy", "tone", "completeness", "policy_fit"), score)
    return services.review_submit(
        reviewer=reviewer, correction=correction, scores=scores, comment="Misses the policy."
    )


@pytest.fixture
def taught(challenge, employee, colleague):
    """Reviewed and unreviewed, approved and pending, judged and open material."""
    manager = UserFactory(roles=[roles.LD_MANAGER])
    reviewed = CorrectionFactory(user=employee, challenge=challenge, text="Reviewed rewrite.")
    review(reviewed, colleague)
    review(reviewed, UserFactory())
    CorrectionFactory(challenge=challenge, text="Unreviewed rewrite that must not leave.")
    approved = ContextNoteFactory(user=employee, challenge=challenge, title="Approved note")
    services.context_note_review(by=manager, note=approved, approve=True)
    ContextNoteFactory(challenge=challenge, title="Pending note that must not leave")
    judged = TestCaseFactory(user=employee, challenge=challenge, input="Judged input")
    for judge in (employee, colleague, UserFactory()):
        services.testcase_judge(judge=judge, test_case=judged, verdict="fail")
    TestCaseFactory(challenge=challenge, input="Open input that must not leave")
    start = challenge.output.index(REFUND_QUOTE)
    services.flags_submit(
        user=colleague,
        challenge=challenge,
        flags=[
            services.FlagInput(
                start, start + len(REFUND_QUOTE), category("hallucination").pk, "invented"
            )
        ],
    )
    field_reports(employee, manager)
    return {"manager": manager}


def field_reports(reporter, owner):
    """A confirmed field report (corrected, flagged), and two that must not leave: a new one,
    and a confirmed one with unredacted personal data."""
    system = care_system()
    confirmed = feedback.report_create(
        reporter=reporter, system=system, asked=LOST_RECEIPT, answer=NO_RECEIPT_NEEDED
    )
    feedback.flag_add(
        user=reporter, report=confirmed, quote="Receipts are never needed", category="hallucination"
    )
    feedback.correction_save(
        user=reporter, report=confirmed, text=FIXED_RECEIPT, rationale="Proof of purchase."
    )
    triage.report_confirm(report=confirmed, by=owner)
    feedback.report_create(
        reporter=reporter, system=system, asked="New report", answer="New must not leave."
    )
    private = feedback.report_create(
        reporter=reporter,
        system=system,
        asked="Jane's order",
        answer="Personal data must not leave.",
        has_personal_data=True,
    )
    triage.report_confirm(report=private, by=owner)


def test_every_line_has_the_documented_shape(taught, tmp_path):
    counts = corpus.corpus_write(out_dir=tmp_path)
    assert counts == {
        "preferences": 1,
        "flags": 1,
        "context": 1,
        "evals": 1,
        "field_reports": 1,
    }
    for name in corpus.FILES:
        check_shape(name, read_lines(tmp_path / f"{name}.jsonl"))
    pair = read_lines(tmp_path / "preferences.jsonl")[0]
    assert pair["chosen"] == "Reviewed rewrite." and pair["review_count"] == 2
    assert pair["rejected"].startswith("Thank you for contacting us")
    evals = read_lines(tmp_path / "evals.jsonl")[0]
    assert evals["verdict"] == "fail" and evals["fail_votes"] == 3


def test_only_approved_or_reviewed_material_is_exported(taught, tmp_path):
    corpus.corpus_write(out_dir=tmp_path)
    everything = "".join((tmp_path / f"{n}.jsonl").read_text() for n in corpus.FILES)
    assert "must not leave" not in everything
    assert "Approved note" in everything and "Judged input" in everything
    assert ContextNote.objects.filter(status=ContextNote.PENDING).exists()
    assert TestCase.objects.filter(status=TestCase.OPEN).exists()


def test_gold_beats_the_best_reviewed_correction(challenge, employee, colleague):
    manager = UserFactory(roles=[roles.LD_MANAGER])
    best = CorrectionFactory(challenge=challenge, text="Best reviewed.")
    review(best, employee)
    review(best, colleague)
    gold = CorrectionFactory(challenge=challenge, text="Gold, not yet reviewed.")
    services.correction_mark_gold(by=manager, correction=gold)
    (pair,) = corpus.rows("preferences")
    assert pair["chosen"] == "Gold, not yet reviewed." and pair["is_gold"] is True


def test_a_poorly_reviewed_correction_is_not_chosen(challenge, employee, colleague):
    weak = CorrectionFactory(challenge=challenge)
    review(weak, employee, score=2)
    review(weak, colleague, score=1)
    assert list(corpus.rows("preferences")) == []


def test_no_email_or_name_of_anyone_appears_in_any_file(taught, tmp_path):
    # Distinctive names, so a hit can only be a leak (a random "May" could be a plain word).
    for user in User.objects.all():
        User.objects.filter(pk=user.pk).update(
            first_name=f"Zephyrine{user.pk}", last_name=f"Quillfeather{user.pk}"
        )
    call_command("export_corpus", "--out", str(tmp_path), stdout=io.StringIO())
    data = b"".join((tmp_path / f"{n}.jsonl").read_bytes() for n in corpus.FILES).lower()
    assert data  # the check below means something only if there is content
    for user in User.objects.all():
        for secret in (user.email, user.first_name, user.last_name, user.get_full_name()):
            if secret and len(secret) > 2:
                assert secret.lower().encode() not in data, secret


def test_pseudonyms_are_stable_and_keyed(settings):
    first = corpus.pseudonym(7)
    assert first == corpus.pseudonym(7) and first != corpus.pseudonym(8)
    settings.CORPUS_PSEUDONYM_SECRET = "another-secret"
    assert corpus.pseudonym(7) != first


def test_an_empty_corpus_gives_empty_files(tmp_path):
    out = tmp_path / "new" / "dir"
    call_command("export_corpus", "--out", str(out), stdout=io.StringIO())
    assert sorted(p.name for p in out.iterdir()) == [
        "context.jsonl",
        "evals.jsonl",
        "field_reports.jsonl",
        "flags.jsonl",
        "preferences.jsonl",
    ]
    assert all((out / p).read_bytes() == b"" for p in out.iterdir())


def test_admin_export_is_for_ld_managers_only(client, taught):
    roles.sync_role_permissions()  # as after migrate: authors may enter the admin
    client.force_login(UserFactory(roles=[roles.LD_AUTHOR]))
    assert client.get("/admin/corpus/").status_code == 403
    assert client.get("/admin/corpus/all/").status_code == 403
    client.force_login(UserFactory())  # an employee, who cannot even enter the admin
    assert client.get("/admin/corpus/flags/").status_code in (302, 403)
    client.force_login(taught["manager"])
    assert "preferences.jsonl" in client.get("/admin/corpus/").content.decode()
    archive = client.get("/admin/corpus/all/")
    assert archive["Content-Type"] == "application/zip"
    names = zipfile.ZipFile(io.BytesIO(archive.content)).namelist()
    assert sorted(names) == sorted(f"{n}.jsonl" for n in corpus.FILES)
    one = client.get("/admin/corpus/flags/")
    assert one.status_code == 200 and json.loads(one.content.decode().splitlines()[0])["spans"]
    assert client.get("/admin/corpus/secrets/").status_code == 404


def test_api_export_is_for_ld_managers_only(client, taught):
    client.force_login(UserFactory())
    refused = client.get("/api/v1/corpus/preferences")
    assert refused.status_code == 403 and "L&D managers" in refused.json()["detail"]
    client.force_login(taught["manager"])
    rows = client.get("/api/v1/corpus/context").json()
    check_shape("context", rows)
    assert client.get("/api/v1/corpus/nothing").status_code == 404


def test_each_file_loads_with_the_datasets_json_loader(taught, tmp_path):
    datasets = pytest.importorskip("datasets")
    corpus.corpus_write(out_dir=tmp_path / "corpus")
    for name in corpus.FILES:
        loaded = datasets.load_dataset(
            "json",
            data_files=str(tmp_path / "corpus" / f"{name}.jsonl"),
            split="train",
            cache_dir=str(tmp_path / "cache"),
        )
        assert set(loaded.column_names) == set(SHAPES[name])
        assert loaded.num_rows == 1
