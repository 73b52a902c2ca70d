"""The monitor for the project lead (and the researcher), at the count date or any earlier date, and the
pseudonymized research export."""

import shutil
import tempfile
from datetime import date
from pathlib import Path

from django.contrib import messages
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
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
    tmp = Path(tempfile.mkdtemp(prefix="vertrouwen-onderzoek-"))
    name = f"{chosen.municipality.code}-{chosen.code}-onderzoek"
    try:
        export_dataset(tmp / name, experiment_code=chosen.code, municipality_code=chosen.municipality.code,
                       actor=request.user, research=True)
        archive = shutil.make_archive(str(tmp / name), "zip", root_dir=tmp, base_dir=name)
    except ExportRefused as refused:
        shutil.rmtree(tmp, ignore_errors=True)
        messages.error(request, str(refused))
        return redirect("monitor:experiment", pk=chosen.pk)
    response = FileResponse(open(archive, "rb"), as_attachment=True, filename=f"{name}.zip")  # noqa: SIM115
    response.file_to_stream.close = _removing(response.file_to_stream.close, tmp)
    return response


def _removing(close, folder: Path):
    """Close the file, then remove the temporary folder it was in."""
    def closed():
        close()
        shutil.rmtree(folder, ignore_errors=True)
    return closed
