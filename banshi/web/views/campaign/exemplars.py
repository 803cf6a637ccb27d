"""Exemplar pages. Staff (/staff/campaign/): the selections and their rounds, a round's
stages, nominations with their review and scores, 公示 objections, good practices with their
review. Public (/h5/campaign/): the vote page, the 公示 page with its objection form, the
published results and the published good practices, and the nominees' and stories' photos
(only those the public pages show). Views parse and call the actions; the actions decide."""


from django.contrib import messages
from django.db.models import Avg, Count, Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from banshi.appeals.errors import ActionError
from banshi.campaign.access import access_record
from banshi.campaign.actions import exemplars as actions
from banshi.campaign.choices import NominationStatus, ObjectionStatus, RoundStage, StoryStatus
from banshi.campaign.models import (
    GoodPractice,
    Nomination,
    Objection,
    Selection,
    SelectionRound,
)
from banshi.campaign.permissions import (
    is_office,
    may_record_for,
    may_score,
    may_see_campaign,
    units_for_recording,
)
from banshi.org.choices import UnitKind

from ... import ratelimit
from ...clients import device_id
from ...forms import apply_action_error
from ..resident import resident_page
from . import exemplar_forms as f
from .gates import campaign_required

# What the public pages show of a round: the candidates while voting, the results after.
SHOWN: dict[str, list[str]] = {RoundStage.SCORING: [NominationStatus.PASSED],
                                RoundStage.PUBLICITY: [NominationStatus.SELECTED],
                                RoundStage.PUBLISHED: [NominationStatus.SELECTED]}
PUBLIC_PHOTO = [NominationStatus.PASSED, NominationStatus.SELECTED]


def access_round(user, round_id: int) -> SelectionRound:
    """A round (selections are district-wide): 404 alike for missing and not allowed."""
    round_ = SelectionRound.objects.select_related("selection").filter(pk=round_id).first()
    if round_ is None or not may_see_campaign(user):
        raise Http404("评选轮次不存在")
    return round_


def visible_practices(user):
    """A unit's own stories in every state, and everyone's published ones."""
    return (GoodPractice.objects.visible_to(user)
            | GoodPractice.objects.filter(status=StoryStatus.PUBLISHED))


def _failed(request, exc: ActionError, form=None):
    if form is not None:
        apply_action_error(form, exc)
    messages.error(request, exc.message)


# ---------- selections and rounds ----------


@campaign_required
def selections(request):
    rounds = (SelectionRound.objects.select_related("selection")
              .annotate(nominated=Count("nominations", distinct=True),
                        selected=Count("nominations", distinct=True,
                                       filter=Q(nominations__status=NominationStatus.SELECTED)))
              .order_by("-selection_id", "-number"))
    return render(request, "web/campaign/exemplars/selections.html", {
        "rounds": rounds, "can_create": is_office(request.user),
        "can_write": units_for_recording(request.user).exists()})


@campaign_required
@require_http_methods(["GET", "POST"])
def selection_new(request):
    if not is_office(request.user):
        return render(request, "web/staff/forbidden.html", status=403)
    posted = request.method == "POST"
    form = f.SelectionForm(request.POST if posted else None)
    if posted and form.is_valid():
        try:
            round_ = actions.start_selection(actor=request.user, **form.selection_values(),
                                             **form.round_values())
        except ActionError as exc:
            apply_action_error(form, exc)
        else:
            messages.success(request, f"已发起评选“{round_.selection.name}”")
            return redirect("web:campaign-round", round_id=round_.pk)
    return render(request, "web/campaign/exemplars/selection_form.html", {"form": form},
                  status=422 if posted else 200)


@campaign_required
@require_http_methods(["GET", "POST"])
def round_new(request, pk: int):
    """Another round of a selection, with its own rules."""
    selection = access_record(request.user, Selection, pk=pk)
    if not is_office(request.user):
        return render(request, "web/staff/forbidden.html", status=403)
    posted = request.method == "POST"
    form = f.RoundForm(request.POST if posted else None)
    if posted and form.is_valid():
        try:
            round_ = actions.create_round(selection, actor=request.user, **form.round_values())
        except ActionError as exc:
            apply_action_error(form, exc)
        else:
            messages.success(request, f"已设置“{selection.name}”第{round_.number}轮")
            return redirect("web:campaign-round", round_id=round_.pk)
    return render(request, "web/campaign/exemplars/selection_form.html",
                  {"form": form, "selection": selection}, status=422 if posted else 200)


