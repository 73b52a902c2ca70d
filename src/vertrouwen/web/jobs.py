"""Long work off the request, one way for every kind: a row per piece of work with its status, progress and failure,
carried out by the background worker (`vertrouwen worker`, django-tasks) and shown on its page while it runs. The
design simulation, the monthly run, the evaluation and the reports are such jobs; a failed one can be tried again.
"""

from collections.abc import Callable

from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

Progress = Callable[[int, int], None]


class Job(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.QUEUED)
    done = models.PositiveIntegerField(_("done"), default=0)
    total = models.PositiveIntegerField(_("total"), default=0)
    error = models.TextField(_("error"), blank=True)
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def busy(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)

    @property
    def percent_done(self) -> int:
        return 100 * self.done // self.total if self.total else 0


def carry_out(model: type[Job], job_id: int, work: Callable[[Progress], dict | None],
              on_failure: Callable[[Exception], None] | None = None) -> None:
    """Carry out a queued job: running, then done with the fields `work` returns, or failed with its reason (told
    to `on_failure`, then raised again for the worker's log)."""
    rows = model.objects.filter(pk=job_id)
    rows.update(status=Job.Status.RUNNING, error="", done=0)

    def progress(done: int, total: int) -> None:
        rows.update(done=done, total=total)

    try:
        fields = work(progress) or {}
    except Exception as exc:
        rows.update(status=Job.Status.FAILED, error=str(exc) or type(exc).__name__, finished_at=timezone.now())
        if on_failure:
            on_failure(exc)
        raise
    rows.update(status=Job.Status.DONE, finished_at=timezone.now(), **fields)


def keyed(model: type[Job], key: str, data_version: str, defaults: dict) -> tuple[Job, bool]:
    """The job of `model` for `key` (what it computes from, with the data version), and whether it is new. Jobs of
    an older data version are dropped: their results can never be shown again."""
    try:
        with transaction.atomic():
            model.objects.exclude(data_version=data_version).delete()
            return model.objects.get_or_create(key=key, defaults={"data_version": data_version, **defaults})
    except IntegrityError:  # asked for at the same moment by another process
        return model.objects.get(key=key), False


def queue_again(job: Job, statuses: tuple[str, ...] = (Job.Status.FAILED,)) -> bool:
    """A failed job (or one in `statuses`) back in the queue with its progress reset; False when it was not."""
    return bool(type(job).objects.filter(pk=job.pk, status__in=statuses).update(
        status=Job.Status.QUEUED, error="", done=0, finished_at=None))


INTERRUPTED = "onderbroken: de achtergrondverwerking stopte tijdens dit werk; start het opnieuw"


def recover_interrupted() -> int:
    """Mark every job still "running" as failed, with the reason: called when the worker starts, so work that a
    killed or crashed worker left behind never shows "running" forever and can be started again. (One worker
    carries out the jobs; docs/operations.md.) Returns how many jobs were marked."""
    from django.apps import apps

    marked = 0
    for model in apps.get_models():
        if issubclass(model, Job):
            marked += model.objects.filter(status=Job.Status.RUNNING).update(
                status=Job.Status.FAILED, error=INTERRUPTED, finished_at=timezone.now())
    return marked
