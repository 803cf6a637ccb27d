"""Shared test data (tests/shared.py): built once, unchanged by the tests that write into it,
absent from the tests that do not ask for it, out of the way of transactional tests.

The tests here run in file order: tests wanting the same layers stand together already (see
`group_by_layers`)."""

import pytest

from banshi.appeals.models import DeadlinePolicy
from banshi.org.models import Region, Unit

from .shared import layer

BUILDS: list[int] = []


@layer("d")
def counted(d):
    """A unit built on the district, counting its builds."""
    BUILDS.append(1)
    return Unit.objects.create(code="counted", name="计数单位", parent=d.cgj, region=d.district)


@pytest.mark.django_db
def test_a_marked_test_builds_them_under_its_own_transaction(counted):
    assert BUILDS == [1]
    assert Unit.objects.filter(code="counted").count() == 1


def test_a_test_writes_into_the_layers(d, counted):
    assert BUILDS == [1]
    counted.name = "改名"
    counted.save()
    d.cgj.name = "只在内存里改名"
    DeadlinePolicy.objects.all().delete()
    Region.objects.create(code="410102001003", name="新社区", level="community", parent=d.street)


def test_the_next_test_finds_them_as_built(d, counted):
    assert BUILDS == [1], "built once for both tests"
    assert Unit.objects.get(pk=counted.pk).name == counted.name == "计数单位"
    assert d.cgj.name == "区城市管理局"
    assert DeadlinePolicy.objects.count() == 3
    assert not Region.objects.filter(code="410102001003").exists()


def test_a_test_without_them_sees_an_empty_database(db):
    assert not Unit.objects.exists() and not Region.objects.exists()


def test_a_transactional_test_builds_its_own_and_commits(d, counted, transactional_db):
    assert BUILDS == [1, 1]
    assert Unit.objects.filter(code="counted").count() == 1


def test_after_the_flush_the_district_is_built_again(d):
    assert Unit.objects.filter(code="cgj").count() == 1
    assert not Unit.objects.filter(code="counted").exists()
