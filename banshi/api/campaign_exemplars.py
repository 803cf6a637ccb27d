"""/api/v1/campaign (exemplars)."""

from ninja import Router

router = Router(tags=["campaign"])
