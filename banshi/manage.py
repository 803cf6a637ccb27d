"""The `banshi` console command: Django management with dashed command names.

`banshi seed-demo` runs the `seed_demo` management command, so the documented
command names read naturally while the modules stay valid Python identifiers.
"""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "banshi.settings")
    from django.core.management import execute_from_command_line

    argv = list(sys.argv)
    argv[0] = "banshi"
    if len(argv) > 1 and not argv[1].startswith("-"):
        argv[1] = argv[1].replace("-", "_")
    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
