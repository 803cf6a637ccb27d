"""台账下载 (issue 10): the ledgers page and a download per ledger, under staff/reports/."""

from django.urls import path

from banshi.reports.ledgers import KINDS

from .views.reports import ledgers

urlpatterns = [
    path("ledgers/", ledgers.ledgers, name="reports-ledgers"),
    *(path(f"ledgers/{kind}.xlsx", ledgers.download(kind), name=f"reports-ledger-{kind}")
      for kind in KINDS),
]
