"""The gate of the collection pages: staff who may see collection records at all."""

from functools import wraps

from django.shortcuts import render

from banshi.collection.permissions import may_see_collection

from ..common import staff_required


def collection_required(view):
    """Staff allowed to see collection records (each list then scoped by `visible_to`)."""

    @staff_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not may_see_collection(request.user):
            return render(request, "web/staff/forbidden.html", status=403)
        return view(request, *args, **kwargs)

    return wrapper
