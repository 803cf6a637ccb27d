"""/api/v1/campaign (org)."""

from ninja import Router

router = Router(tags=["campaign"])
