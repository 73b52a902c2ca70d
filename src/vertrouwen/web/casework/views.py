"""The case manager's workspace (caseload, participant page and its forms) and the project lead's overview.

A case manager sees only the persons on their own caseload: any other person's page or form answers 404, so
that guessing ids tells nothing. Searching is a POST, so a BSN never reaches an address or a log; filters and
sorting are GET parameters with fixed values only.
"""

from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_POST

from vertrouwen.core import codes, privacy
from vertrouwen.core.rules import Regime, age_on, effective_regime
from vertrouwen.web.accounts.roles import KLANTMANAGER, PROJECTLEIDER
from vertrouwen.web.casework import forms, selectors, services
from vertrouwen.web.pages import render_page, role_required
from vertrouwen.web.refusals import show_at_fields
from vertrouwen.web.registry import selectors as registry_selectors
from vertrouwen.web.registry.services import benefits
from vertrouwen.web.settlement import services as settlement_services
from vertrouwen.web.settlement.selectors import history_of, rulebook
from vertrouwen.web.settlement.views import calculator_page
from vertrouwen.web.surveys import services as surveys
from vertrouwen.web.surveys.models import Invitation
from vertrouwen.web.surveys.selectors import entry_waves
from vertrouwen.web.surveys.views import staff_page

OVERDUE_SHOWN = 50
REGULAR = "regulier"  # the group filter's value for the regular service
SORTS = {
    "nummer": (gettext_lazy("Person number"), lambda e: e.person_number),
    "groep": (gettext_lazy("Group"), lambda e: (e.arm.position if e.arm else 999, e.person_number)),
    "status": (pgettext_lazy("case", "Status"), lambda e: (list(codes.CASE_STATUSES).index(e.status), e.person_number)),
    "halfjaargesprek": (gettext_lazy("Next review"),
                        lambda e: (e.next_review is None, e.next_review or e.today, e.person_number)),
    "contact": (gettext_lazy("Last contact"),
                lambda e: (e.last_contact is not None, e.last_contact or e.today, e.person_number)),
}


# ---------------------------------------------------------------------------------------------------------
# My caseload


@role_required(KLANTMANAGER)
def caseload(request):
    today = timezone.localdate()
    search = forms.SearchForm(request.POST or None, prefix="zoek")
    if request.method == "POST" and search.is_valid():
        query = search.cleaned_data["query"].strip()
        found = _find(request.user.pk, query)
        if found is not None:
            return redirect("casework:participant", pk=found)
        search.add_error("query", _("Nobody on your caseload has this person number or citizen service number."))
        if privacy.is_valid_bsn(query):  # a BSN is never echoed into the page
            search.data = search.data.copy()
            search.data[search.add_prefix("query")] = ""
    entries = selectors.caseload(request.user.pk, today)
    groups = _groups(entries)
    group, status = request.GET.get("groep", ""), request.GET.get("status", "")
    sort = request.GET.get("sorteer", "nummer")
    shown = [e for e in entries if _in_group(e, group) and (not status or e.status == status)]
    shown.sort(key=SORTS.get(sort, SORTS["nummer"])[1])
    return render_page(request, "casework/caseload.html", {
        "heading": _("My caseload"), "entries": shown, "total": len(entries), "today": today,
        "search": search, "groups": groups, "group": group, "statuses": list(codes.CASE_STATUSES.items()),
        "status": status, "sorts": [(code, label) for code, (label, _key) in SORTS.items()], "sort": sort,
        "overdue": sum(e.review_overdue for e in entries),
        "without_intake": sum(e.status == "zonder_startgesprek" for e in entries),
        "earnings_missing": sum(e.earnings_missing for e in entries),
        "declaration_month": selectors.declaration_month(today),
    }, role=KLANTMANAGER, status=400 if search.errors else 200)


