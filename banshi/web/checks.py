"""System checks for how the site is deployed."""

import stat

from django.conf import settings
from django.core.checks import Warning, register


@register()
def data_dir_is_private(app_configs, **kwargs):
    mode = stat.S_IMODE(settings.DATA_DIR.stat().st_mode)
    if mode & 0o077:
        return [Warning(f"The data directory {settings.DATA_DIR} is open to others ({mode:o}).",
                        hint="It holds residents' personal data: chmod 700 it (and 600 its "
                             "files) as the user that runs Banshi.", id="banshi.W001")]
    return []
