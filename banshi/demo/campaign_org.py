"""The demo's campaign records: org (see banshi/demo/campaign.py)."""

import random

from banshi.campaign.models import Campaign


def seed(campaign: Campaign, rng: random.Random) -> str:
    """Create this part's demo records through the actions; say what was created."""
    return "未实现"