def _find(case_manager_id: int, query: str) -> int | None:
    if privacy.is_valid_bsn(query):
        return selectors.find_in_caseload(case_manager_id,
                                          bsn_pseudonym=privacy.pseudonym(query, settings.PSEUDONYM_KEY))
    return selectors.find_in_caseload(case_manager_id, person_number=query)


def _groups(entries) -> list[tuple[str, str]]:
    """The filter's groups: every arm on the caseload, in order, then the regular service."""
    arms = {e.arm.id: e.arm for e in entries if e.arm is not None}
    return [(str(a.id), a.name) for a in sorted(arms.values(), key=lambda a: (a.position, a.id))] + [
        (REGULAR, _("Regular service"))]


def _in_group(entry, group: str) -> bool:
    if not group:
        return True
    if group == REGULAR:
        return entry.arm is None
    return entry.arm is not None and str(entry.arm.id) == group


# ---------------------------------------------------------------------------------------------------------
# The participant page and its forms


@role_required(KLANTMANAGER)
def participant(request, pk: int, *, bound: dict | None = None, revealed_bsn: str | None = None):
    today = timezone.localdate()
    file = selectors.participant_file(pk, today, case_manager_id=request.user.pk)
    bound = bound or {}
    open_form = next(iter(bound), None)
    context = {"heading": _("Person %(number)s") % {"number": file.person.external_id}, "file": file,
               "today": today, "open_form": open_form, "goal_choices": list(codes.GOALS.items()),
               "action_statuses": list(codes.ACTION_STATUSES.items()), "revealed_bsn": revealed_bsn}
    for name, form in _empty_forms(file).items():
        context[f"{name}_form"] = bound.get(name, form)
    return render_page(request, "casework/participant.html", context, role=KLANTMANAGER,
                       status=400 if bound else 200)


def _empty_forms(file) -> dict:
    current = file.current_goals
    goal_initial = {"goals": list(current.goals) if current else [],
                    "ladder_rung": current.ladder_rung if current else None,
                    "good_prospects": {True: "ja", False: "nee"}.get(current.good_prospects) if current else None}
    return {
        "intake": forms.ConversationForm(prefix="startgesprek"),
        "review": forms.ReviewForm(prefix="halfjaargesprek", actions=file.open_actions, initial=goal_initial),
        "action": forms.ActionForm(prefix="actie"),
        "contact": forms.ContactForm(prefix="contact"),
        "earnings": forms.EarningsForm(prefix="inkomsten",
                                       initial={"month": selectors.declaration_month(file.today)}),
        "bsn": forms.RevealBsnForm(prefix="bsn"),
        "stop": forms.StopForm(prefix="stoppen"),
        "sanction": forms.SanctionForm(prefix="maatregel"),
        "story": forms.StoryForm(prefix="verhaal"),
        "end_benefit": forms.EndBenefitForm(prefix="einde"),
        "questionnaire": forms.QuestionnaireEntryForm(prefix="vragenlijst", waves=entry_waves(file.person.pk,
                                                                                                file.today)),
        "start_benefit": forms.StartBenefitForm(prefix="herinstroom"),
        "correction": forms.CorrectionForm(prefix="correctie", initial={
            "month": file.settlements[0].settlement.month if file.settlements else None}),
        "sub_n": forms.SubNDecisionForm(prefix="vrijlating"),
    }


@dataclass(frozen=True)
class Step:
    """A form on the participant page: its class and prefix, the service call and what to say when done."""

    form: type
    prefix: str
    act: object  # (request, person_id, form, today) -> None
    done: str
    anchor: str


def _conversation_values(form) -> dict:
    data = form.cleaned_data
    return {"held_on": data["held_on"], "summary": data["summary"], "goals_in_own_words": data["goals_in_own_words"],
            "goals": data["goals"], "good_prospects": data["good_prospects"], "ladder_rung": data["ladder_rung"]}


