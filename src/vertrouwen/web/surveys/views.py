"""Answering through a personal link (no account), staff entry of paper and assisted questionnaires through the
same pages, and the researcher's waves with the response per group and who has not answered."""

import csv

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from vertrouwen.core.surveys import INSTRUMENTS
from vertrouwen.web.accounts.roles import KLANTMANAGER, ONDERZOEKER
from vertrouwen.web.accounts.sessions import reauthentication_required
from vertrouwen.web.pages import render_page, role_required
from vertrouwen.web.refusals import show_at_fields
from vertrouwen.web.registry.models import Experiment
from vertrouwen.web.surveys import selectors, services
from vertrouwen.web.surveys.forms import PageForm, PeriodForm
from vertrouwen.web.surveys.models import Invitation, StaffAnswer, Wave

STAFF = (ONDERZOEKER,)


# ---------------------------------------------------------------------------------------------------------
# Answering: the participant through a link, staff through the same pages


def answer(request, token: str):
    """The participant's questionnaire; a link that does not work shows a kind page and says nothing more."""
    today = timezone.localdate()
    invitation = services.open_invitation(token, today)
    if invitation is None:
        return render_page(request, "surveys/link_not_working.html", {"heading": _("This link does not work")},
                           status=404)
    return _page(request, invitation, reverse("surveys:answer", args=[token]), staff=False)


def staff_page(request, invitation: Invitation, here: str, back: str):
    """The questionnaire's pages for staff entering a paper, assisted or telephone questionnaire (the case
    manager, from the participant page: casework/views.py). `back` is where the pages lead back to."""
    return _page(request, invitation, here, staff=back)


def _page(request, invitation: Invitation, here: str, *, staff: str | bool):
    wave, today = invitation.wave, timezone.localdate()
    pages = len(wave.instruments)
    if request.method == "POST":
        page = _number(request.POST.get("pagina"), pages)
        form = PageForm(INSTRUMENTS[wave.instruments[page]], request.POST)
        if form.is_valid():
            try:
                invitation = services.save_page(invitation.pk, page, form.cleaned_data, today=today,
                                                actor=request.user if staff else None)
            except services.SurveyRefused as refused:
                show_at_fields(form, refused)
            else:
                back = "terug" in request.POST and page > 0
                return redirect(f"{here}?pagina={page - 1}" if back else here)
        return _render(request, invitation, page, form, staff, status=400)
    if invitation.completed_at is not None and "pagina" not in request.GET:
        return render_page(request, "surveys/done.html", {"heading": _("Thank you"), "wave": wave, "staff": staff,
                                                          "invitation": invitation})
    page = _number(request.GET.get("pagina"), pages, default=min(invitation.page, pages - 1))
    page = min(page, invitation.page)  # one can go back, not skip ahead
    form = PageForm(INSTRUMENTS[wave.instruments[page]], initial=services.answers_on_page(invitation, page))
    return _render(request, invitation, page, form, staff)


def _number(text, pages: int, default: int = 0) -> int:
    if text is None or not str(text).isdigit():
        return default
    if not 0 <= int(text) < pages:
        raise Http404
    return int(text)


def _render(request, invitation, page: int, form, staff: str | bool, status: int = 200):
    wave = invitation.wave
    return render_page(request, "surveys/page.html", {
        "heading": wave.name, "wave": wave, "page": page, "pages": len(wave.instruments), "form": form,
        "instrument": form.instrument, "staff": staff, "invitation": invitation,
        "number": page + 1, "last": page + 1 == len(wave.instruments)}, status=status)


# ---------------------------------------------------------------------------------------------------------
# The researcher's waves and response


@role_required(*STAFF)
def index(request):
    experiments = list(Experiment.objects.order_by("period_start", "id"))
    return render_page(request, "surveys/index.html", {
        "heading": _("Questionnaires"), "instruments": INSTRUMENTS.values(),
        "experiments": [(e, selectors.response_by_group(e.pk)) for e in experiments]}, role=ONDERZOEKER)


@require_POST
@role_required(*STAFF)
def create_waves(request, pk: int):
    made = services.create_waves(get_object_or_404(Experiment, pk=pk).pk, actor=request.user)
    messages.success(request, _("%(count)s waves created.") % {"count": len(made)})
    return redirect("surveys:index")


