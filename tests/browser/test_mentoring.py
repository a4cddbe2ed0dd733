"""Browser test of the loop on a real AI system, end to end (issue 12's "done when").

An employee meets a bad answer in a company tool (a page on another origin, served by a small
loopback server, embedding the Report-this-answer snippet), reports it through the snippet,
flags and corrects it, adds context and a test case; an owner confirms, approves, accepts and
publishes guidance v2; ``evals_run`` shows the case failing under v1 and passing under v2 with
the sample stand-in; the employee's dashboard and contributions page show it.
"""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from leaderboard.models import PointsAward
from tests.accounts.factories import UserFactory
from tests.mentoring.factories import FIXED_RECEIPT, LOST_RECEIPT, NO_RECEIPT_NEEDED, care_system
from tests.mentoring.helpers import publish, taught_report
from tests.support.browser import signed_in_page
from tests.support.loopback import LoopbackServer, QuietHandler

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

HELPDESK = """<!doctype html><html lang="en"><head><title>Helpdesk</title></head><body>
<h1>Ticket T-4711</h1><p>Customer: {asked}</p>
<p>Suggested reply: <span id="answer">{answer}</span></p>
<script src="{product}/static/mentoring/report-this-answer.js" data-system="{system}"></script>
</body></html>"""


class Helpdesk(LoopbackServer):
    """A company tool on its own origin that embeds the snippet."""

    def __init__(self, html: str):
        body = html.encode()

        class Handler(QuietHandler):
            def do_GET(self):
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.end_headers()
                self.wfile.write(body)

        super().__init__(Handler)
        self.url = f"{self.url}/tickets/T-4711"
        self.start()


def evals(capsys, slug, version):
    call_command("evals_run", "--system", slug, "--guidance", version)
    return capsys.readouterr().out.strip().splitlines()[-1]


def test_a_field_report_through_the_snippet_becomes_guidance_v2_that_fixes_a_case(
    new_page, live_server, capsys
):
    system = care_system(slug="care-drafter", name="Care reply drafter")
    owner, employee = UserFactory(), UserFactory()
    system.owners.add(owner)
    # v1 exists already (other context); its eval run has no case of ours yet.
    taught_report(system=system, reporter=UserFactory(), owner=owner, topic="delivery-times")
    publish(system=system, owner=owner)

    helpdesk = Helpdesk(
        HELPDESK.format(
            asked=LOST_RECEIPT,
            answer=NO_RECEIPT_NEEDED,
            product=live_server.url,
            system=system.slug,
        )
    )
    try:
        page = signed_in_page(new_page, live_server.url, employee)
        page.goto(helpdesk.url)
        page.locator("#answer").select_text()
        with page.context.expect_page() as opened:
            page.get_by_role("button", name="Report this answer").click()
        report_page = opened.value
        report_page.wait_for_load_state()
    finally:
        helpdesk.close()

    expect(
        report_page.get_by_role("textbox", name="What did it answer?", exact=True)
    ).to_have_value(NO_RECEIPT_NEEDED)
    expect(
        report_page.get_by_role("textbox", name="Where (a URL or ticket id)", exact=True)
    ).to_have_value(helpdesk.url)
    report_page.get_by_role("textbox", name="What was it asked?", exact=True).fill(LOST_RECEIPT)
    report_page.get_by_role("button", name="Send the report").click()
    expect(report_page.get_by_test_id("report-status")).to_have_text("New")
    expect(report_page.get_by_test_id("standin-notice")).to_contain_text("Demo stand-in")

    report_page.get_by_role(
        "textbox", name="The passage (copy it exactly from the answer)", exact=True
    ).fill("Receipts are never needed")
    report_page.get_by_role("combobox", name="What is wrong with it").select_option("hallucination")
    report_page.get_by_role("button", name="Add the flag").click()
    expect(report_page.get_by_test_id("flags")).to_contain_text("Factual error / hallucination")
    report_page.get_by_role("textbox", name="The answer it should have given", exact=True).fill(
        FIXED_RECEIPT
    )
    report_page.get_by_role("textbox", name="Why", exact=True).fill(
        "A proof of purchase is required; no cash refunds."
    )
    report_page.get_by_role("button", name="Save the correction").click()
    expect(report_page.get_by_test_id("correction")).to_contain_text("bank statement")
    report_page.get_by_role(
        "textbox", name="Topic (a few words, e.g. refund receipts)", exact=True
    ).fill("Refund receipts")
    report_page.get_by_role("textbox", name="What the AI did not know", exact=True).fill(
        "A refund needs a proof of purchase: a receipt, bank statement or order e-mail."
    )
    report_page.get_by_role("button", name="Add the context").click()
    report_page.get_by_role("textbox", name="Test input", exact=True).fill(LOST_RECEIPT)
    report_page.get_by_role("textbox", name="A good answer must…", exact=True).fill(
        'Ask for a "proof of purchase"'
    )
    report_page.get_by_role("textbox", name="A good answer must not…", exact=True).fill(
        'Say "never needed"'
    )
    report_page.get_by_role("button", name="Add the test case").click()
    expect(report_page.locator("#case")).to_contain_text("Waiting for an owner")

    # The owner triages: confirms the report, approves the context, accepts the case.
    owner_page = signed_in_page(new_page, live_server.url, owner)
    owner_page.goto(f"{live_server.url}/mentoring/systems/{system.slug}/triage/")
    row = owner_page.get_by_test_id("new-reports").locator("tr", has_text="Receipts are never")
    row.get_by_label("Reason (the reporter sees it)").fill("Right: receipts are required.")
    row.get_by_role("button", name="Decide").click()
    owner_page.get_by_test_id("pending-notes").get_by_role("button", name="Approve").click()
    owner_page.get_by_test_id("pending-cases").get_by_role(
        "button", name="Accept into the suite"
    ).click()
    expect(owner_page.get_by_test_id("pending-cases")).to_contain_text("Nothing waiting")
    assert evals(capsys, system.slug, "1") == "pass rate 0% (0/1)"

    owner_page.goto(f"{live_server.url}/mentoring/systems/{system.slug}/guidance/")
    expect(owner_page.get_by_test_id("guidance-diff")).to_contain_text("+ [refund-receipts]")
    owner_page.get_by_role("button", name="Publish v2").click()
    expect(owner_page.get_by_test_id("published-version")).to_have_text("v2")
    assert evals(capsys, system.slug, "2") == "pass rate 100% (1/1)"

    page = signed_in_page(new_page, live_server.url, employee)
    page.goto(f"{live_server.url}/")
    on_dashboard = page.get_by_test_id("sig-guidance")
    expect(on_dashboard).to_contain_text(f"in the guidance that {system.name} now answers with")
    on_dashboard.get_by_role("link", name="See what changed").click()
    expect(page).to_have_url(f"{live_server.url}/mentoring/me/")
    card = page.get_by_test_id(f"contribution-{system.slug}")
    expect(card).to_contain_text("guidance v2")
    expect(card.get_by_test_id("in-guidance")).to_contain_text("[refund-receipts]")
    expect(card.get_by_test_id("now-passing")).to_contain_text("I lost my receipt")
    expect(card.get_by_test_id("now-passing")).to_contain_text("failed with guidance v1")
    expect(card).to_contain_text("Right: receipts are required.")
    assert PointsAward.objects.filter(user=employee).count() == 3  # report, context, case
