"""The interface is Chinese whatever language the browser asks for."""

import pytest
from django.urls import reverse


@pytest.mark.parametrize("accept", ["en-US,en;q=0.9", "de-DE", "zh-TW", ""])
def test_the_login_page_is_chinese_for_every_browser_language(client, db, accept):
    body = client.get(reverse("web:login"), HTTP_ACCEPT_LANGUAGE=accept).content.decode()
    assert "用户名" in body and "密码" in body
    assert "Username" not in body and "Password" not in body
