"""A page that is refused or not found keeps the user's way on: the workbench menu for staff, the portal's for the
public; the site has its icon."""

from django.urls import reverse


def test_a_page_not_found_in_the_workbench_keeps_the_menu(client, world):
    client.force_login(world.people.officer)
    response = client.get("/workbench/cases/999999/")
    body = response.content.decode()
    assert response.status_code == 404 and "页面不存在" in body
    assert 'aria-label="主菜单"' in body and reverse("cases:case-list") in body and "返回首页" in body


def test_a_refused_page_in_the_workbench_keeps_the_menu(client, world):
    client.force_login(world.people.officer)
    response = client.get(reverse("audit:audit"))
    body = response.content.decode()
    assert response.status_code == 403 and "无权操作" in body and 'aria-label="主菜单"' in body


def test_a_public_page_not_found_has_the_portal_menu(client, db):
    response = client.get("/decisions/999999/")
    body = response.content.decode()
    assert response.status_code == 404 and 'aria-label="公示栏目"' in body and "主菜单" not in body


def test_the_site_has_an_icon(client, db):
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"].endswith(".svg")
    assert 'rel="icon"' in client.get(reverse("web:login")).content.decode()


def test_every_workbench_page_names_the_app_manifest_even_one_that_refreshes_itself(client, world):
    from sanxiang.testing.cases import open_case

    case = open_case(world)
    client.force_login(world.people.officer)
    for url in (reverse("web:home"), reverse("cases:case-detail", args=[case.pk])):
        assert 'rel="manifest"' in client.get(url).content.decode(), url
