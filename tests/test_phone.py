"""Phone numbers: a mainland mobile, a landline with its area code, or nothing — one rule
(banshi.appeals.validators) in the action, the H5 form, the staff entry form, the API and the
importer, each naming the field (or the row and column) in Chinese."""

import json

import pytest
from django.http import HttpRequest
from django.test import Client
from django.urls import reverse

from banshi.appeals import actions
from banshi.appeals.ledger import import_appeals
from banshi.appeals.models import Appeal
from banshi.appeals.validators import normalise_phone

from .factories import PASSWORD
from .test_ledger_import import LEDGER_HEADER, ledger_row, write_xlsx

GOOD = [
    ("13812345678", "13812345678"),
    ("138 1234 5678", "13812345678"),
    ("138-1234-5678", "13812345678"),
    ("+86 138 1234 5678", "13812345678"),
    ("１３８１２３４５６７８", "13812345678"),  # full-width digits
    ("19912345678", "19912345678"),
    ("0371-67181234", "0371-67181234"),
    ("037167181234", "0371-67181234"),
    ("(0371)67181234", "0371-67181234"),
    ("（0371）6718 1234", "0371-67181234"),
    ("010-62751234", "010-62751234"),
    ("01062751234", "010-62751234"),
    ("021-6123456", "021-6123456"),
    ("0371-67181234-8001", "0371-67181234-8001"),
    ("0371-67181234转8001", "0371-67181234-8001"),
    ("0371-67181234 ext. 12", "0371-67181234-12"),
    ("", ""),
    ("   ", ""),
]
BAD = ["12345678901", "1381234567", "138123456789", "67181234", "0371-0718123",
       "0371-67181234-", "phone", "12345", "110", "400-123-4567", "+1 212 555 0100"]


@pytest.mark.parametrize(("raw", "stored"), GOOD)
def test_the_rule_accepts_and_normalises(raw, stored):
    assert normalise_phone(raw) == stored


@pytest.mark.parametrize("raw", BAD)
def test_the_rule_refuses_in_chinese(raw):
    with pytest.raises(ValueError, match="电话号码格式不正确"):
        normalise_phone(raw)


APPEAL = {"title": "百花路路灯不亮", "content": "三盏路灯一周不亮"}


def test_the_action_validates_and_stores_the_normal_form(d):
    with pytest.raises(actions.InvalidInput) as refused:
        actions.submit_appeal(**APPEAL, contact_phone="12345")
    assert refused.value.field == "contact_phone" and "电话号码" in refused.value.message
    appeal, _ = actions.submit_appeal(**APPEAL, contact_phone="（0371）6718 1234")
    assert appeal.contact_phone == "0371-67181234"


@pytest.mark.parametrize("raw", ["12345", "0371-0718123"])
def test_the_api_names_the_field(d, raw):
    response = Client().post("/api/v1/appeals", json.dumps(APPEAL | {"contact_phone": raw}),
                             content_type="application/json")
    assert response.status_code == 422
    assert response.json()["field"] == "contact_phone"
    assert "电话号码格式不正确" in response.json()["detail"]
    assert not Appeal.objects.exists()


def test_the_api_stores_the_normal_form(d):
    response = Client().post("/api/v1/appeals",
                             json.dumps(APPEAL | {"contact_phone": "138 1234 5678"}),
                             content_type="application/json")
    assert response.status_code == 201
    assert Appeal.objects.get().contact_phone == "13812345678"


def _field_error(html: str) -> bool:
    return "电话号码格式不正确" in html


def test_the_h5_form_shows_the_field_error(d, client):
    data = APPEAL | {"region": d.community.code, "contact_phone": "12345"}
    response = client.post(reverse("web:submit"), data)
    assert response.status_code == 422 and _field_error(response.content.decode())
    assert not Appeal.objects.exists()
    response = client.post(reverse("web:submit"), data | {"contact_phone": "037167181234"})
    assert response.status_code == 302
    assert Appeal.objects.get().contact_phone == "0371-67181234"


def test_the_staff_entry_form_shows_the_field_error(d, client):
    assert client.login(request=HttpRequest(), username="dispatcher", password=PASSWORD)
    data = APPEAL | {"channel": "symposium", "collected_date": "2024-05-01",
                     "region": d.community.code, "contact_phone": "1381234567"}
    response = client.post(reverse("web:entry"), data)
    assert response.status_code == 422 and _field_error(response.content.decode())
    assert not Appeal.objects.exists()


def test_the_importer_reports_row_and_column(d, tmp_path):
    header = [*LEDGER_HEADER, "联系电话"]
    rows = [ledger_row(title="电话对") + ["0371 6718 1234"],
            ledger_row(title="电话错") + ["6718123"],
            ledger_row(title="没电话") + [""]]
    path = write_xlsx(tmp_path / "phones.xlsx", header, rows)
    report = import_appeals(path, filename=path.name)
    assert [(e.row, e.column) for e in report.errors] == [(3, "联系电话")]
    assert "电话号码格式不正确" in report.errors[0].message
    stored = dict(Appeal.objects.values_list("title", "contact_phone"))
    assert stored == {"电话对": "0371-67181234", "没电话": ""}
