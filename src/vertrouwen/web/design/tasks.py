"""Background work of the set-up: the simulation-based design diagnosis (`vertrouwen worker` runs it)."""

from django_tasks import task

from vertrouwen.web.design import services


@task()
def run_diagnosis(diagnosis_id: int) -> None:
    services.run_diagnosis(diagnosis_id)
