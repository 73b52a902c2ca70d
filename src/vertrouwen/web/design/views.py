"""Experiment set-up for the projectleider and the onderzoeker: choose a template, adjust, see the power."""

from django import forms
from django.contrib import messages
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from vertrouwen.core.designs import DESIGNS
from vertrouwen.web.accounts.roles import ONDERZOEKER, PROJECTLEIDER
from vertrouwen.web.design import selectors, services
from vertrouwen.web.design.forms import ArmFormSet, ExperimentForm, arms_of
from vertrouwen.web.lottery.models import Draw
from vertrouwen.web.nlds_forms import NldsFormMixin
from vertrouwen.web.pages import render_page, role_required
from vertrouwen.web.refusals import show_at_fields
from vertrouwen.web.registry.models import Experiment, Municipality

SET_UP = (PROJECTLEIDER, ONDERZOEKER)
SCRATCH = "zelf"  # the "template" that starts from two empty groups


class MunicipalityForm(NldsFormMixin, forms.ModelForm):
    """Asked only when the installation has no municipality yet."""

    class Meta:
        model = Municipality
        fields = ("code", "name")


@role_required(*SET_UP)
def index(request):
    experiments = Experiment.objects.order_by("period_start", "id").prefetch_related("arms")
    return render_page(request, "design/index.html", {
        "heading": _("Experiment set-up"), "experiments": experiments, "templates": services.templates(),
        "scratch": SCRATCH})


@role_required(*SET_UP)
def new(request):
    template = request.GET.get("sjabloon", SCRATCH)
    if template != SCRATCH and template not in DESIGNS:
        raise Http404
    municipality = Municipality.objects.order_by("id").first()
    if template == SCRATCH:
        values, arms = {"lottery_order": "lottery_first", "template": ""}, _scratch_arms()
    else:
        values, arms = services.template_values(DESIGNS[template])
    form = ExperimentForm(request.POST or None, initial=values, municipality=municipality)
    formset = ArmFormSet(request.POST or None, initial=arms, prefix="arm")
    place = None if municipality else MunicipalityForm(request.POST or None, prefix="gemeente")
    if request.method == "POST" and _all_valid(form, formset, place):
        try:
            with transaction.atomic():
                where = municipality or place.save()
                experiment = services.create_experiment(
                    where, {**form.cleaned_data, "template": values["template"]}, arms_of(formset),
                    actor=request.user)
        except services.SetupRefused as refused:
            show_at_fields(form, refused)
        else:
            messages.success(request, _("The experiment has been set up. Check the power before the lottery."))
            return redirect("design:detail", pk=experiment.pk)
    heading = DESIGNS[template].name if template in DESIGNS else _("New experiment")
    return render_page(request, "design/form.html", {
        "heading": heading, "form": form, "formset": formset, "municipality_form": place,
        "design": DESIGNS.get(template), "drawn": False})


@role_required(*SET_UP)
def detail(request, pk: int):
    experiment = get_object_or_404(Experiment.objects.select_related("municipality"), pk=pk)
    diagnosis = selectors.latest_diagnosis(experiment)
    return render_page(request, "design/detail.html", {
        "heading": experiment.name, "experiment": experiment,
        "arms": experiment.arms.order_by("position", "id"), "power": selectors.design_power(experiment),
        "diagnosis": diagnosis, "diagnosis_rows": selectors.diagnosis_rows(diagnosis),
        "drawn": Draw.objects.filter(experiment=experiment).exists(), "design": DESIGNS.get(experiment.template)})


@require_POST
@role_required(*SET_UP)
def simulate(request, pk: int):
    experiment = get_object_or_404(Experiment, pk=pk)
    power = selectors.design_power(experiment)
    if power.analysis is None:
        messages.error(request, power.problem)
    else:
        try:
            services.request_diagnosis(experiment.pk, power.n_per_arm, actor=request.user)
        except services.SetupRefused as refused:
            messages.error(request, str(refused))
        else:
            messages.info(request, _("The simulation has started; this page shows its progress."))
    # No fragment: the page's refresh must load the page again, not jump within it.
    return redirect("design:detail", pk=pk)


@role_required(*SET_UP)
def edit(request, pk: int):
    experiment = get_object_or_404(Experiment, pk=pk)
    drawn = Draw.objects.filter(experiment=experiment).exists()
    arms = [services.arm_values(arm) for arm in experiment.arms.order_by("position", "id")]
    form = ExperimentForm(request.POST or None, instance=experiment, municipality=experiment.municipality)
    formset = ArmFormSet(request.POST or None, initial=arms, prefix="arm")
    if drawn:
        _lock(form, services.LOTTERY_FIELDS)
    if request.method == "POST" and form.is_valid() and (drawn or formset.is_valid()):
        values = {name: form.cleaned_data[name] for name in form.fields if name not in form.disabled_names}
        try:
            services.update_experiment(experiment.pk, values, None if drawn else arms_of(formset),
                                       actor=request.user)
        except services.SetupRefused as refused:
            show_at_fields(form, refused)
        else:
            messages.success(request, _("The changes have been saved."))
            return redirect("design:detail", pk=experiment.pk)
    experiment.refresh_from_db()
    return render_page(request, "design/form.html", {
        "heading": _("Change %(name)s") % {"name": experiment.name}, "form": form, "formset": formset,
        "experiment": experiment, "drawn": drawn, "design": DESIGNS.get(experiment.template)})


def _lock(form: ExperimentForm, names) -> None:
    """After the first draw, what decides who is drawn is shown but cannot be changed."""
    for name in names:
        if name in form.fields:
            form.fields[name].disabled = True
            form.disabled_names.add(name)


def _all_valid(*forms_) -> bool:
    return all([f.is_valid() for f in forms_ if f is not None])  # a list: every form shows its errors


def _scratch_arms() -> list[dict]:
    rules = _("Arm rules of %(name)s\n\n- ...\n")
    return [
        {"code": "controlegroep", "name": _("Control group"), "rules_text": rules % {"name": _("the control group")},
         "is_control": True, "guidance_intensity": "regulier", "disregard_regime": "standaard",
         "job_bonus_cents": 0},
        {"code": "experimentgroep", "name": _("Experiment group"),
         "rules_text": rules % {"name": _("the experiment group")}, "is_control": False,
         "guidance_intensity": "regulier", "disregard_regime": "standaard", "job_bonus_cents": 0},
    ]
