"""Finding the public datasets (tests/datasets.py): beside the checkout or one of its
parents, or where BANSHI_SHARED_DIR says; a missing one skips, or fails under CI's
BANSHI_REQUIRE_SERVICES=1."""

import pytest

from . import datasets


def test_shared_is_found_beside_the_checkout_or_one_of_its_parents(tmp_path):
    checkout = tmp_path / "ci" / "clone" / "banshi"
    checkout.mkdir(parents=True)
    assert datasets.find_shared(None, checkout) is None
    (tmp_path / "shared" / "datasets").mkdir(parents=True)
    assert datasets.find_shared(None, checkout) == tmp_path / "shared"
    (tmp_path / "ci" / "clone" / "shared" / "datasets").mkdir(parents=True)
    assert datasets.find_shared(None, checkout) == tmp_path / "ci" / "clone" / "shared"
    assert datasets.find_shared(str(tmp_path / "elsewhere"), checkout) == tmp_path / "elsewhere"


def ending(name: str) -> tuple[str, str]:
    """How `messageboard(name)` ends the calling test: skip or fail, with its message."""
    try:
        datasets.messageboard(name)
    except pytest.skip.Exception as stop:
        return "skip", str(stop)
    except pytest.fail.Exception as stop:
        return "fail", str(stop)
    return "found", ""


def test_a_missing_dataset_skips_on_a_users_machine(monkeypatch):
    monkeypatch.delenv("BANSHI_REQUIRE_SERVICES", raising=False)
    kind, message = ending("no-such-file.csv")
    assert kind == "skip" and "BANSHI_SHARED_DIR" in message


def test_a_missing_dataset_fails_when_services_are_required(monkeypatch):
    monkeypatch.setenv("BANSHI_REQUIRE_SERVICES", "1")
    kind, message = ending("no-such-file.csv")
    assert kind == "fail" and "BANSHI_SHARED_DIR" in message and "\n" not in message


def test_a_clone_made_elsewhere_finds_shared_beside_the_repository_it_came_from(tmp_path):
    import subprocess

    work = tmp_path / "work"
    (work / "shared" / "datasets").mkdir(parents=True)
    source = work / "main"
    subprocess.run(["git", "init", "-q", str(source)], check=True)
    clone = tmp_path / "elsewhere" / "ci-clone"
    subprocess.run(["git", "clone", "-q", str(source), str(clone)], check=True,
                   capture_output=True)
    assert datasets.find_shared(None, clone) is None  # nothing beside the clone itself
    origin = datasets.cloned_from(clone)
    assert origin == source.resolve()
    assert datasets.find_shared(None, clone, origin) == work / "shared"
