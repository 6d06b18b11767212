"""The workbench menu offers the items only some may use to those whose page lets them in, read from the check the
page itself makes: the audit page and the security log to the audit administrators, the open-data import and the
manual licence entry to publicity clerks and heads. Everyone else finds no link, and the page answers them 403."""

import pytest
from django.urls import reverse

GUARDED = {
    "audit:audit": {"auditor", "province_auditor"},
    "audit:security": {"auditor", "province_auditor"},
    "opendata-staff:import": {"clerk", "head"},
    "opendata-staff:licence-enter": {"clerk", "head"},
}
PERSONAS = ["officer", "reviewer", "head", "clerk", "admin", "security", "auditor", "province_auditor"]


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_menu_links_only_to_the_pages_the_persona_may_open(client, world, persona):
    client.force_login(getattr(world.people, persona))
    page = client.get(reverse("web:home")).content.decode()
    menu = page[page.index('<nav class="main"') : page.index("</nav>", page.index('<nav class="main"'))]
    for name, personas in GUARDED.items():
        url, offered = reverse(name), persona in personas
        assert (f'href="{url}"' in menu) is offered, (persona, name)
        assert client.get(url).status_code == (200 if offered else 403), (persona, name)
    # every member of staff reads the catalogue, the discretion benchmark and the legal-review catalogue
    assert reverse("cases:catalogue") in menu and reverse("review:catalogue") in menu