STEPS = {
    "intake": Step(forms.ConversationForm, "startgesprek", lambda request, pk, form, today: services.record_intake(
        pk, **_conversation_values(form), today=today, actor=request.user),
        gettext_lazy("The intake is recorded."), "doelen"),
    "review": Step(forms.ReviewForm, "halfjaargesprek", lambda request, pk, form, today: services.record_review(
        pk, **_conversation_values(form), action_statuses=form.action_statuses(), today=today, actor=request.user),
        gettext_lazy("The half-yearly review is recorded."), "doelen"),
    "action": Step(forms.ActionForm, "actie", lambda request, pk, form, today: services.add_action(
        pk, **form.cleaned_data, today=today, actor=request.user), gettext_lazy("The action is added to the plan."),
        "plan"),
    "contact": Step(forms.ContactForm, "contact", lambda request, pk, form, today: services.log_contact(
        pk, **form.cleaned_data, today=today, actor=request.user), gettext_lazy("The contact is recorded."),
        "contacten"),
    "earnings": Step(forms.EarningsForm, "inkomsten", lambda request, pk, form, today: services.declare_earnings(
        pk, month=form.cleaned_data["month"], earnings_cents=form.earnings_cents(), hours=form.cleaned_data["hours"],
        today=today, actor=request.user), gettext_lazy("The earnings are recorded."), "inkomsten"),
    "stop": Step(forms.StopForm, "stoppen", lambda request, pk, form, today: services.stop_participation(
        pk, **form.cleaned_data, today=today, actor=request.user),
        gettext_lazy("The participation has ended; the benefit goes on under the regular rules."), "groep"),
    "sanction": Step(forms.SanctionForm, "maatregel", lambda request, pk, form, today: services.start_sanction(
        pk, **form.cleaned_data, today=today, actor=request.user), gettext_lazy("The measure is recorded."),
        "groep"),
    "story": Step(forms.StoryForm, "verhaal", lambda request, pk, form, today: services.record_story(
        pk, **form.cleaned_data, today=today, actor=request.user), gettext_lazy("The story is recorded."),
        "verhalen"),
    "end_benefit": Step(forms.EndBenefitForm, "einde", lambda request, pk, form, today: benefits.end_benefit(
        pk, **form.cleaned_data, today=today, actor=request.user), gettext_lazy("The benefit has ended."),
        "uitkering"),
    "start_benefit": Step(forms.StartBenefitForm, "herinstroom", lambda request, pk, form, today:
                          benefits.start_benefit(pk, **form.cleaned_data, today=today, actor=request.user),
                          gettext_lazy("The new benefit is recorded."), "uitkering"),
    "correction": Step(forms.CorrectionForm, "correctie", lambda request, pk, form, today:
                       settlement_services.correct_month(pk, form.cleaned_data["month"],
                                                         earnings_cents=form.earnings_cents(),
                                                         reason=form.cleaned_data["reason"], actor=request.user),
                       gettext_lazy("The correction is settled as a new version."), "verrekening"),
    "sub_n": Step(forms.SubNDecisionForm, "vrijlating", lambda request, pk, form, today:
                  settlement_services.decide_sub_n(pk, **form.cleaned_data, actor=request.user),
                  gettext_lazy("The decision is recorded; settled months from its date follow it."), "verrekening"),
}


@require_POST
@role_required(KLANTMANAGER)
def act(request, pk: int, step: str):
    """Submit one of the participant page's forms; on a refusal the page comes back with what was typed."""
    if step not in STEPS:
        raise Http404
    today = timezone.localdate()
    chosen = STEPS[step]
    file = selectors.participant_file(pk, today, case_manager_id=request.user.pk)  # 404 outside the caseload
    kwargs = {"actions": file.open_actions} if chosen.form is forms.ReviewForm else {}
    form = chosen.form(request.POST, prefix=chosen.prefix, **kwargs)
    if form.is_valid():
        try:
            chosen.act(request, pk, form, today)
        except (services.Refused, benefits.BenefitRefused) as refused:
            show_at_fields(form, refused)
        except settlement_services.SettlementRefused as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, chosen.done)
            return redirect(reverse("casework:participant", args=[pk]) + f"#{chosen.anchor}")
    return participant(request, pk, bound={step: form})


