"""Where the public datasets live: $BANSHI_SHARED_DIR, else the first `shared` folder holding
`datasets/` beside the checkout or beside one of its parents (../shared, ../../shared, ...),
else the same beside the repository this checkout was cloned from (a CI clone made elsewhere
still finds the `shared` folder of the working copy it came from).

They are read at run time, never copied into the project. Tests that need them skip with a
one-line reason when they are absent (e.g. on a user's machine), and fail instead with
BANSHI_REQUIRE_SERVICES=1 (CI), so a check is never lost silently.
"""

import os
import subprocess
from pathlib import Path

import pytest

CHECKOUT = Path(__file__).resolve().parents[1]


def cloned_from(checkout: Path = CHECKOUT) -> Path | None:
    """The local repository `checkout` was cloned from (its `origin`), if it is a folder."""
    try:
        url = subprocess.run(["git", "-C", str(checkout), "remote", "get-url", "origin"],
                             capture_output=True, text=True, timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    path = Path(url.removeprefix("file://")) if url else None
    return path.resolve() if path is not None and path.is_dir() else None


def find_shared(env: str | None = None, start: Path = CHECKOUT,
                origin: Path | None = None) -> Path | None:
    """$BANSHI_SHARED_DIR as given, else the nearest `shared/datasets` beside `start`'s
    parents, else beside `origin`'s; None when there is none."""
    if env:
        return Path(env)
    for base in filter(None, [start, origin]):
        for parent in base.parents:
            if (parent / "shared" / "datasets").is_dir():
                return parent / "shared"
    return None


SHARED = (find_shared(os.environ.get("BANSHI_SHARED_DIR"))
          or find_shared(origin=cloned_from()))
MESSAGEBOARD = (SHARED or CHECKOUT.parent / "shared") / "datasets" / "messageboard"


def messageboard(name: str) -> Path:
    """The dataset file, or skip the calling test (fail it under BANSHI_REQUIRE_SERVICES=1)
    with a one-line reason."""
    path = MESSAGEBOARD / name
    if not path.is_file():
        message = (f"dataset {name} not found at {path}: set BANSHI_SHARED_DIR to the folder "
                   "that holds datasets/messageboard")
        if os.environ.get("BANSHI_REQUIRE_SERVICES") == "1":
            pytest.fail(message)
        pytest.skip(message)
    return path
