"""Background work of the reports (`vertrouwen worker` carries it out)."""

from django_tasks import task

from vertrouwen.web.reports import services


@task()
def make(job_id: int) -> None:
    services.make_report(job_id)
