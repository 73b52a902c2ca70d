"""Making a report in the background: one job per experiment, kind, format, data version and evaluation settings,
carried out by the worker (tasks.py), its file kept until the data change. The download itself is audited (views);
making the file changes no data."""

import hashlib
import json
import time
from datetime import date

import vertrouwen
from vertrouwen.core.reports import KINDS, render_html, render_pdf
from vertrouwen.web import jobs
from vertrouwen.web.evaluation.selectors import data_version, evaluation_date, evaluation_settings
from vertrouwen.web.registry.models import Experiment
from vertrouwen.web.reports.models import StoredReport
from vertrouwen.web.reports.selectors import experiment_report

FORMATS = ("html", "pdf")


def report_keys(experiment: Experiment, today: date) -> tuple[str, dict[tuple[str, str], str]]:
    """The data version, and per kind and format the key of the report of the data as they are now: what it is
    made from, hashed."""
    version = data_version()
    settings = evaluation_settings(experiment, evaluation_date(experiment, today)).identity()
    return version, {(kind, fmt): hashlib.sha256(json.dumps(
        [vertrouwen.__version__, experiment.pk, kind, fmt, version, settings]).encode()).hexdigest()
        for kind in KINDS for fmt in FORMATS}


def request_report(experiment: Experiment, kind: str, fmt: str, today: date, *, again: bool = False
                   ) -> StoredReport:
    """The job that makes the report of the data as they are now: the one already asked for, or a new one in the
    worker's queue; `again` queues a failed one again."""
    from vertrouwen.web.reports.tasks import make

    version, keys = report_keys(experiment, today)
    job, new = jobs.keyed(StoredReport, keys[kind, fmt], version, {
        "experiment_id": experiment.pk, "kind": kind, "fmt": fmt, "as_of": evaluation_date(experiment, today)})
    if new or (again and jobs.queue_again(job)):
        make.enqueue(job.pk)  # the job's row is committed above
        job.refresh_from_db()
    return job


def make_report(job_id: int) -> None:
    """Carry out a report job: the evaluation (stored, or computed here), the HTML, and the PDF laid out from it."""
    job = StoredReport.objects.get(pk=job_id)
    experiment = Experiment.objects.select_related("municipality").get(pk=job.experiment_id)

    def work(progress: jobs.Progress) -> dict:
        started = time.perf_counter()
        progress(0, 3)
        report = experiment_report(experiment, job.kind, job.as_of)
        progress(1, 3)
        html = render_html(report)
        progress(2, 3)
        body = render_pdf(html) if job.fmt == "pdf" else html.encode("utf-8")
        name = f"{report.title.lower()}-{experiment.municipality.code}-{experiment.code}.{job.fmt}"
        return {"content": body, "filename": name, "data_hash": report.footer[0][1],
                "seconds": time.perf_counter() - started, "done": 3, "total": 3}

    jobs.carry_out(StoredReport, job_id, work)
