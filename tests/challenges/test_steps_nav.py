"""The challenge page's step navigation (``challenges.selectors.steps_nav``): drawn once per
process per combination of open and done steps, with the markup the template's loop drew, and
following the page's steps on the next request."""

import itertools
import re

import pytest
from django.template import engines

from challenges.models import Reflection
from challenges.selectors import steps_nav
from tests.accounts.factories import UserFactory

STEPS = ("observe", "correct", "context", "test", "reflect")
LOOP = """{% for step in steps %}
      <li class="steps-nav__item{% if step.done %} is-done{% endif %}{% if not step.open %} is-closed{% endif %}"><a href="#step-{{ step.key }}">{{ forloop.counter }}. {{ step.key|title }}</a>{% if step.done %} <span class="tag tag--success">done</span>{% endif %}</li>
      {% endfor %}"""  # noqa: E501 - the template's loop as it was


def _tight(html) -> str:
    return re.sub(r">\s+<", "><", str(html)).strip()


def test_steps_nav_draws_what_the_templates_loop_drew():
    loop = engines["django"].from_string(LOOP)
    for bits in itertools.product([False, True], repeat=10):
        steps = [{"key": s, "open": bits[i], "done": bits[5 + i]} for i, s in enumerate(STEPS)]
        assert _tight(steps_nav(steps)) == _tight(loop.render({"steps": steps}))


def nav(client, challenge) -> str:
    html = client.get(challenge.url).content.decode()
    return html.split('class="steps-nav"', 1)[1].split("</nav>", 1)[0]


@pytest.mark.django_db
def test_the_page_shows_a_step_done_and_a_step_closed_on_the_next_request(client, challenge):
    ana = UserFactory()
    client.force_login(ana)
    before = nav(client, challenge)
    assert 'href="#step-reflect">5. Reflect</a></li>' in before and "is-done" not in before
    Reflection.objects.create(
        user=ana, challenge=challenge, what_changed="a", what_remains="b", tip=""
    )
    challenge.open_test = False
    challenge.save_revision().publish()
    after = nav(client, challenge)
    assert 'steps-nav__item is-done"><a href="#step-reflect">5. Reflect</a>' in after
    assert 'steps-nav__item is-closed"><a href="#step-test">4. Test</a></li>' in after
    # Another viewer's navigation has none of Ana's steps done.
    client.force_login(UserFactory())
    assert "is-done" not in nav(client, challenge)
