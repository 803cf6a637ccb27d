"""The collection channels sit under one entry of the staff menu, 诉求征集, with their own
menu on every collection page (instead of seven more top-level links)."""

import re

import pytest
from django.urls import reverse

from .factories import login

PAGES = ["collection-stats", "symposiums", "questionnaires", "opinion-boxes",
         "household-visits", "liaisons", "online-groups"]


def menus(html: str) -> tuple[str, str]:
    main = re.search(r'<nav class="menu" aria-label="主菜单">(.*?)</nav>', html, re.S)
    sub = re.search(r'<nav class="menu submenu" aria-label="诉求征集">(.*?)</nav>', html, re.S)
    return (main.group(1) if main else ""), (sub.group(1) if sub else "")


@pytest.mark.parametrize("name", PAGES)
def test_every_collection_page_has_the_collection_menu_with_itself_current(client, d, name):
    login(client, "dispatcher")
    html = client.get(reverse(f"web:{name}")).content.decode()
    main, sub = menus(html)
    assert main.count("诉求征集") == 1 and 'aria-current="page">诉求征集' in main
    assert "座谈会" not in main and "意见箱" not in main  # not in the top row any more
    for other in PAGES:
        assert f'href="{reverse(f"web:{other}")}"' in sub
    current = re.findall(r'href="([^"]+)" aria-current="page"', sub)
    assert current == [reverse(f"web:{name}")]


def test_other_pages_have_no_collection_menu(client, d):
    login(client, "dispatcher")
    main, sub = menus(client.get(reverse("web:ledger")).content.decode())
    assert "诉求征集" in main and 'aria-current="page">诉求征集' not in main and sub == ""


def test_a_unit_sees_the_entry_too(client, d):
    login(client, d.community_staff.username)
    main, sub = menus(client.get(reverse("web:household-visits")).content.decode())
    assert "诉求征集" in main and "入户走访" in sub
