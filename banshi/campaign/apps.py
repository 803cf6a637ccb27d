from django.apps import AppConfig


class CampaignConfig(AppConfig):
    name = "banshi.campaign"
    label = "campaign"
    verbose_name = "活动组织与学习教育"
