"""The monitor for the project lead (and the researcher), at the count date or any earlier date, and the
pseudonymized research export."""

import shutil
import tempfile
from datetime import date
from pathlib import Path

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from vertrouwen.web.accounts.roles import ONDERZOEKER, PROJECTLEIDER
from vertrouwen.web.accounts.sessions import reauthentication_required
from vertrouwen.web.datasets import ExportRefused, export_dataset
from vertrouwen.web.monitor.selectors import monitor_page
from vertrouwen.web.pages import render_page, role_required
from vertrouwen.web.registry import selectors as registry_selectors
from vertrouwen.web.registry.models import Experiment

READERS = (PROJECTLEIDER, ONDERZOEKER)


@role_required(*READERS)
def index(request):
    current = registry_selectors.current_experiment()
    if current is None:
        return redirect("design:index")
    return redirect("monitor:experiment", pk=current.id)


@role_required(*READERS)
def experiment(request, pk: int):
    chosen = get_object_or_404(Experiment.objects.select_related("municipality"), pk=pk)
    as_of, problem = _as_of(request.GET.get("datum"), chosen)
    page = monitor_page(chosen, as_of)
    return render_page(request, "monitor/experiment.html", {
        "heading": _("Monitor"), "experiment": chosen, "experiments": Experiment.objects.order_by("period_start"),
        "page": page, "m": page.monitor, "date_problem": problem, "as_of": as_of,
    }, status=400 if problem else 200)


def _as_of(text: str | None, chosen: Experiment) -> tuple[date | None, str]:
    if not text:
        return None, ""
    try:
        day = date.fromisoformat(text)
    except ValueError:
        return None, _("That is not a date; the monitor shows the count date.")
    if day > min(chosen.count_date, timezone.localdate()):
        return None, _("Choose a date on or before the count date and today.")
    return day, ""


@require_POST
@role_required(*READERS)
@reauthentication_required  # password and code again before an export
def research_export(request, pk: int):
    """The pseudonymized dataset with its codebook, as a zip file; the export is in the audit trail."""
    chosen = get_object_or_404(Experiment.objects.select_related("municipality"), pk=pk)
    name = f"{chosen.municipality.code}-{chosen.code}-onderzoek"  # both codes validated: letters, digits, - and _
    # Built in a private temporary folder that is removed in every outcome; the zip is sent from memory.
    with tempfile.TemporaryDirectory(prefix="vertrouwen-onderzoek-") as folder:
        tmp = Path(folder)
        try:
            export_dataset(tmp / name, experiment_code=chosen.code, municipality_code=chosen.municipality.code,
                           actor=request.user, research=True)
        except ExportRefused as refused:
            messages.error(request, str(refused))
            return redirect("monitor:experiment", pk=chosen.pk)
        archive = Path(shutil.make_archive(str(tmp / name), "zip", root_dir=tmp, base_dir=name)).read_bytes()
    response = HttpResponse(archive, content_type="application/zip")
    response["Content-Disposition"] = content_disposition_header(True, f"{name}.zip")
    return response
