"""/api/v1/campaign (supervision)."""

from ninja import Router

router = Router(tags=["campaign"])
