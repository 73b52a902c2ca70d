"""The lottery pages: only the onderzoeker sees them, before and after a draw (concealment)."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from vertrouwen.core import codes
from vertrouwen.core.evaluation.plan import PLAN_FILE
from vertrouwen.core.lottery.randomization import METHOD_LABELS
from vertrouwen.core.lottery.strata import ATTRIBUTE_LABELS, STRATUM_VARIABLES
from vertrouwen.web.accounts.roles import ONDERZOEKER
from vertrouwen.web.lottery import selectors, services
from vertrouwen.web.lottery.forms import AnswerForm, DrawForm, PersonForm, PlanForm, person_numbers
from vertrouwen.web.lottery.models import Draw, PlanVersion
from vertrouwen.web.pages import render_page, role_required
from vertrouwen.web.refusals import show_at_fields
from vertrouwen.web.registry import selectors as registry_selectors
from vertrouwen.web.registry.models import Experiment


@role_required(ONDERZOEKER)
def index(request):
    current = registry_selectors.current_experiment()
    if current is None:
        messages.info(request, _("Set up an experiment first."))
        return redirect("design:index")
    return redirect("lottery:experiment", pk=current.id)


@role_required(ONDERZOEKER)
def experiment(request, pk: int, *, draw_form=None, person_forms=None):
    chosen = get_object_or_404(Experiment.objects.select_related("municipality"), pk=pk)
    today = timezone.localdate()
    forms = person_forms or {}
    return render_page(request, "lottery/experiment.html", {
        "heading": _("Lottery"), "experiment": chosen, "draws": selectors.draws_of(chosen),
        "plan_versions": selectors.plan_versions(chosen),
        "candidates": len(selectors.candidate_ids(chosen, today)), "today": today,
        "draw_form": draw_form or DrawForm(),
        "invite_form": forms.get("invite") or PersonForm(prefix="uitnodiging"),
        "answer_form": forms.get("answer") or AnswerForm(prefix="antwoord"),
        "allocate_form": forms.get("allocate") or PersonForm(prefix="toewijzing"),
    }, status=400 if draw_form or person_forms else 200)


@role_required(ONDERZOEKER)
def plan(request, pk: int):
    """The analysis plan: every version registered, and the form that registers the first or amends it."""
    chosen = get_object_or_404(Experiment.objects.select_related("municipality"), pk=pk)
    versions = selectors.plan_versions(chosen)
    form = PlanForm(request.POST or None, contrasts=selectors.planned_contrasts(chosen),
                    plan=selectors.proposed_plan(chosen))
    if request.method == "POST" and form.is_valid():
        try:
            made = services.register_plan(pk, form.plan(), on=form.cleaned_data["registered_on"],
                                          reason=form.cleaned_data["reason"], actor=request.user)
        except services.LotteryRefused as refused:
            _show_refusal(form, refused)
        else:
            messages.success(request, _("Version %(version)s of the analysis plan is registered.")
                             % {"version": made.version})
            return redirect("lottery:plan", pk=pk)
    current = selectors.registered_plan(chosen)
    return render_page(request, "lottery/plan.html", {
        "heading": _("Analysis plan"), "experiment": chosen, "versions": versions, "form": form,
        "described": current.described() if current else [], "today": timezone.localdate(),
        "open": timezone.localdate() < chosen.count_date,
    }, status=400 if request.method == "POST" else 200)


@role_required(ONDERZOEKER)
def plan_file(request, pk: int):
    """One version of the plan as its canonical JSON file: the file `vertrouwen evaluate` and
    `vertrouwen verify-allocations --plan` read, byte for byte the text that was hashed."""
    found = get_object_or_404(PlanVersion, pk=pk)
    response = HttpResponse(found.text.encode("utf-8"), content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(True, PLAN_FILE)
    return response


@require_POST
@role_required(ONDERZOEKER)
def draw(request, pk: int):
    get_object_or_404(Experiment, pk=pk)
    form = DrawForm(request.POST)
    if not form.is_valid():
        return experiment(request, pk, draw_form=form)
    data = form.cleaned_data
    draw_request = services.DrawRequest(
        drawn_on=data["drawn_on"], method=data["method"], strata=tuple(data["strata"]),
        cohort_month=data["cohort_month"] if data["source"] == "cohort" else None,
        person_numbers=tuple(person_numbers(data["numbers"])) if data["source"] == "list" else None)
    try:
        made = services.draw_lottery(pk, draw_request, actor=request.user)
    except services.LotteryRefused as refused:
        _show_refusal(form, refused)
        return experiment(request, pk, draw_form=form)
    messages.success(request, _("Draw %(number)s is made: %(size)s persons allocated.")
                     % {"number": made.sequence, "size": made.size})
    return redirect("lottery:draw_detail", pk=made.pk)


@role_required(ONDERZOEKER)
def draw_detail(request, pk: int):
    made = get_object_or_404(Draw.objects.select_related("experiment"), pk=pk)
    summary = selectors.draws_of(made.experiment, only=made.pk)[0]
    balance = selectors.draw_balance(made)
    names = dict(made.experiment.arms.values_list("code", "name"))
    return render_page(request, "lottery/draw.html", {
        "heading": _("Draw %(number)s") % {"number": made.sequence}, "draw": summary, "experiment": made.experiment,
        "method": METHOD_LABELS.get(made.method, made.method),
        "strata": [STRATUM_VARIABLES.get(s, s) for s in made.strata],
        "balance": balance, "arm_names": [names.get(code, code) for code in balance.arms],
        "control_name": names.get(balance.control, balance.control),
        "compared": [names.get(code, code) for code in balance.arms if code != balance.control],
        "balance_rows": _balance_rows(balance)})


# The Dutch words for the values of the coded person attributes in the balance table.
LEVEL_LABELS = {"sex": codes.SEX, "household_type": codes.HOUSEHOLD_TYPES, "limitation": codes.LIMITATIONS,
                "education": codes.EDUCATION_LEVELS}


def _balance_rows(balance) -> list[dict]:
    """The balance table as rows for the template: per covariate and level, the cells in arm order."""
    labels = dict(balance.labels)
    return [{"label": labels.get(covariate, ATTRIBUTE_LABELS.get(covariate, covariate)),
             "level": LEVEL_LABELS.get(covariate, {}).get(level, level), "numeric": level is None, "cells": cells}
            for (covariate, level), cells in balance.grouped()]


@require_POST
@role_required(ONDERZOEKER)
def invite(request, pk: int):
    return _person_action(request, pk, "invite", PersonForm, lambda data: services.record_invitation(
        pk, data["person_number"], invited_on=data["on"], actor=request.user),
        _("The invitation of %(person)s is recorded."))


@require_POST
@role_required(ONDERZOEKER)
def answer(request, pk: int):
    return _person_action(request, pk, "answer", AnswerForm, lambda data: services.record_answer(
        pk, data["person_number"], consented=data["answer"] == "yes", on=data["on"], actor=request.user),
        _("The answer of %(person)s is recorded."))


@require_POST
@role_required(ONDERZOEKER)
def allocate(request, pk: int):
    def allocate_one(data):
        made = services.allocate_person(pk, data["person_number"], on=data["on"], actor=request.user)
        messages.info(request, _("%(person)s is in the group %(arm)s.")
                      % {"person": made.person.external_id, "arm": made.arm.name})

    return _person_action(request, pk, "allocate", PersonForm, allocate_one, "")


PREFIXES = {"invite": "uitnodiging", "answer": "antwoord", "allocate": "toewijzing"}


def _show_refusal(form, refused: services.LotteryRefused) -> None:
    """The first problems on the form, and how many more there are: a caseload can have thousands."""
    show_at_fields(form, refused, _("and %(count)s more"))


def _person_action(request, pk: int, name: str, form_class, act, done: str):
    get_object_or_404(Experiment, pk=pk)
    form = form_class(request.POST, prefix=PREFIXES[name])
    if form.is_valid():
        try:
            act(form.cleaned_data)
        except services.LotteryRefused as refused:
            _show_refusal(form, refused)
        else:
            if done:
                messages.success(request, done % {"person": form.cleaned_data["person_number"]})
            return redirect("lottery:experiment", pk=pk)
    return experiment(request, pk, person_forms={name: form})
