"""The calculator "Wat houd ik over?": public, without login (and with a participant's own figures for their case
manager: casework.views); and the monthly run for the administrator."""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from vertrouwen.core.rules import History, Regime, RuleBook, RuleMissing, described
from vertrouwen.core.rules.calculator import calculate, staleness
from vertrouwen.web.accounts.roles import BEHEERDER
from vertrouwen.web.pages import render_page, role_required
from vertrouwen.web.registry.models import Municipality
from vertrouwen.web.settlement import selectors, services
from vertrouwen.web.settlement.forms import CalculatorForm, RunForm

MONTHS_SHOWN = 12


def regime_choices(book: RuleBook, on) -> list[tuple[str, str]]:
    """Each regime in force today with what it lets a person keep, from the rule tables. The experiment decree,
    lapsed in 2021, is not offered; nor is sub r, which follows sub n by itself for a single parent."""
    choices = []
    for regime in (r for r in Regime if r != Regime.SINGLE_PARENT):
        try:
            rule = book.rule(regime, on)
        except RuleMissing:
            continue
        if rule.in_force(on):
            choices.append((regime.value, described(rule)))
    return choices


def calculator(request):
    """Public: anyone works out what they keep, without logging in; nothing is stored."""
    return calculator_page(request, request.GET if "start" in request.GET else None, heading=_("What do I keep?"))


def calculator_page(request, data, *, heading: str, initial: dict | None = None, history: History = (),
                    sub_n_granted: bool = True, person=None, book: RuleBook | None = None):
    """The calculator's page; with a participant's own figures from the case manager's workspace (casework), by
    their municipality's rule book."""
    book = book or selectors.rulebook()
    today = timezone.localdate()
    form = CalculatorForm(data, initial=initial or {}, regimes=regime_choices(book, today))
    months, problem = None, ""
    if data is not None and form.is_valid():
        try:
            months = calculate(book, regime=form.cleaned_data["regime"],
                               household_type=form.cleaned_data["household_type"], start=form.cleaned_data["start"],
                               earnings_cents=form.earnings_cents(), months=MONTHS_SHOWN,
                               age=form.cleaned_data["age"], history=history, sub_n_granted=sub_n_granted)
        except RuleMissing as missing:
            problem = str(missing)
    return render_page(request, "settlement/calculator.html", {
        "heading": heading, "form": form, "months": months, "problem": problem, "person": person,
        "first": months[0] if months else None, "change": _first_change(months), "stale": staleness(months or [])},
        status=400 if data is not None and not form.is_valid() else 200)


def _first_change(months) -> object | None:
    """The first month in which working pays a different amount than in the month before (a counter ran out)."""
    for before, month in zip(months or [], (months or [])[1:], strict=False):
        if month.gain_cents != before.gain_cents:
            return month
    return None


# ---------------------------------------------------------------------------------------------------------
# The monthly run


@role_required(BEHEERDER)
def runs(request, *, form=None):
    latest = selectors.runs()
    busy = any(run.status in ("queued", "running") for run in latest)
    return render_page(request, "settlement/runs.html", {
        "heading": _("Monthly settlement"), "runs": latest, "busy": busy,
        "form": form or RunForm(initial={"month": selectors.default_run_month(timezone.localdate())})},
        role=BEHEERDER, status=400 if form else 200)


@require_POST
@role_required(BEHEERDER)
def start_run(request):
    form = RunForm(request.POST)
    municipality = Municipality.objects.order_by("id").first()
    if form.is_valid() and municipality is not None:
        try:
            services.request_run(municipality.pk, form.cleaned_data["month"], actor=request.user)
        except services.SettlementRefused as refused:
            form.add_error("month", str(refused))
        else:
            messages.success(request, _("The monthly run is started; this page shows its progress."))
            return redirect("settlement:runs")
    return runs(request, form=form)
