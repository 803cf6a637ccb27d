"""Where the public datasets live: ../shared next to the checkout, or $BANSHI_SHARED_DIR.

They are read at run time, never copied into the project; tests that need them skip with a
one-line reason when they are absent (e.g. on a user's machine).
"""

import os
from pathlib import Path

import pytest

SHARED = Path(os.environ.get("BANSHI_SHARED_DIR")
              or Path(__file__).resolve().parents[1].parent / "shared")
MESSAGEBOARD = SHARED / "datasets" / "messageboard"


def messageboard(name: str) -> Path:
    """The dataset file, or skip the calling test with a one-line reason."""
    path = MESSAGEBOARD / name
    if not path.exists():
        pytest.skip(f"dataset not found at {path} (set BANSHI_SHARED_DIR)")
    return path
