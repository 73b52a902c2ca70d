"""Background work of the evaluation (`vertrouwen worker` carries it out)."""

from django_tasks import task

from vertrouwen.web.evaluation import services


@task()
def compute(job_id: int) -> None:
    services.compute_evaluation(job_id)
