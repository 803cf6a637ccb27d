"""Study pages (学习与宣讲): the activities (scoped list, create and edit, the detail with its
photos and materials, sign-in list and QR code, closing the sign-in), the speakers and the
red education venues with their lectures and visits, and the public phone sign-in page the
QR code opens (/h5/campaign/study/<token>/)."""


import segno
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Q, Sum
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_http_methods, require_POST

from banshi.appeals.errors import ActionError, InvalidInput
from banshi.appeals.masking import mask_name
from banshi.campaign.access import access_record
from banshi.campaign.actions import study as actions
from banshi.campaign.choices import SpeakerKind
from banshi.campaign.models import Speaker, StudyActivity, Venue
from banshi.campaign.permissions import (
    is_office,
    may_manage_speaker,
    may_manage_venues,
    may_record_for,
    units_for_recording,
)
from banshi.collection.actions.symposiums import ATTACHMENT_BYTES_MAX

from ... import ratelimit
from ...clients import device_id
from ...forms import apply_action_error
from ..resident import resident_page
from .gates import campaign_required
from .study_forms import (
    ActivityFilter,
    ActivityForm,
    FileForm,
    SignInForm,
    SpeakerForm,
    VenueForm,
)

PAGE_SIZE = 50
LIST_MAX = 500  # a speaker's or venue's page lists at most this many activities


def forbidden(request):
    return render(request, "web/staff/forbidden.html", status=403)


# ---------- activities ----------


