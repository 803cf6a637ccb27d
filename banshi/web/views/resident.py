"""The resident's H5 pages: no login; the query code travels only in POST bodies."""

from django.conf import settings
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from banshi.appeals import actions
from banshi.appeals.access import track_appeal
from banshi.appeals.choices import Channel, State
from banshi.appeals.public import public_reply, public_timeline

from .. import ratelimit
from ..forms import RateForm, SubmitForm, TrackForm, apply_action_error

WRONG_CODE = "编号或查询码不正确"


def landing(request):
    return render(request, "web/landing.html")


def too_many(request, rate: str):
    response = render(request, "web/h5/limited.html", status=429)
    response["Retry-After"] = str(ratelimit.parse_rate(rate)[1])
    return response


@never_cache
@require_http_methods(["GET", "POST"])
def submit(request):
    if request.method != "POST":
        return render(request, "web/h5/submit.html", {"form": SubmitForm()})
    if not ratelimit.hit("submit", request, settings.BANSHI_SUBMIT_RATE):
        return too_many(request, settings.BANSHI_SUBMIT_RATE)
    form = SubmitForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            appeal, code = actions.submit_appeal(channel=Channel.ONLINE_FORM,
                                                 **form.appeal_fields())
        except actions.ActionError as exc:
            apply_action_error(form, exc)
        else:
            return render(request, "web/h5/submitted.html", {"appeal": appeal, "code": code})
    return render(request, "web/h5/submit.html", {"form": form}, status=422)


def _track_context(appeal, code: str) -> dict:
    rate_form = None
    if appeal.state == State.RESOLVED:
        rate_form = RateForm(initial={"number": appeal.number, "code": code})
    return {"appeal": appeal, "timeline": public_timeline(appeal),
            "reply": public_reply(appeal), "rate_form": rate_form}


@never_cache
@require_http_methods(["GET", "POST"])
def track(request):
    if request.method != "POST":
        return render(request, "web/h5/track.html", {"form": TrackForm()})
    if not ratelimit.hit("track", request, settings.BANSHI_TRACK_RATE):
        return too_many(request, settings.BANSHI_TRACK_RATE)
    form = TrackForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            appeal = track_appeal(data["number"], data["code"])
        except Http404:
            return render(request, "web/h5/track.html",
                          {"form": TrackForm(initial={"number": data["number"]}),
                           "error": WRONG_CODE})
        else:
            return render(request, "web/h5/track.html", _track_context(appeal, data["code"]))
    return render(request, "web/h5/track.html", {"form": form}, status=422)


@never_cache
@require_POST
def rate(request):
    if not ratelimit.hit("track", request, settings.BANSHI_TRACK_RATE):
        return too_many(request, settings.BANSHI_TRACK_RATE)
    form = RateForm(request.POST)
    try:
        appeal = track_appeal(request.POST.get("number", ""), request.POST.get("code", ""))
    except Http404:
        return render(request, "web/h5/track.html", {"form": TrackForm(), "error": WRONG_CODE})
    code, error = request.POST["code"].strip(), ""
    if form.is_valid():
        data = form.cleaned_data
        try:
            appeal = actions.record_feedback(appeal, rating=data["rating"],
                                             comment=data["comment"], query_code=code)
        except actions.ActionError as exc:
            apply_action_error(form, exc, above=False)
            error = exc.message
        else:
            return render(request, "web/h5/track.html",
                          _track_context(appeal, code) | {"rated": True})
    context = _track_context(appeal, code) | {"error": error}
    if context["rate_form"] is not None:  # still open for rating: show what was entered
        context["rate_form"] = form
    return render(request, "web/h5/track.html", context, status=422)