@require_POST
@role_required(KLANTMANAGER)
def start_questionnaire(request, pk: int):
    """Enter a questionnaire the participant answered on paper, with help or by telephone: the case manager does,
    for a person on their own caseload (a researcher never sees identified answers)."""
    today = timezone.localdate()
    file = selectors.participant_file(pk, today, case_manager_id=request.user.pk)  # 404 outside the caseload
    form = forms.QuestionnaireEntryForm(request.POST, prefix="vragenlijst", waves=entry_waves(pk, today))
    if form.is_valid():
        try:
            invitation = surveys.staff_invitation(int(form.cleaned_data["wave"]), file.person.external_id,
                                                  mode=form.cleaned_data["mode"], today=today, actor=request.user)
        except surveys.SurveyRefused as refused:
            show_at_fields(form, refused)
        else:
            return redirect("casework:questionnaire", pk=invitation.pk)
    return participant(request, pk, bound={"questionnaire": form})


@role_required(KLANTMANAGER)
def questionnaire(request, pk: int):
    """The questionnaire's pages, for the case manager of the person whose invitation it is; opening it with
    answers in it is an identified reading, in the audit trail."""
    invitation = Invitation.objects.select_related("wave", "person").filter(pk=pk).first()
    if invitation is None or invitation.mode == "online":
        raise Http404
    selectors.participant_file(invitation.person_id, timezone.localdate(), case_manager_id=request.user.pk)
    if request.method == "GET" and invitation.page > 0:
        surveys.record_entry_opened(invitation, actor=request.user)
    back = reverse("casework:participant", args=[invitation.person_id]) + "#vragenlijsten"
    return staff_page(request, invitation, reverse("casework:questionnaire", args=[pk]), back)


@require_POST
@role_required(KLANTMANAGER)
def reveal_bsn(request, pk: int):
    """Show the BSN once, on this response only (never in an address, never stored in the session)."""
    form = forms.RevealBsnForm(request.POST, prefix="bsn")
    if not form.is_valid():
        selectors.participant_file(pk, timezone.localdate(), case_manager_id=request.user.pk)  # 404 elsewhere
        return participant(request, pk, bound={"bsn": form})
    bsn = services.reveal_bsn(pk, case_manager=request.user, reason=form.cleaned_data["reason"])
    return participant(request, pk, revealed_bsn=bsn)


@require_POST
@role_required(KLANTMANAGER)
def action_status(request, pk: int, action_id: int):
    selectors.participant_file(pk, timezone.localdate(), case_manager_id=request.user.pk)  # 404 outside
    form = forms.ActionStatusForm(request.POST, prefix=f"actie{action_id}")
    if form.is_valid():
        try:
            services.update_action(pk, action_id, status=form.cleaned_data["status"], today=timezone.localdate(),
                                   actor=request.user)
            messages.success(request, _("The action's status is saved."))
        except services.Refused as refused:
            messages.error(request, str(refused))
    return redirect(reverse("casework:participant", args=[pk]) + "#plan")


@require_POST
@role_required(KLANTMANAGER)
def withdraw_consent(request, pk: int, story_id: int):
    selectors.participant_file(pk, timezone.localdate(), case_manager_id=request.user.pk)  # 404 outside
    try:
        services.withdraw_story_consent(pk, story_id, today=timezone.localdate(), actor=request.user)
        messages.success(request, _("The consent is withdrawn: the story is no longer used."))
    except services.Refused as refused:
        messages.error(request, str(refused))
    return redirect(reverse("casework:participant", args=[pk]) + "#verhalen")


