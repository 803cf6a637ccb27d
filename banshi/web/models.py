"""The web part's one table: the rate limiter's counters (used when Redis is not configured)."""

from django.db import models


class RateCounter(models.Model):
    """How many times one client address or device did one thing in one time window.

    `key` names the scope, the address or device (hashed) and the window; rows outlive their
    window by a minute and are then swept away by the limiter itself.
    """

    key = models.CharField(max_length=200, unique=True)
    count = models.PositiveIntegerField(default=0)
    expires_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"{self.key} = {self.count}"
