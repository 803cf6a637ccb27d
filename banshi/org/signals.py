"""A user's API tokens die with the credentials they were issued under.

Connected in OrgConfig.ready(). Saving a user whose password changed (set_password, the
admin's password form, `changepassword`) or who was deactivated deletes all of that user's
tokens; saves that touch neither field (e.g. last_login on every login) cost nothing.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver

from .models import ApiToken

_WATCHED = {"password", "is_active"}


def _credentials_changed(user, update_fields) -> bool:
    if user.pk is None or (update_fields is not None and not _WATCHED & set(update_fields)):
        return False
    before = (get_user_model()._base_manager.filter(pk=user.pk)
              .values("password", "is_active").first())
    if before is None:
        return False
    return before["password"] != user.password or (before["is_active"] and not user.is_active)


@receiver(pre_save, sender=settings.AUTH_USER_MODEL)
def _note_credential_change(sender, instance, update_fields=None, raw=False, **kwargs):
    instance._revoke_api_tokens = not raw and _credentials_changed(instance, update_fields)


@receiver(post_save, sender=settings.AUTH_USER_MODEL)
def _revoke_api_tokens(sender, instance, raw=False, **kwargs):
    if getattr(instance, "_revoke_api_tokens", False):
        ApiToken.objects.revoke_all(instance)
        instance._revoke_api_tokens = False
