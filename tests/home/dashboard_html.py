"""Reading the signed-in dashboard the way a person gets it: through HTTP, as its HTML."""

import re


def dashboard(client, user) -> str:
    """``user``'s dashboard page (signed in as them), which must answer 200."""
    client.force_login(user)
    response = client.get("/")
    assert response.status_code == 200
    return response.content.decode()


def panel(html: str, heading_id: str) -> str:
    """The section of the page that the heading with ``heading_id`` opens."""
    return html.split(f'id="{heading_id}"', 1)[1].split("</section>", 1)[0]


def figure(html: str, testid: str) -> str:
    """The text of the figure marked ``data-testid=testid``."""
    return re.search(rf'data-testid="{testid}">\s*([^<]*)<', html).group(1).strip()