@role_required(*STAFF)
def wave(request, pk: int, *, period_form=None):
    chosen = get_object_or_404(Wave.objects.select_related("experiment"), pk=pk)
    today = timezone.localdate()
    response = next((r for r in selectors.response_by_group(chosen.experiment_id) if r.wave.pk == chosen.pk), None)
    return render_page(request, "surveys/wave.html", {
        "heading": chosen.name, "wave": chosen, "experiment": chosen.experiment, "today": today,
        "is_open": chosen.is_open(today), "response": response, "waiting": selectors.not_answered(chosen, today),
        "instruments": [INSTRUMENTS[c] for c in chosen.instruments],
        "period_form": period_form or PeriodForm(initial={"opens_on": chosen.opens_on, "closes_on": chosen.closes_on}),
    }, role=ONDERZOEKER, status=400 if period_form else 200)


@require_POST
@role_required(*STAFF)
def invite(request, pk: int):
    count = services.invite_participants(get_object_or_404(Wave, pk=pk).pk, on=timezone.localdate(),
                                         actor=request.user)
    messages.success(request, _("%(count)s participants invited.") % {"count": count})
    return redirect("surveys:wave", pk=pk)


@require_POST
@role_required(*STAFF)
def remind(request, pk: int):
    try:
        count = services.remind(get_object_or_404(Wave, pk=pk).pk, on=timezone.localdate(), actor=request.user)
    except services.SurveyRefused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, _("A reminder is recorded for %(count)s persons.") % {"count": count})
    return redirect("surveys:wave", pk=pk)


@require_POST
@role_required(*STAFF)
def period(request, pk: int):
    form = PeriodForm(request.POST)
    if form.is_valid():
        try:
            services.set_period(pk, **form.cleaned_data, actor=request.user)
        except services.SurveyRefused as refused:
            form.add_error("closes_on", str(refused))
        else:
            return redirect("surveys:wave", pk=pk)
    return wave(request, pk, period_form=form)


@role_required(*STAFF)
@reauthentication_required  # each link opens a person's questionnaire: password and code again
def links(request, pk: int):
    """The personal links as CSV, for a letter or a message: person number and link, never a BSN. Every download
    is in the audit trail."""
    chosen = get_object_or_404(Wave, pk=pk)
    services.record_links_exported(chosen, actor=request.user)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(True, f"meting-{chosen.number}-links.csv")
    writer = csv.writer(response)
    writer.writerow(["person_id", "link"])
    for number, token in (Invitation.objects.filter(wave=chosen).order_by("person__external_id")
                          .values_list("person__external_id", "token")):
        writer.writerow([number, request.build_absolute_uri(reverse("surveys:answer", args=[token]))])
    return response


# ---------------------------------------------------------------------------------------------------------
# The case managers' questionnaire


@role_required(KLANTMANAGER)
def case_manager(request):
    """The process evaluation's questionnaire for the case manager, in each open wave."""
    today = timezone.localdate()
    instrument = INSTRUMENTS[services.CASE_MANAGER_INSTRUMENT]
    waves = services.open_waves(today)
    chosen = next((w for w in waves if str(w.pk) == request.POST.get("meting")), None)
    forms_by_wave = {}
    for open_wave in waves:
        given = dict(StaffAnswer.objects.filter(wave=open_wave, respondent=request.user,
                                                instrument=instrument.code).values_list("item", "value"))
        bound = request.POST if open_wave is chosen else None
        forms_by_wave[open_wave] = PageForm(instrument, bound, initial=given, prefix=f"meting{open_wave.pk}")
    if chosen is not None:
        form = forms_by_wave[chosen]
        if form.is_valid():
            try:
                services.save_case_manager_answers(chosen.pk, form.cleaned_data, today=today, actor=request.user)
            except services.SurveyRefused as refused:
                show_at_fields(form, refused)
            else:
                messages.success(request, _("Your answers are saved. Thank you."))
                return redirect("surveys:case_manager")
    return render_page(request, "surveys/case_manager.html", {
        "heading": instrument.title, "instrument": instrument, "forms": list(forms_by_wave.items())},
        role=KLANTMANAGER, status=400 if chosen is not None else 200)
