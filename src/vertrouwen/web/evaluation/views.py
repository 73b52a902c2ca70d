"""The researcher's evaluation of an experiment (DESIGN.md section 7), at the count date, or today while the
experiment still runs (an interim evaluation), or at any earlier date."""

from datetime import date
from urllib.parse import urlencode

from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _

from vertrouwen.core.catalogue.evaluation import evaluation_parts
from vertrouwen.core.evaluation.evaluate import STEPS
from vertrouwen.core.evaluation.reading import SELF_SELECTION_WARNING
from vertrouwen.core.formatting import dutch_number
from vertrouwen.web.accounts.roles import ONDERZOEKER, PROJECTLEIDER
from vertrouwen.web.evaluation.selectors import evaluation_date, evaluation_of
from vertrouwen.web.evaluation.services import PER_USER, QueueFull, request_evaluation
from vertrouwen.web.pages import render_page, role_required
from vertrouwen.web.registry import selectors as registry_selectors
from vertrouwen.web.registry.models import Experiment

READERS = (ONDERZOEKER, PROJECTLEIDER)


@role_required(*READERS)
def index(request):
    current = registry_selectors.current_experiment()
    if current is None:
        return redirect("design:index")
    return redirect("evaluation:experiment", pk=current.id)


@role_required(*READERS)
def experiment(request, pk: int):
    chosen = get_object_or_404(Experiment.objects.select_related("municipality"), pk=pk)
    latest = evaluation_date(chosen, timezone.localdate())
    on, problem = _chosen_date(request.GET.get("datum"), latest)
    computed, queue_full = evaluation_of(chosen, on), False
    if computed.evaluation is None:  # computed in the background; this page shows how far it is
        try:
            request_evaluation(chosen, on, again=request.GET.get("opnieuw") == "1", user_id=request.user.pk)
        except QueueFull:
            queue_full = True
        computed = evaluation_of(chosen, on)
    page = evaluation_parts(computed.evaluation) if computed.evaluation is not None else None
    query = urlencode({"datum": on.isoformat()}) if request.GET.get("datum") else ""
    return render_page(request, "evaluation/experiment.html", {
        "heading": _("Evaluation"), "experiment": chosen, "page": page, "computed": computed, "on": on,
        "job": computed.job, "steps": STEPS, "refresh_url": f"{request.path}?{query}",
        "retry_url": f"{request.path}?{query}{'&' if query else ''}opnieuw=1",
        "latest": latest, "interim": on < chosen.count_date, "date_problem": problem,
        "experiments": Experiment.objects.exclude(pk=chosen.pk).order_by("period_start"),
        "permutations": dutch_number(computed.settings.permutations), "seed": computed.settings.seed,
        "warning": SELF_SELECTION_WARNING, "queue_full": queue_full, "per_user": PER_USER,
    }, status=400 if problem else 200)


def _chosen_date(text: str | None, latest: date) -> tuple[date, str]:
    """The date asked for (?datum=YYYY-MM-DD), or the latest one with the reason it cannot be shown."""
    if not text:
        return latest, ""
    try:
        day = date.fromisoformat(text)
    except ValueError:
        return latest, _("That is not a date; the evaluation is shown at the latest date.")
    if day > latest:
        return latest, _("Choose a date on or before the count date and today.")
    return day, ""