@campaign_required
def activity_list(request):
    filters = ActivityFilter(request.GET)
    found = filters.apply(StudyActivity.objects.visible_to(request.user))
    totals = found.aggregate(p=Sum("person_times"))
    rows = found.select_related("unit", "speaker", "venue").annotate(signed_in=Count("signins"))
    page = Paginator(rows.order_by("-held_on", "-id"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "web/campaign/study/list.html", {
        "page": page, "filters": filters, "total": page.paginator.count,
        "person_times": totals["p"] or 0,
        "can_create": units_for_recording(request.user).exists()})


def _save(request, form: ActivityForm, activity: StudyActivity | None):
    try:
        if activity is None:
            return actions.create_activity(actor=request.user, **form.values())
        return actions.update_activity(activity, actor=request.user, **form.values())
    except ActionError as exc:
        apply_action_error(form, exc, above=True)
        return None


@campaign_required
@require_http_methods(["GET", "POST"])
def activity_new(request):
    return _edit(request, None)


@campaign_required
@require_http_methods(["GET", "POST"])
def activity_edit(request, pk: int):
    activity = access_record(request.user, StudyActivity, pk=pk)
    if not may_record_for(request.user, activity.unit):
        return forbidden(request)
    return _edit(request, activity)


def _edit(request, activity: StudyActivity | None):
    if not units_for_recording(request.user).exists():
        return forbidden(request)
    posted = request.method == "POST"
    form = ActivityForm(request.POST if posted else None, user=request.user)
    if activity is not None and not posted:
        form.initial_from(activity)
    if posted and form.is_valid() and (saved := _save(request, form, activity)):
        messages.success(request, f"已保存学习活动：{saved.title}")
        return redirect("web:campaign-study-activity", pk=saved.pk)
    return render(request, "web/campaign/study/form.html",
                  {"form": form, "activity": activity}, status=422 if posted else 200)


def qr_svg(url: str) -> str:
    """An inline SVG QR code of `url` (segno), sized by the page's CSS."""
    return segno.make(url, error="m").svg_inline(scale=4, border=2, omitsize=True)


def signins_for(user, activity: StudyActivity) -> list:
    """The sign-in list, names masked (王*) for those who may not record for the unit."""
    signins = list(activity.signins.all())
    if not may_record_for(user, activity.unit):
        for person in signins:
            person.name = mask_name(person.name)
    return signins


def render_activity(request, activity: StudyActivity, *, status: int = 200,
                    file_form: FileForm | None = None, signin_form: SignInForm | None = None):
    url = request.build_absolute_uri(
        reverse("web:campaign-study-signin", args=[activity.signin_token]))
    files = list(activity.files.order_by("uploaded_at", "id"))
    signins = signins_for(request.user, activity)
    return render(request, "web/campaign/study/detail.html", {
        "activity": activity, "signins": signins, "signin_url": url,
        "qr": mark_safe(qr_svg(url)),  # noqa: S308 - segno's own SVG, the URL escaped by it
        "photos": [f for f in files if f.content_type in actions.IMAGE_TYPES],
        "materials": [f for f in files if f.content_type not in actions.IMAGE_TYPES],
        "can_record": may_record_for(request.user, activity.unit),
        "file_form": file_form or FileForm(),
        "signin_form": signin_form or SignInForm(auto_id="id_signin_%s"),
    }, status=status)


@campaign_required
def activity_detail(request, pk: int):
    activity = access_record(request.user, StudyActivity, pk=pk)
    return render_activity(request, activity)


@campaign_required
@require_POST
def activity_attach(request, pk: int):
    activity = access_record(request.user, StudyActivity, pk=pk)
    if not may_record_for(request.user, activity.unit):
        return forbidden(request)
    form = FileForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            if upload.size > ATTACHMENT_BYTES_MAX:  # refused before it is read
                raise InvalidInput("文件不能超过10MB", "file")
            actions.attach_file(activity, actor=request.user, name=upload.name,
                                data=upload.read())
        except ActionError as exc:
            apply_action_error(form, exc)
            return render_activity(request, activity, status=exc.status, file_form=form)
        messages.success(request, "已上传")
        return redirect("web:campaign-study-activity", pk=activity.pk)
    return render_activity(request, activity, status=422, file_form=form)


@campaign_required
def activity_file(request, pk: int, file_id: int):
    """A photo (shown in the page) or a material (downloaded)."""
    activity = access_record(request.user, StudyActivity, pk=pk)
    found = get_object_or_404(activity.files, pk=file_id)
    inline = found.content_type in actions.IMAGE_TYPES
    return FileResponse(found.file.open("rb"), as_attachment=not inline, filename=found.name,
                        content_type=found.content_type)


@campaign_required
@require_POST
def activity_signin_switch(request, pk: int):
    """Close the QR sign-in (or open it again): POST is_open=0/1."""
    activity = access_record(request.user, StudyActivity, pk=pk)
    is_open = request.POST.get("is_open") == "1"
    try:
        actions.set_signin_open(activity, actor=request.user, is_open=is_open)
    except ActionError as exc:
        messages.error(request, exc.message)
        return render_activity(request, activity, status=exc.status)
    messages.success(request, "已开放扫码签到" if is_open else "已关闭扫码签到")
    return redirect("web:campaign-study-activity", pk=activity.pk)


@campaign_required
@require_POST
def activity_signin_add(request, pk: int):
    """Staff add someone without a phone to the sign-in list."""
    activity = access_record(request.user, StudyActivity, pk=pk)
    if not may_record_for(request.user, activity.unit):
        return forbidden(request)
    form = SignInForm(request.POST, auto_id="id_signin_%s")
    if form.is_valid():
        try:
            actions.add_signin(activity, actor=request.user, **form.cleaned_data)
        except ActionError as exc:
            apply_action_error(form, exc)
            return render_activity(request, activity, status=exc.status, signin_form=form)
        messages.success(request, "已加入签到名单")
        return redirect("web:campaign-study-activity", pk=activity.pk)
    return render_activity(request, activity, status=422, signin_form=form)


@campaign_required
@require_POST
def activity_signin_remove(request, pk: int, signin_id: int):
    activity = access_record(request.user, StudyActivity, pk=pk)
    signin = get_object_or_404(activity.signins, pk=signin_id)
    try:
        actions.remove_signin(signin, actor=request.user)
    except ActionError as exc:
        messages.error(request, exc.message)
        return render_activity(request, activity, status=exc.status)
    messages.success(request, "已从签到名单移除")
    return redirect("web:campaign-study-activity", pk=activity.pk)


# ---------- the phone sign-in (public) ----------


@resident_page
@require_http_methods(["GET", "POST"])
def signin(request, token: str):
    """The phone sign-in page the activity's QR code opens (no login; rate-limited; once per
    device)."""
    activity = StudyActivity.objects.filter(signin_token=token[:64]).select_related(
        "unit").first()
    if activity is None:
        raise Http404("签到码无效")
    device = device_id(request)
    context = {"activity": activity, "signed_in": activity.signins.count()}
    if request.method != "POST":
        refusal = (actions.ALREADY_SIGNED_IN if actions.signed_in_on(activity, device)
                   else "" if activity.signin_open else actions.SIGN_IN_CLOSED)
        return render(request, "web/campaign/study/signin.html",
                      context | {"form": SignInForm(), "refusal": refusal})
    form = SignInForm(request.POST)
    refusal, status = "", 422
    if form.is_valid():
        try:
            with ratelimit.reserve(request, "signin"):
                person = actions.sign_in(activity, device=device, **form.cleaned_data)
        except ActionError as exc:
            if exc.field in form.fields:
                apply_action_error(form, exc)
            else:
                refusal, status = exc.message, exc.status
        else:
            return render(request, "web/campaign/study/signed_in.html",
                          {"activity": activity, "person": person})
    return render(request, "web/campaign/study/signin.html",
                  context | {"form": form, "refusal": refusal}, status=status)


# ---------- speakers ----------


def visible_activities(user):
    return StudyActivity.objects.visible_to(user)


def _with_lectures(speakers, user):
    """Speakers annotated with their lectures and audience (person-times) among the
    activities `user` may see."""
    seen = Q(lectures__in=visible_activities(user))
    return speakers.annotate(lecture_count=Count("lectures", filter=seen),
                             audience=Sum("lectures__person_times", filter=seen))


@campaign_required
def speaker_list(request):
    kind = request.GET.get("kind", "")
    speakers = Speaker.objects.select_related("unit")
    if kind in SpeakerKind.values:
        speakers = speakers.filter(kind=kind)
    rows = list(_with_lectures(speakers, request.user).order_by("kind", "name", "id"))
    by_kind: dict[str, dict] = {}
    for speaker in rows:
        entry = by_kind.setdefault(speaker.kind, {"label": speaker.get_kind_display(),
                                                  "speakers": 0, "lectures": 0, "audience": 0})
        entry["speakers"] += 1
        entry["lectures"] += speaker.lecture_count
        entry["audience"] += speaker.audience or 0
    return render(request, "web/campaign/study/speakers.html", {
        "speakers": rows, "kind": kind, "kinds": SpeakerKind.choices,
        "by_kind": [by_kind[k] for k in SpeakerKind.values if k in by_kind],
        "can_create": is_office(request.user) or units_for_recording(request.user).exists()})


@campaign_required
def speaker_detail(request, pk: int):
    speaker = access_record(request.user, Speaker, pk=pk)
    lectures = speaker.lectures.filter(pk__in=visible_activities(request.user)).select_related(
        "unit").order_by("-held_on", "-id")
    totals = lectures.aggregate(n=Count("id"), p=Sum("person_times"))
    return render(request, "web/campaign/study/speaker.html", {
        "speaker": speaker, "lectures": lectures[:LIST_MAX], "count": totals["n"],
        "audience": totals["p"] or 0,
        "can_edit": may_manage_speaker(request.user, speaker.unit)})


def _speaker_form(request, speaker: Speaker | None):
    office = is_office(request.user)
    if not office and not units_for_recording(request.user).exists():
        return forbidden(request)
    if speaker is not None and not may_manage_speaker(request.user, speaker.unit):
        return forbidden(request)
    posted = request.method == "POST"
    form = SpeakerForm(request.POST if posted else None, user=request.user, office=office)
    if speaker is not None and not posted:
        form.initial_from(speaker)
    if posted and form.is_valid():
        try:
            if speaker is None:
                saved = actions.create_speaker(actor=request.user, **form.values())
            else:
                saved = actions.update_speaker(speaker, actor=request.user, **form.values())
        except ActionError as exc:
            apply_action_error(form, exc, above=True)
        else:
            messages.success(request, f"已保存宣讲人：{saved.name}")
            return redirect("web:campaign-speaker", pk=saved.pk)
    return render(request, "web/campaign/study/speaker_form.html",
                  {"form": form, "speaker": speaker}, status=422 if posted else 200)


@campaign_required
@require_http_methods(["GET", "POST"])
def speaker_new(request):
    return _speaker_form(request, None)


@campaign_required
@require_http_methods(["GET", "POST"])
def speaker_edit(request, pk: int):
    return _speaker_form(request, access_record(request.user, Speaker, pk=pk))


# ---------- venues ----------


@campaign_required
def venue_list(request):
    seen = Q(visits__in=visible_activities(request.user))
    venues = list(Venue.objects.annotate(visit_count=Count("visits", filter=seen),
                                         person_times=Sum("visits__person_times", filter=seen))
                  .order_by("name"))
    return render(request, "web/campaign/study/venues.html", {
        "venues": venues, "visits": sum(v.visit_count for v in venues),
        "person_times": sum(v.person_times or 0 for v in venues),
        "can_create": may_manage_venues(request.user)})


@campaign_required
def venue_detail(request, pk: int):
    venue = access_record(request.user, Venue, pk=pk)
    visits = venue.visits.filter(pk__in=visible_activities(request.user)).select_related(
        "unit").order_by("-held_on", "-id")
    totals = visits.aggregate(n=Count("id"), p=Sum("person_times"))
    return render(request, "web/campaign/study/venue.html", {
        "venue": venue, "visits": visits[:LIST_MAX], "count": totals["n"],
        "person_times": totals["p"] or 0, "can_edit": may_manage_venues(request.user)})


def _venue_form(request, venue: Venue | None):
    if not may_manage_venues(request.user):
        return forbidden(request)
    posted = request.method == "POST"
    form = VenueForm(request.POST if posted else None)
    if venue is not None and not posted:
        form.initial_from(venue)
    if posted and form.is_valid():
        try:
            if venue is None:
                saved = actions.create_venue(actor=request.user, **form.cleaned_data)
            else:
                saved = actions.update_venue(venue, actor=request.user, **form.cleaned_data)
        except ActionError as exc:
            apply_action_error(form, exc, above=True)
        else:
            messages.success(request, f"已保存红色教育基地：{saved.name}")
            return redirect("web:campaign-venue", pk=saved.pk)
    return render(request, "web/campaign/study/venue_form.html",
                  {"form": form, "venue": venue}, status=422 if posted else 200)


@campaign_required
@require_http_methods(["GET", "POST"])
def venue_new(request):
    return _venue_form(request, None)


@campaign_required
@require_http_methods(["GET", "POST"])
def venue_edit(request, pk: int):
    return _venue_form(request, access_record(request.user, Venue, pk=pk))
