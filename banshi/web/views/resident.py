"""The resident's H5 pages: no login; the query code travels only in POST bodies and, for
the one display after submitting, in the server-side session (never in a URL)."""

from functools import wraps

from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from banshi.appeals import actions
from banshi.appeals.access import normalise_code, normalise_number, track_appeal
from banshi.appeals.choices import Channel, State
from banshi.appeals.photos import resident_photo
from banshi.appeals.public import own_photos, public_reply, public_timeline, reply_photos
from banshi.collection.actions.boxes import box_for_resident

from .. import ratelimit
from ..clients import submitter_key, with_device_cookie
from ..forms import RateForm, SubmitForm, TrackForm, apply_action_error

WRONG_CODE = "编号或查询码不正确"
SUBMITTED = "h5_submitted"  # session key: {"number", "title", "code"}; the code until shown once


def resident_page(view):
    """An H5 page: never cached, hands out the device cookie, answers a resident who is over
    a rate limit with the "too many" page."""

    @never_cache
    @with_device_cookie
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except ratelimit.RateLimited as limited:
            response = render(request, "web/h5/limited.html",
                              {"minutes": -(-limited.retry_after // 60)}, status=429)
            response["Retry-After"] = str(limited.retry_after)
            return response

    return wrapped


@resident_page
def landing(request):
    return render(request, "web/landing.html")


@resident_page
@require_http_methods(["GET", "POST"])
def submit(request):
    if request.method != "POST":  # ?box=<code>: an opinion box's QR label
        box = box_for_resident(request.GET.get("box", ""))
        initial = {"box": box.code, "region": box.region.code if box.region else ""} \
            if box else {}
        return render(request, "web/h5/submit.html",
                      {"form": SubmitForm(initial=initial), "box": box})
    form = SubmitForm(request.POST, request.FILES)
    box = box_for_resident(request.POST.get("box", ""))
    if form.is_valid():
        via = {"channel": Channel.OPINION_BOX, "source": box} if box else {
            "channel": Channel.ONLINE_FORM}
        try:
            with ratelimit.reserve(request, "submit"):
                appeal, code = actions.submit_appeal(**via, **form.appeal_fields(),
                                                     submitter_key=submitter_key(request))
        except actions.ActionError as exc:
            apply_action_error(form, exc)
        else:
            request.session[SUBMITTED] = {"number": appeal.number, "title": appeal.title,
                                          "code": code}
            return redirect("web:submitted")
    return render(request, "web/h5/submit.html", {"form": form, "box": box}, status=422)


@resident_page
@require_http_methods(["GET"])
def submitted(request):
    """The page after submitting: the number and, this once, the query code. A refresh
    shows the number only and files nothing."""
    shown = request.session.get(SUBMITTED)
    if not shown:
        return redirect("web:landing")
    code = shown.pop("code", "")
    request.session[SUBMITTED] = shown  # without the code: it is shown this once
    return render(request, "web/h5/submitted.html", shown | {"code": code})


def _track_context(appeal, code: str) -> dict:
    rate_form = None
    if appeal.state == State.RESOLVED:
        rate_form = RateForm(initial={"number": appeal.number, "code": code})
    timeline, reply = public_timeline(appeal), public_reply(appeal)
    return {"appeal": appeal, "timeline": timeline, "own_photos": own_photos(appeal),
            "reply": reply, "reply_photos": reply_photos(timeline) if reply else [],
            "rate_form": rate_form}


@resident_page
@require_http_methods(["GET", "POST"])
def track(request):
    if request.method != "POST":  # ?number= fills the number in (the code never travels so)
        number = normalise_number(request.GET.get("number", ""))[:TrackForm.NUMBER_MAX]
        return render(request, "web/h5/track.html",
                      {"form": TrackForm(initial={"number": number})})
    ratelimit.attempt(request, "track")
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


@resident_page
@require_POST
def rate(request):
    ratelimit.attempt(request, "track")
    form = RateForm(request.POST)
    try:
        appeal = track_appeal(request.POST.get("number", ""), request.POST.get("code", ""))
    except Http404:
        return render(request, "web/h5/track.html", {"form": TrackForm(), "error": WRONG_CODE})
    code, error = normalise_code(request.POST["code"]), ""
    if form.is_valid():
        data = form.cleaned_data
        try:
            appeal = actions.record_feedback(appeal, rating=data["rating"], solved=data["solved"],
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


@never_cache
@require_http_methods(["GET"])
def photo(request, token: str):
    """A photo the resident may see, by the signed link their tracking page gave them (it
    expires after limits.PHOTO_LINK_SECONDS); anything else is the same 404."""
    attachment = resident_photo(token)
    if attachment is None:
        raise Http404("照片不存在或链接已过期")
    return FileResponse(attachment.file.open("rb"), content_type=attachment.content_type)