def _rows(user, round_: SelectionRound):
    return (Nomination.objects.visible_to(user).filter(round=round_).select_related("unit")
            .annotate(vote_count=Count("votes", distinct=True),
                      panel=Avg("scores__score"))
            .order_by("rank", "id"))


def render_round(request, round_: SelectionRound, *, status: int = 200, **forms):
    user = request.user
    at = actions.STAGES.index(round_.stage)
    stages = [(value, label, i < at, i == at) for i, (value, label)
              in enumerate(RoundStage.choices)]
    objections = (Objection.objects.filter(nomination__round=round_)
                  .select_related("nomination", "nomination__unit").order_by("raised_at", "id"))
    if not is_office(user):
        objections = objections.filter(nomination__in=Nomination.objects.visible_to(user))
    bound = forms.pop("handle", None)
    handle_forms = [(o, bound[1] if bound and bound[0] == o.pk else f.HandleObjectionForm(
        auto_id=f"id_objection{o.pk}_%s")) for o in objections]
    return render(request, "web/campaign/exemplars/round.html", {
        "round": round_, "selection": round_.selection, "stages": stages,
        "next_stage": RoundStage.choices[at + 1][1] if at + 1 < len(actions.STAGES) else "",
        "nominations": _rows(user, round_), "objections": handle_forms,
        "open_objections": sum(1 for o, _ in handle_forms if o.status == ObjectionStatus.OPEN),
        "is_office": is_office(user), "judge": may_score(user),
        "can_nominate": round_.stage == RoundStage.NOMINATING
        and units_for_recording(user).exists(),
        "kinds": [UnitKind(k).label for k in round_.eligible_unit_kinds],
    }, status=status)


@campaign_required
def round_detail(request, round_id: int):
    return render_round(request, access_round(request.user, round_id))


@campaign_required
@require_POST
def round_advance(request, round_id: int):
    round_ = access_round(request.user, round_id)
    try:
        round_ = actions.advance_round(round_, actor=request.user)
    except ActionError as exc:
        _failed(request, exc)
        return render_round(request, round_, status=exc.status)
    messages.success(request, f"已进入“{round_.get_stage_display()}”阶段")
    return redirect("web:campaign-round", round_id=round_.pk)


# ---------- nominations ----------


@campaign_required
@require_http_methods(["GET", "POST"])
def nomination_new(request, round_id: int):
    round_ = access_round(request.user, round_id)
    if not units_for_recording(request.user).exists():
        return render(request, "web/staff/forbidden.html", status=403)
    posted = request.method == "POST"
    form = f.NominationForm(request.POST if posted else None,
                            request.FILES if posted else None, user=request.user)
    if posted and form.is_valid():
        try:
            nomination = actions.nominate(round_, actor=request.user, **form.values())
        except ActionError as exc:
            apply_action_error(form, exc)
        else:
            messages.success(request, f"已推荐“{nomination.nominee}”")
            return redirect("web:campaign-nomination", pk=nomination.pk)
    return render(request, "web/campaign/exemplars/nomination_form.html",
                  {"form": form, "round": round_}, status=422 if posted else 200)


def render_nomination(request, nomination: Nomination, *, status: int = 200, **forms):
    user = request.user
    round_ = nomination.round
    own = nomination.scores.filter(judge_id=user.pk).first()
    return render(request, "web/campaign/exemplars/nomination.html", {
        "nomination": nomination, "round": round_,
        "scores": nomination.scores.select_related("judge").order_by("scored_at")
        if may_score(user) else [],
        "own_score": own, "votes": nomination.votes.count(),
        "objections": nomination.objections.all() if is_office(user) else [],
        "can_review": is_office(user) and round_.stage == RoundStage.REVIEWING
        and nomination.status == NominationStatus.PENDING,
        "can_score": may_score(user) and round_.stage == RoundStage.SCORING
        and nomination.status == NominationStatus.PASSED,
        "review_form": forms.get("review_form") or f.ReviewForm(),
        "score_form": forms.get("score_form") or f.ScoreForm(
            initial={"score": own.score} if own else None),
    }, status=status)


