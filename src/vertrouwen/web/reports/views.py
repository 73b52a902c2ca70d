"""The project lead's reports: the half-yearly progress report and the final report, as HTML or PDF. Every
download is in the audit trail."""

from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _

from vertrouwen.core.reports import KINDS, render_html, render_pdf
from vertrouwen.web.accounts.roles import PROJECTLEIDER
from vertrouwen.web.accounts.sessions import reauthentication_required
from vertrouwen.web.accounts.views import render_page, role_required
from vertrouwen.web.audit.services import record
from vertrouwen.web.registry import selectors as registry_selectors
from vertrouwen.web.registry.models import Experiment
from vertrouwen.web.reports.selectors import experiment_report

FORMATS = {"html": "text/html; charset=utf-8", "pdf": "application/pdf"}


@role_required(PROJECTLEIDER)
def index(request):
    current = registry_selectors.current_experiment()
    if current is None:
        return redirect("design:index")
    return redirect("reports:experiment", pk=current.id)


@role_required(PROJECTLEIDER)
def experiment(request, pk: int):
    chosen = get_object_or_404(Experiment.objects.select_related("municipality"), pk=pk)
    return render_page(request, "reports/experiment.html", {
        "heading": _("Reports"), "experiment": chosen, "experiments": Experiment.objects.order_by("period_start"),
        "kinds": [("progress", _("Progress report")), ("final", _("Final report"))]})


@role_required(PROJECTLEIDER)
@reauthentication_required  # password and code again before a download
def download(request, pk: int, kind: str, fmt: str):
    if kind not in KINDS or fmt not in FORMATS:
        raise Http404
    chosen = get_object_or_404(Experiment.objects.select_related("municipality"), pk=pk)
    report = experiment_report(chosen, kind, timezone.localdate())
    html = render_html(report)
    body = render_pdf(html) if fmt == "pdf" else html.encode("utf-8")
    with transaction.atomic():
        record(actor=request.user, action="report.downloaded", object_type="experiment", object_id=chosen.pk,
               details={"kind": kind, "format": fmt, "as_of": report.as_of,
                        "data": dict(report.footer)[report.footer[0][0]]})
    response = HttpResponse(body, content_type=FORMATS[fmt])
    name = f"{report.title.lower()}-{chosen.municipality.code}-{chosen.code}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
