"""/api/v1/units, regions, categories, aspects: the district's reference data."""

from ninja import Router

from banshi.appeals.models import Aspect, Category
from banshi.org.models import Region, Unit

from . import schemas as s

router = Router(tags=["reference"])


@router.get("/units", response=list[s.UnitOut], auth=None, summary="承办单位(代码即工作人员账号名)")
def units(request):
    return [
        {
            "code": u.code,
            "name": u.name,
            "kind": u.kind,
            "level": u.level,
            "parent_code": u.parent.code if u.parent_id else None,
            "region_code": u.region.code if u.region_id else None,
        }
        for u in Unit.objects.filter(is_active=True).select_related("parent", "region")
    ]


@router.get("/regions", response=list[s.RegionOut], auth=None, summary="行政区划：区、街道、社区")
def regions(request):
    return [
        {
            "code": r.code,
            "name": r.name,
            "level": r.level,
            "parent_code": r.parent.code if r.parent_id else None,
        }
        for r in Region.objects.select_related("parent")
    ]


@router.get("/categories", response=list[s.CategoryOut], auth=None, summary="诉求分类(三级)")
def categories(request):
    return [
        {
            "code": c.code,
            "name": c.name,
            "level": c.level,
            "parent_code": c.parent.code if c.parent_id else None,
            "path": c.path_name,
        }
        for c in Category.objects.select_related("parent")
    ]


@router.get("/aspects", response=list[s.AspectOut], auth=None, summary="办实事方向")
def aspects(request):
    return list(Aspect.objects.values("code", "name", "description", "confirmed"))
