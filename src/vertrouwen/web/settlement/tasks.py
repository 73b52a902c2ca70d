"""Background work of the settlement: the monthly run (`vertrouwen worker` carries it out)."""

from django_tasks import task

from vertrouwen.web.settlement import services


@task()
def run_month(run_id: int) -> None:
    services.carry_out(run_id)