@campaign_required
def nomination_detail(request, pk: int):
    return render_nomination(request, access_record(request.user, Nomination, pk=pk))


@campaign_required
@require_POST
def nomination_review(request, pk: int):
    nomination = access_record(request.user, Nomination, pk=pk)
    form = f.ReviewForm(request.POST)
    if form.is_valid():
        try:
            actions.review_nomination(nomination, actor=request.user,
                                      passed=form.cleaned_data["decision"] == "pass",
                                      reason=form.cleaned_data["reason"])
        except ActionError as exc:
            _failed(request, exc, form)
            return render_nomination(request, nomination, status=exc.status, review_form=form)
        messages.success(request, "已审核")
        return redirect("web:campaign-nomination", pk=nomination.pk)
    return render_nomination(request, nomination, status=422, review_form=form)


@campaign_required
@require_POST
def nomination_score(request, pk: int):
    nomination = access_record(request.user, Nomination, pk=pk)
    form = f.ScoreForm(request.POST)
    if form.is_valid():
        try:
            actions.score_nomination(nomination, actor=request.user,
                                     score=form.cleaned_data["score"])
        except ActionError as exc:
            _failed(request, exc, form)
            return render_nomination(request, nomination, status=exc.status, score_form=form)
        messages.success(request, "已评分")
        return redirect("web:campaign-nomination", pk=nomination.pk)
    return render_nomination(request, nomination, status=422, score_form=form)


def _image(field) -> FileResponse:
    if not field:
        raise Http404("没有照片")
    extension = field.name.rsplit(".", 1)[-1].lower()
    kind = {"jpg": "image/jpeg", "png": "image/png", "webp": "image/webp"}.get(extension)
    if kind is None:
        raise Http404("没有照片")
    response = FileResponse(field.open("rb"), content_type=kind)
    response["X-Content-Type-Options"] = "nosniff"
    return response


@campaign_required
def nomination_photo(request, pk: int):
    return _image(access_record(request.user, Nomination, pk=pk).photo)


@campaign_required
@require_POST
def objection_handle(request, pk: int):
    objection = get_object_or_404(Objection.objects.select_related("nomination__round"), pk=pk,
                                  nomination__in=Nomination.objects.visible_to(request.user))
    round_ = objection.nomination.round
    form = f.HandleObjectionForm(request.POST, auto_id=f"id_objection{objection.pk}_%s")
    if form.is_valid():
        try:
            actions.handle_objection(objection, actor=request.user,
                                     upheld=form.cleaned_data["decision"] == "uphold",
                                     response=form.cleaned_data["response"])
        except ActionError as exc:
            _failed(request, exc, form)
            return render_round(request, round_, status=exc.status, handle=(objection.pk, form))
        messages.success(request, "已处理异议")
        return redirect("web:campaign-round", round_id=round_.pk)
    return render_round(request, round_, status=422, handle=(objection.pk, form))


# ---------- good practices (staff) ----------


@campaign_required
def practices(request):
    rows = visible_practices(request.user).select_related("unit").order_by("-created_at", "-id")
    status = request.GET.get("status", "")
    if status in StoryStatus.values:
        rows = rows.filter(status=status)
    return render(request, "web/campaign/exemplars/practices.html", {
        "practices": rows[:300], "statuses": StoryStatus.choices, "status": status,
        "can_write": units_for_recording(request.user).exists()})


