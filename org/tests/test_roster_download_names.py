"""The roster's download names are in the user's language, Chinese by default; a Chinese name is
sent the RFC 6266 way (filename*=utf-8''…) so browsers keep it."""

from urllib.parse import quote

import pytest
from django.urls import reverse
from django.utils import timezone, translation


@pytest.fixture
def admin(world):
    with translation.override(None):  # the requests below activate the user's language
        yield world.district_admin


@pytest.mark.parametrize(
    ("language", "export", "template"),
    [
        ("zh-hans", "业务员名单-%s.xlsx", "业务员名单导入模板.xlsx"),
        ("en", "agent-roster-%s.xlsx", "agent-roster-import-template.xlsx"),
    ],
)
def test_roster_download_names_follow_the_users_language(client, admin, language, export, template):
    admin.language = language
    admin.save(update_fields=["language"])
    client.force_login(admin)

    response = client.get(reverse("org:agent_export"))
    assert response.status_code == 200
    name = export % f"{timezone.localdate():%Y%m%d}"
    if language == "zh-hans":
        assert f"filename*=utf-8''{quote(name)}" in response["Content-Disposition"]
    else:
        assert f'filename="{name}"' in response["Content-Disposition"]

    response = client.get(reverse("org:roster_template"))
    assert response.status_code == 200
    assert quote(template) in response["Content-Disposition"]