# ---------------------------------------------------------------------------------------------------------
# The project lead's overview


@role_required(PROJECTLEIDER)
def overview(request, *, assign_form=None, move_form=None):
    today = timezone.localdate()
    experiments = registry_selectors.experiments()
    experiment = _chosen_experiment(experiments, request.GET.get("experiment"), today)
    managers = selectors.case_managers()
    overdue = selectors.overdue_reviews(today)
    context = {
        "heading": _("Guidance"), "today": today, "experiment": experiment, "experiments": experiments,
        "loads": selectors.caseload_per_case_manager(today),
        "overdue": overdue[:OVERDUE_SHOWN], "overdue_count": len(overdue),
        "assign_form": assign_form or forms.AssignForm(prefix="toewijzen", managers=managers),
        "move_form": move_form or forms.MoveForm(prefix="overdragen", managers=managers),
        "goals": list(codes.GOALS.items()),
    }
    if experiment is not None:
        arms = registry_selectors.arms_of(experiment)
        context.update(arms=arms, contact_months=selectors.contacts_per_participant(experiment, arms, today),
                       goals_by_arm=selectors.baseline_goals_by_arm(experiment, arms))
    return render_page(request, "casework/overview.html", context, role=PROJECTLEIDER,
                       status=400 if assign_form or move_form else 200)


def _chosen_experiment(experiments: list, chosen: str | None, today):
    """The experiment asked for, else the one running today, else the latest to start."""
    by_id = {e.id: e for e in experiments}
    if chosen and chosen.isdigit() and int(chosen) in by_id:
        return by_id[int(chosen)]
    running = [e for e in experiments if e.period_start <= today <= e.period_end]
    return (running or experiments or [None])[-1]


@require_POST
@role_required(PROJECTLEIDER)
def assign(request):
    form = forms.AssignForm(request.POST, prefix="toewijzen", managers=selectors.case_managers())
    if form.is_valid():
        try:
            moved = services.assign(form.numbers(), form.cleaned_data["case_manager"], on=form.cleaned_data["on"],
                                    actor=request.user)
        except services.Refused as refused:
            show_at_fields(form, refused)
        else:
            messages.success(request, _("%(count)s persons moved to the chosen caseload.") % {"count": moved})
            return redirect("casework:overview")
    return overview(request, assign_form=form)


@require_POST
@role_required(PROJECTLEIDER)
def move(request):
    form = forms.MoveForm(request.POST, prefix="overdragen", managers=selectors.case_managers())
    if form.is_valid():
        data = form.cleaned_data
        try:
            moved = services.move_caseload(data["from_case_manager"], data["to_case_manager"], on=data["on"],
                                           actor=request.user)
        except services.Refused as refused:
            show_at_fields(form, refused)
        else:
            messages.success(request, _("%(count)s persons moved to the chosen caseload.") % {"count": moved})
            return redirect("casework:overview")
    return overview(request, move_form=form)


@role_required(KLANTMANAGER)
def participant_calculator(request, pk: int):
    """The same calculator with a participant's own figures (only for their case manager)."""
    today = timezone.localdate()
    file = selectors.participant_file(pk, today, case_manager_id=request.user.pk)
    person = file.person
    latest = next(iter(file.earnings), None)
    arm = file.arm
    book = rulebook(person.municipality_id)
    initial = {"household_type": person.household_type, "start": today.replace(day=1),
               "regime": effective_regime(book, Regime.of_arm(arm.disregard_regime if arm else None), today).value,
               "earnings": latest.earnings_cents / 100 if latest else None,
               "age": age_on(today, person.birth_date, person.birth_year)}
    data = request.GET if "start" in request.GET else None
    return calculator_page(request, data, heading=_("What does %(number)s keep?") % {"number": person.external_id},
                       initial=initial, history=history_of(person), sub_n_granted=file.sub_n.granted_in(today),
                       person=person, book=book)
