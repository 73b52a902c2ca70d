"""Issue 21, point 9 (the low findings that answered 500): a questionnaire link with a NUL byte and the public
calculator asked for the month 9999-12 answer with a page that says why, never a 500."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("token", ["%00", "abc%00def", "x" * 300, "a%3Cb%3E"])
def test_a_link_that_is_no_token_is_a_kind_404(client, token):
    response = client.get(f"/v/{token}/")

    assert response.status_code == 404
    assert "Deze link werkt niet" in response.content.decode()


@pytest.mark.parametrize(("start", "reason"), [("9999-12", "Kies een datum tussen 01-01-1900 en 31-12-2100."),
                                             ("0001-01", "Kies een datum tussen 01-01-1900 en 31-12-2100."),
                                             ("2100-06", "Kies een maand tussen 1900 en 2099.")])
def test_the_calculator_refuses_a_month_out_of_reason_with_the_reason(client, start, reason):
    # 2100-06 is a date within reason, but the twelve months the calculator shows would run past 2100.
    response = client.get("/wat-houd-ik-over/", {"regime": "standaard", "household_type": "alleenstaande",
                                                "earnings": "500", "start": start})

    assert response.status_code == 400
    assert reason in response.content.decode()


def test_work_left_running_by_a_killed_worker_is_marked_failed_when_the_worker_starts_again():
    # On main a monthly run whose worker was killed stayed "running 0/0" forever.
    from datetime import date

    from vertrouwen.web.evaluation.models import StoredEvaluation
    from vertrouwen.web.jobs import INTERRUPTED, Job, recover_interrupted
    from vertrouwen.web.registry.models import Municipality
    from vertrouwen.web.settlement.models import SettlementRun

    municipality = Municipality.objects.create(code="GM0404", name="Stopstad")
    running = SettlementRun.objects.create(municipality=municipality, month=date(2026, 1, 1), requested_by="test",
                                           status=Job.Status.RUNNING)
    done = SettlementRun.objects.create(municipality=municipality, month=date(2025, 12, 1), requested_by="test",
                                        status=Job.Status.DONE)
    evaluation = StoredEvaluation.objects.create(experiment_id=1, key="k" * 64, data_version="1",
                                                 evaluated_on=date(2026, 1, 1), status=Job.Status.RUNNING)

    assert recover_interrupted() == 2

    for job in (running, evaluation):
        job.refresh_from_db()
        assert (job.status, job.error) == (Job.Status.FAILED, INTERRUPTED) and job.finished_at is not None
    done.refresh_from_db()
    assert done.status == Job.Status.DONE


def test_evaluations_asked_for_by_one_user_are_bounded(users):
    # On main every new ?datum= queued another evaluation of seconds, without limit. Two of this user's evaluations
    # are waiting (as while the worker is busy): a third date is refused, another user is not.
    from datetime import date

    from vertrouwen.web.evaluation import services as evaluation
    from vertrouwen.web.evaluation.models import StoredEvaluation
    from vertrouwen.web.registry.models import Experiment, Municipality

    municipality = Municipality.objects.create(code="GM0505", name="Rekenstad")
    experiment = Experiment.objects.create(municipality=municipality, code="e", name="E",
                                           period_start=date(2020, 1, 1), period_end=date(2021, 12, 31),
                                           count_date=date(2021, 6, 1))
    user = users["onderzoeker"].pk
    for day in (1, 2):
        StoredEvaluation.objects.create(experiment_id=experiment.pk, key=str(day) * 64, requested_by_id=user,
                                        data_version=evaluation.data_version(), evaluated_on=date(2020, 6, day))

    with pytest.raises(evaluation.QueueFull):
        evaluation.request_evaluation(experiment, date(2020, 6, 3), user_id=user)
    assert StoredEvaluation.objects.count() == 2
    evaluation.request_evaluation(experiment, date(2020, 6, 3), user_id=users["projectleider"].pk)
    assert StoredEvaluation.objects.filter(requested_by_id=users["projectleider"].pk).count() == 1


def test_a_simulation_per_user_at_a_time(users):
    from decimal import Decimal

    from vertrouwen.core.designs import DESIGNS
    from vertrouwen.web.design import services as design
    from vertrouwen.web.design.models import DesignDiagnosis
    from vertrouwen.web.registry.models import Municipality

    municipality = Municipality.objects.create(code="GM0606", name="Simstad")
    values, arms = design.template_values(DESIGNS["wageningen"])
    values.update(planned_participants=400, planned_baseline=Decimal("0.107"), planned_alpha=Decimal("0.05"),
                  planned_power=Decimal("0.8"))
    experiment = design.create_experiment(municipality, values, arms, actor="test")
    DesignDiagnosis.objects.create(experiment=experiment, requested_by=users["projectleider"], n_per_arm=100,
                                   replications=10, seed=1)  # waiting for the worker

    with pytest.raises(design.SetupRefused, match="er loopt al een simulatie die je vroeg"):
        design.request_diagnosis(experiment.pk, 100, actor=users["projectleider"])
    assert DesignDiagnosis.objects.count() == 1


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
def test_every_form_s_dates_lie_within_1900_and_2100(day):
    # The forms share core.dataset.schema.DATE_RANGE with the import and the API (on main they took these).
    from vertrouwen.web.lottery.forms import DrawForm, PersonForm

    for form in (DrawForm({"drawn_on": day, "source": "eligible", "method": "complete"}),
                 PersonForm({"person_number": "P1", "on": day}, prefix=None)):
        assert not form.is_valid()
        field = "drawn_on" if "drawn_on" in form.fields else "on"
        assert form.errors[field] == ["Kies een datum tussen 01-01-1900 en 31-12-2100."]