@campaign_required
@require_http_methods(["GET", "POST"])
def practice_new(request):
    if not units_for_recording(request.user).exists():
        return render(request, "web/staff/forbidden.html", status=403)
    posted = request.method == "POST"
    form = f.PracticeForm(request.POST if posted else None, request.FILES if posted else None,
                          user=request.user)
    if posted and form.is_valid():
        data = form.cleaned_data
        try:
            practice = actions.write_practice(
                actor=request.user, unit=f.unit_of(data["unit"]), title=data["title"],
                body=data["body"], photo=data["photo"], submit=data["submit"])
        except ActionError as exc:
            apply_action_error(form, exc)
        else:
            messages.success(request, "已保存" + ("并提交审核" if data["submit"] else ""))
            return redirect("web:campaign-practice", pk=practice.pk)
    return render(request, "web/campaign/exemplars/practice_form.html",
                  {"form": form, "practice": None}, status=422 if posted else 200)


def _practice(user, pk: int) -> GoodPractice:
    found = visible_practices(user).filter(pk=pk).select_related("unit").first()
    if found is None or not may_see_campaign(user):
        raise Http404("好做法好经验不存在")
    return found


@campaign_required
@require_http_methods(["GET", "POST"])
def practice_edit(request, pk: int):
    practice = _practice(request.user, pk)
    if not may_record_for(request.user, practice.unit):
        return render(request, "web/staff/forbidden.html", status=403)
    posted = request.method == "POST"
    form = f.PracticeForm(request.POST if posted else None, request.FILES if posted else None,
                          user=request.user, editing=True,
                          initial={"title": practice.title, "body": practice.body})
    if posted and form.is_valid():
        data = form.cleaned_data
        try:
            actions.edit_practice(practice, actor=request.user, title=data["title"],
                                  body=data["body"], photo=data["photo"])
        except ActionError as exc:
            apply_action_error(form, exc)
        else:
            messages.success(request, "已保存")
            return redirect("web:campaign-practice", pk=practice.pk)
    return render(request, "web/campaign/exemplars/practice_form.html",
                  {"form": form, "practice": practice}, status=422 if posted else 200)


def render_practice(request, practice: GoodPractice, *, status: int = 200, review_form=None):
    user = request.user
    return render(request, "web/campaign/exemplars/practice.html", {
        "practice": practice,
        "can_edit": may_record_for(user, practice.unit)
        and practice.status in (StoryStatus.DRAFT, StoryStatus.RETURNED),
        "can_review": is_office(user) and practice.status == StoryStatus.SUBMITTED,
        "review_form": review_form or f.PracticeReviewForm(),
    }, status=status)


@campaign_required
def practice_detail(request, pk: int):
    return render_practice(request, _practice(request.user, pk))


@campaign_required
@require_POST
def practice_submit(request, pk: int):
    practice = _practice(request.user, pk)
    try:
        actions.submit_practice(practice, actor=request.user)
    except ActionError as exc:
        _failed(request, exc)
        return render_practice(request, practice, status=exc.status)
    messages.success(request, "已提交审核")
    return redirect("web:campaign-practice", pk=practice.pk)


@campaign_required
@require_POST
def practice_review(request, pk: int):
    practice = _practice(request.user, pk)
    form = f.PracticeReviewForm(request.POST)
    if form.is_valid():
        try:
            actions.review_practice(practice, actor=request.user,
                                    publish=form.cleaned_data["decision"] == "publish",
                                    note=form.cleaned_data["note"])
        except ActionError as exc:
            _failed(request, exc, form)
            return render_practice(request, practice, status=exc.status, review_form=form)
        messages.success(request, "已审核")
        return redirect("web:campaign-practice", pk=practice.pk)
    return render_practice(request, practice, status=422, review_form=form)


@campaign_required
def practice_photo(request, pk: int):
    return _image(_practice(request.user, pk).photo)


# ---------- public pages (/h5/campaign/) ----------


def _public_round(round_id: int, *stages: str) -> SelectionRound:
    round_ = SelectionRound.objects.select_related("selection").filter(pk=round_id).first()
    if round_ is None or round_.stage not in stages:
        raise Http404("评选不存在或未公开")
    return round_


def _public_nominees(round_: SelectionRound):
    return (round_.nominations.filter(status__in=SHOWN[round_.stage]).select_related("unit")
            .order_by("rank", "id"))


