"""/api/v1/campaign (study)."""

from ninja import Router

router = Router(tags=["campaign"])
