"""The project lead's reports: the half-yearly progress report and the final report, as HTML or PDF. Every
download is in the audit trail."""

from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from vertrouwen.core.reports import KINDS
from vertrouwen.web.accounts.roles import PROJECTLEIDER
from vertrouwen.web.accounts.sessions import reauthentication_required
from vertrouwen.web.audit.services import record
from vertrouwen.web.pages import render_page, role_required
from vertrouwen.web.registry import selectors as registry_selectors
from vertrouwen.web.registry.models import Experiment
from vertrouwen.web.reports.models import StoredReport
from vertrouwen.web.reports.services import FORMATS, report_keys, request_report

CONTENT_TYPES = {"html": "text/html; charset=utf-8", "pdf": "application/pdf"}


@role_required(PROJECTLEIDER)
def index(request):
    current = registry_selectors.current_experiment()
    if current is None:
        return redirect("design:index")
    return redirect("reports:experiment", pk=current.id)


@role_required(PROJECTLEIDER)
def experiment(request, pk: int):
    chosen = get_object_or_404(Experiment.objects.select_related("municipality"), pk=pk)
    keys = report_keys(chosen, timezone.localdate())[1]
    made = {(job.kind, job.fmt): job for job in StoredReport.objects.filter(key__in=keys.values())}
    offers = [(kind, label, [(fmt, made.get((kind, fmt))) for fmt in FORMATS])
              for kind, label in (("progress", _("Progress report")), ("final", _("Final report")))]
    return render_page(request, "reports/experiment.html", {
        "heading": _("Reports"), "experiment": chosen, "experiments": Experiment.objects.order_by("period_start"),
        "offers": offers, "busy": any(job.busy for job in made.values())})


@role_required(PROJECTLEIDER)
@reauthentication_required  # password and code again before a download
def download(request, pk: int, kind: str, fmt: str):
    """The report's file once it is made; otherwise it is asked for and the reports page shows its progress."""
    if kind not in KINDS or fmt not in FORMATS:
        raise Http404
    chosen = get_object_or_404(Experiment.objects.select_related("municipality"), pk=pk)
    job = request_report(chosen, kind, fmt, timezone.localdate(), again=request.GET.get("opnieuw") == "1")
    if job.status != StoredReport.Status.DONE:
        return redirect("reports:experiment", pk=chosen.pk)
    with transaction.atomic():
        record(actor=request.user, action="report.downloaded", object_type="experiment", object_id=chosen.pk,
               details={"kind": kind, "format": fmt, "as_of": job.as_of.isoformat(), "data": job.data_hash})
    response = HttpResponse(bytes(job.content), content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = content_disposition_header(True, job.filename)
    return response