def render_vote(request, round_: SelectionRound, form, *, status: int = 200):
    return render(request, "web/campaign/exemplars/vote.html", {
        "round": round_, "selection": round_.selection, "form": form,
        "nominees": _public_nominees(round_), "chosen": request.POST.get("nomination", ""),
    }, status=status)


@resident_page
@require_http_methods(["GET", "POST"])
def vote(request, round_id: int):
    """The public vote page: the candidates with photo and deeds, one chosen, a phone."""
    round_ = _public_round(round_id, RoundStage.SCORING)
    if not round_.public_vote:
        raise Http404("本轮评选未开放群众投票")
    if request.method == "GET":
        return render_vote(request, round_, f.VoteForm())
    form = f.VoteForm(request.POST)
    nomination = _public_nominees(round_).filter(
        pk=request.POST.get("nomination", "") if request.POST.get("nomination", "").isdigit()
        else None).first()
    if nomination is None:
        form.add_error(None, "请先选择一位候选人")
    if nomination is None or not form.is_valid():
        return render_vote(request, round_, form, status=422)
    try:
        with ratelimit.reserve(request, "submit"):
            actions.cast_vote(nomination, phone=form.cleaned_data["phone"],
                              device=device_id(request))
    except ActionError as exc:
        apply_action_error(form, exc)
        return render_vote(request, round_, form, status=exc.status)
    return render(request, "web/campaign/exemplars/voted.html",
                  {"round": round_, "nomination": nomination})


@resident_page
def nominee_photo(request, pk: int):
    """A nominee's photo, only while a public page shows them."""
    nomination = Nomination.objects.filter(
        pk=pk, status__in=PUBLIC_PHOTO, round__stage__in=actions.PUBLIC_STAGES).first()
    if nomination is None:
        raise Http404("照片不存在")
    return _image(nomination.photo)


@resident_page
@require_http_methods(["GET", "POST"])
def publicity(request, round_id: int):
    """The 公示 page: the selected and the period, and the objection form."""
    round_ = _public_round(round_id, RoundStage.PUBLICITY)
    posted = request.method == "POST"
    form = f.ObjectionForm(request.POST if posted else None)
    if posted:
        pk = request.POST.get("nomination", "")
        nomination = _public_nominees(round_).filter(pk=pk if pk.isdigit() else None).first()
        if nomination is None:
            form.add_error(None, "请选择异议针对的入选人")
        elif form.is_valid():
            try:
                with ratelimit.reserve(request, "submit"):
                    actions.raise_objection(nomination, **form.cleaned_data)
            except ActionError as exc:
                apply_action_error(form, exc)
            else:
                return render(request, "web/campaign/exemplars/objected.html",
                              {"round": round_, "nomination": nomination})
    return render(request, "web/campaign/exemplars/publicity.html", {
        "round": round_, "selection": round_.selection, "nominees": _public_nominees(round_),
        "form": form, "chosen": request.POST.get("nomination", "")},
        status=422 if posted else 200)


@resident_page
def results(request, round_id: int):
    round_ = _public_round(round_id, RoundStage.PUBLISHED)
    return render(request, "web/campaign/exemplars/results.html", {
        "round": round_, "selection": round_.selection, "nominees": _public_nominees(round_)})


@resident_page
def public_practices(request):
    rows = (GoodPractice.objects.filter(status=StoryStatus.PUBLISHED).select_related("unit")
            .order_by("-published_on", "-id"))
    published = (SelectionRound.objects.filter(stage=RoundStage.PUBLISHED)
                 .select_related("selection").order_by("-published_on"))
    return render(request, "web/campaign/exemplars/public_practices.html",
                  {"practices": rows[:200], "rounds": published})


def _published(pk: int) -> GoodPractice:
    found = GoodPractice.objects.filter(pk=pk, status=StoryStatus.PUBLISHED).select_related(
        "unit").first()
    if found is None:
        raise Http404("文章不存在")
    return found


@resident_page
def public_practice(request, pk: int):
    return render(request, "web/campaign/exemplars/public_practice.html",
                  {"practice": _published(pk)})


@resident_page
def public_practice_photo(request, pk: int):
    return _image(_published(pk).photo)

