"""What the campaign actions share with the collection actions: field checks and the log."""

from banshi.collection.actions.common import (
    changed_fields,
    check_recording,
    day,
    optional_text,
    record_event,
    require_text,
)

__all__ = ["changed_fields", "check_recording", "day", "optional_text", "record_event",
           "require_text"]
