"""The demo district's campaign work: the campaign itself, then each part's seeder
(organisation, meetings, tasks and practical-matter lists; study and lectures; supervision;
exemplars and good practices). Every figure of the report is the count of records created
here through the campaign's actions — never a stored number. Idempotent: a part already
seeded is skipped."""

import random

from banshi.campaign.choices import CampaignStatus
from banshi.campaign.models import Campaign

from . import campaign_exemplars, campaign_org, campaign_study, campaign_supervision
from .collection_common import CAMPAIGN_START

CAMPAIGN_NAME = "中原区党史学习教育暨“我为群众办实事”实践活动"
GOALS = "学史明理\n学史增信\n学史崇德\n学史力行"


def demo_campaign() -> Campaign:
    campaign, _ = Campaign.objects.get_or_create(
        name=CAMPAIGN_NAME,
        defaults={"started_on": CAMPAIGN_START, "goals": GOALS,
                  "status": CampaignStatus.RUNNING})
    return campaign


def seed_campaign(seed: int) -> list[str]:
    """Seed every part; one line per part saying what was created (or that it existed)."""
    campaign = demo_campaign()
    seeders = [
        ("组织机构、会议与任务", campaign_org.seed),
        ("学习与宣讲", campaign_study.seed),
        ("巡回督导", campaign_supervision.seed),
        ("评选与好做法", campaign_exemplars.seed),
    ]
    lines = []
    for offset, (label, seeder) in enumerate(seeders):
        lines.append(f"{label}：{seeder(campaign, random.Random(seed + 100 + offset))}")
    return lines
