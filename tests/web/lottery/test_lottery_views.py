"""The lottery pages: only the onderzoeker sees them (concealment), a draw from the form lands on its page with
the balance table, a refused draw shows the Dutch reason and writes nothing, and no BSN ever shows."""

from collections import Counter
from html import unescape
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from lottery_town import ARMS, DRAW_DATE, ELIGIBLE

from vertrouwen.web.lottery.models import Allocation, Draw
from vertrouwen.web.lottery.services import DrawRequest, allocate_person, draw_lottery
from vertrouwen.web.registry.models import Experiment, Person

pytestmark = pytest.mark.django_db

OTHER_ROLES = ("klantmanager", "projectleider", "beheerder", "zonder_rol")
DRAW_FORM = {"drawn_on": "2020-03-01", "source": "eligible", "method": "stratified_block",
             "strata": ["household_type"], "cohort_month": "", "numbers": ""}


class _Cells(HTMLParser):
    """(row data-arm, cell data-figure, text) of every table cell marked with data-figure, in page order."""

    def __init__(self):
        super().__init__()
        self.row = None
        self.cell = None
        self.cells: list[list[str]] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "tr":
            self.row = attrs.get("data-arm")
        elif tag == "td" and "data-figure" in attrs:
            self.cell = [self.row, attrs["data-figure"], ""]
            self.cells.append(self.cell)

    def handle_data(self, data):
        if self.cell is not None:
            self.cell[2] += data.strip()

    def handle_endtag(self, tag):
        if tag == "td":
            self.cell = None


def cells(html: str) -> list[list[str]]:
    parser = _Cells()
    parser.feed(html)
    return parser.cells


def sizes_on_page(html: str) -> list[str]:
    """The balance table's row of persons per arm (data-arm="n"), in column order."""
    return [text for row, figure, text in cells(html) if (row, figure) == ("n", "n")]


@pytest.fixture
def made_draw(town):
    return draw_lottery(town.experiment.pk, DrawRequest(drawn_on=DRAW_DATE, strata=("household_type",)),
                        actor="test")


def test_only_the_onderzoeker_sees_the_lottery_pages(town, made_draw, login):
    pages = [f"/loting/{town.experiment.pk}/", f"/loting/trekking/{made_draw.pk}/"]

    client = login("onderzoeker")
    for url in pages:
        assert client.get(url).status_code == 200, url
    for role in OTHER_ROLES:
        client = login(role)
        for url in pages:
            assert client.get(url).status_code == 403, (role, url)


def test_anonymous_visitors_are_sent_to_the_login_page(town, made_draw, client):
    for url in (f"/loting/{town.experiment.pk}/", f"/loting/trekking/{made_draw.pk}/"):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("accounts:login") + "?next="), url


@pytest.mark.parametrize("role", OTHER_ROLES)
def test_no_other_role_can_draw(town, login, row_counts, role):
    client = login(role)  # the login is an audit event of its own
    before = row_counts()

    response = client.post(f"/loting/{town.experiment.pk}/loten/", DRAW_FORM)

    assert response.status_code == 403
    assert row_counts() == before


def test_a_draw_from_the_form_goes_to_its_page_with_the_number_per_arm(town, login):
    client = login("onderzoeker")

    response = client.post(f"/loting/{town.experiment.pk}/loten/", DRAW_FORM)

    draw = Draw.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/loting/trekking/{draw.pk}/"
    counts = Counter(Allocation.objects.filter(draw=draw).values_list("arm__code", flat=True))
    assert sum(counts.values()) == len(ELIGIBLE) == 20
    assert (draw.kind, draw.strata, draw.actor_label, draw.drawn_by.username) == \
        ("list", ["household_type"], "onderzoeker", "onderzoeker")
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert sizes_on_page(page.content.decode()) == [str(counts[arm]) for arm in ARMS]


def test_a_refused_draw_shows_the_dutch_reason_and_writes_nothing(town, login, row_counts):
    client = login("onderzoeker")
    before = row_counts()

    response = client.post(f"/loting/{town.experiment.pk}/loten/",
                           {**DRAW_FORM, "source": "list", "numbers": "L01\nX99\nL24"})

    assert response.status_code == 400
    html = unescape(response.content.decode())
    assert "persoon X99: onbekend persoonsnummer in Loterijstad" in html
    assert "persoon L24: heeft op 01-03-2020 geen uitkering" in html
    assert row_counts() == before


def test_a_cohort_month_drawn_twice_is_refused_on_the_page(town, login, row_counts):
    client = login("onderzoeker")
    cohort = {**DRAW_FORM, "drawn_on": "2020-05-01", "source": "cohort", "cohort_month": "2020-04"}
    assert client.post(f"/loting/{town.experiment.pk}/loten/", cohort).status_code == 302
    before = row_counts()

    response = client.post(f"/loting/{town.experiment.pk}/loten/", {**cohort, "drawn_on": "2020-06-01"})

    assert response.status_code == 400
    assert "cohortmaand 2020-04 is al geloot" in unescape(response.content.decode())
    assert row_counts() == before


def test_no_bsn_on_the_lottery_pages(bsn_dataset, login):
    experiment = Experiment.objects.get(code="vw")
    person = Person.objects.get(external_id="P1")
    secrets = (bsn_dataset, person.bsn_pseudonym, person.bsn_encrypted)
    client = login("onderzoeker")
    # dataset_files.py: on 2019-10-01 only P3 can be drawn (P1, P2 allocated; P4's benefit ended 2019-08-31).
    response = client.post(f"/loting/{experiment.pk}/loten/", {**DRAW_FORM, "drawn_on": "2019-10-01"})
    assert response.status_code == 302
    assert Draw.objects.get(experiment=experiment, kind="list").units == [["P3", "gehuwd_samenwonend"]]
    refused = client.post(f"/loting/{experiment.pk}/loten/", {**DRAW_FORM, "drawn_on": "2019-10-01", "source": "list",
                                                              "numbers": "P1"})
    assert refused.status_code == 400
    assert "persoon P1: is al geloot voor dit experiment" in unescape(refused.content.decode())

    # The page of a one-person draw has its own test below.
    imported = Draw.objects.get(experiment=experiment, kind="import")
    pages = {"refused draw": refused}
    for url in (f"/loting/{experiment.pk}/", f"/loting/trekking/{imported.pk}/"):
        pages[url] = client.get(url)
    for url, page in pages.items():
        assert page.status_code in (200, 400), url
        html = page.content.decode()
        for secret in secrets:
            assert secret not in html, url


def test_the_page_of_a_one_person_draw_shows_without_nan(town, login):
    """Every one-person allocation leaves arms without persons: their shares and spreads are not numbers, and
    the page shows a dash for them instead of failing or printing 'nan'."""
    allocation = allocate_person(town.experiment.pk, "L01", on=DRAW_DATE, actor="test")
    client = login("onderzoeker")

    response = client.get(f"/loting/trekking/{allocation.draw_id}/")

    assert response.status_code == 200
    html = response.content.decode()
    assert sorted(sizes_on_page(html)) == ["0", "0", "1"]
    assert not [cell for cell in cells(html) if "nan" in cell[2].lower()]
