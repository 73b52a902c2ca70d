"""After the first draw, what the draws used is fixed: database triggers refuse a change of the arms (code, control
group, ratio, new or removed arm), of the experiment's code and municipality and of the municipality's code,
also from the application's own connection; the import and the admin refuse or do not offer such a change, and
the lottery pages answer a bad request with a Dutch reason or a 404, never a server error."""

from datetime import date

import pytest
from dataset_files import MANIFEST, write_folder
from django.db import IntegrityError, connection, transaction
from lottery_town import DRAW_DATE

from vertrouwen.web.datasets import ImportRefused, import_dataset
from vertrouwen.web.lottery.services import DrawRequest, LotteryRefused, draw_lottery
from vertrouwen.web.registry.models import Arm, Experiment, Municipality

REFUSED = "Er is al geloot: wat de loting gebruikte, ligt vast"


@pytest.fixture
def drawn(town):
    draw_lottery(town.experiment.pk, DrawRequest(drawn_on=DRAW_DATE, strata=("household_type",)), actor="test")
    return town


@pytest.mark.parametrize("change", [{"code": "anders"}, {"is_control": True}, {"allocation_ratio": 3}])
def test_an_arm_the_lottery_used_cannot_change(drawn, change):
    arm = drawn.arms["vrij"]
    with pytest.raises(IntegrityError, match=REFUSED), transaction.atomic():
        Arm.objects.filter(pk=arm.pk).update(**change)


def test_its_name_and_rules_can_still_be_improved(drawn):
    Arm.objects.filter(pk=drawn.arms["vrij"].pk).update(name="Vrij (nieuw)", rules_text="Duidelijker.")
    assert Arm.objects.get(pk=drawn.arms["vrij"].pk).name == "Vrij (nieuw)"


def test_no_arm_is_added_or_removed_after_a_draw(drawn):
    with pytest.raises(IntegrityError, match=REFUSED), transaction.atomic():
        Arm.objects.create(experiment=drawn.experiment, position=9, code="extra", name="Extra", rules_text="-")
    with pytest.raises(IntegrityError, match=REFUSED), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM registry_arm WHERE id = %s", [drawn.arms["bonus"].pk])  # past the ORM's PROTECT


def test_the_codes_the_hash_chain_names_cannot_change(drawn):
    with pytest.raises(IntegrityError, match=REFUSED), transaction.atomic():
        Experiment.objects.filter(pk=drawn.experiment.pk).update(code="nieuw")
    with pytest.raises(IntegrityError, match=REFUSED), transaction.atomic():
        Municipality.objects.filter(pk=drawn.experiment.municipality_id).update(code="1234")
    Experiment.objects.filter(pk=drawn.experiment.pk).update(name="Nieuwe naam")  # a name is not in the chain


def test_an_import_that_would_change_a_drawn_arm_is_refused_with_its_reason(db, tmp_path):
    """tests/web/dataset_files.py: its enrollments are registered as a draw of kind import."""
    import_dataset(write_folder(tmp_path / "first"), actor="test")
    changed = {**MANIFEST, "arms": [{**MANIFEST["arms"][0], "allocation_ratio": 2}, *MANIFEST["arms"][1:]]}

    with pytest.raises(ImportRefused, match="groep zelf_in_actie: er is al geloot"):
        import_dataset(write_folder(tmp_path / "second", manifest=changed), actor="test", update=True)
    assert Arm.objects.get(code="zelf_in_actie").allocation_ratio == 1


def test_the_admin_shows_a_drawn_arms_lottery_fields_read_only(drawn, login):
    arm = drawn.arms["vrij"]
    page = login("beheerder").get(f"/beheer/registry/arm/{arm.pk}/change/").content.decode()
    assert 'name="allocation_ratio"' not in page and 'name="code"' not in page and 'name="name"' in page


def test_no_draw_after_the_end_of_the_experiment(drawn, row_counts):
    before = row_counts()
    late = date(2030, 1, 1)
    with pytest.raises(LotteryRefused, match="de lotingsdatum 2030-01-01 ligt na het einde van het experiment"):
        draw_lottery(drawn.experiment.pk, DrawRequest(drawn_on=late, method="complete",
                                                      person_numbers=("L21",)), actor="test")
    assert row_counts() == before


@pytest.mark.parametrize("action", ["loten", "uitnodigen", "antwoord", "toewijzen"])
def test_an_unknown_experiment_is_not_found(db, login, action):
    assert login("onderzoeker").post(f"/loting/999999/{action}/", {}).status_code == 404


def test_a_long_list_of_problems_is_shortened_on_the_page(town, login, row_counts):
    """25 unknown person numbers: the page names the first 20 and says how many more there are."""
    numbers = "\n".join(f"X{i:02d}" for i in range(25))
    client = login("onderzoeker")  # the login is an audit event of its own
    before = row_counts()
    response = client.post(f"/loting/{town.experiment.pk}/loten/", {
        "drawn_on": "2020-03-01", "source": "list", "numbers": numbers, "method": "complete"})
    html = response.content.decode()
    assert response.status_code == 400 and "persoon X19: onbekend persoonsnummer" in html
    assert "persoon X20" not in html and "en nog 5" in html
    assert row_counts() == before
