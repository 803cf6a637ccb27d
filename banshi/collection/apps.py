from django.apps import AppConfig


class CollectionConfig(AppConfig):
    name = "banshi.collection"
    label = "collection"
    verbose_name = "诉求征集"
