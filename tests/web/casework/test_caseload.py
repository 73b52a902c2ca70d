"""My caseload: only my own persons, each with their group's badge and rules, status, review, earnings and last
contact; filters, sorting and a search that never puts a BSN in an address. Fixture: conftest.py."""

import re
from datetime import timedelta

from werkstad import BSN_K3

from vertrouwen.web.casework import services


def rows(html: str) -> list[str]:
    return [part.split('"', 1)[0] for part in html.split('data-person="')[1:]]


def test_the_caseload_holds_my_persons_only(workspace, login):
    html = login("klantmanager").get("/caseload/").content.decode()
    assert rows(html) == ["K1", "K2", "K3", "K4", "K5", "K6", "K7"]
    assert not re.search(r"\b(O1|U1)\b", html)  # as words: a random CSRF token may hold the letters


def test_each_person_shows_their_group_and_its_rules(workspace, login):
    html = login("klantmanager").get("/caseload/").content.decode()
    row = {n: html.split(f'data-person="{n}"')[1].split("</tr>")[0] for n in rows(html)}
    assert 'data-group="EXEMPT"' in row["K1"] and "geen verplichtingen" in row["K1"]
    assert 'data-group="INTENS"' in row["K2"] and "2 contacten per maand" in row["K2"]
    # The regime by its label from codes.SETTLEMENT_REGIMES; its figures are on the participant page.
    assert 'data-group="DISREG"' in row["K3"] and "Experimentele vrijlating (Tijdelijk besluit" in row["K3"]
    assert 'data-group="CONTROL"' in row["K4"]
    # Regular service: K5 never took part; K6 stopped, so their old group's rules no longer apply.
    assert 'data-group="regulier"' in row["K5"] and 'data-group="regulier"' in row["K6"]


def test_status_review_earnings_and_last_contact(workspace, login):
    today = workspace.today
    services.record_intake(workspace.pk("K1"), held_on=today - timedelta(days=200), summary="Kennismaking.",
                           goals_in_own_words="", goals=["werk"], good_prospects=True, ladder_rung=3, today=today,
                           actor="test")
    services.log_contact(workspace.pk("K1"), contact_on=today - timedelta(days=3), channel="telefoon", minutes=10,
                         initiated_by="deelnemer", note="", today=today, actor="test")
    html = login("klantmanager").get("/caseload/").content.decode()
    statuses = dict(zip(rows(html), [p.split('"', 1)[0] for p in html.split('data-status="')[1:]], strict=True))
    assert statuses == {"K1": "actief", "K2": "zonder_startgesprek", "K3": "zonder_startgesprek",
                        "K4": "zonder_startgesprek", "K5": "zonder_startgesprek", "K6": "gestopt",
                        "K7": "uitgestroomd"}
    k1 = html.split('data-person="K1"')[1].split("</tr>")[0]
    # 200 days ago plus six months lies in the past: overdue. The contact of three days ago is the last one.
    assert "te laat" in k1
    assert (today - timedelta(days=3)).strftime("%Y") in k1.split('data-figure="last_contact"')[1]
    # K3 earned EUR 600 two months ago and declared nothing for last month (conftest.py).
    k3 = html.split('data-person="K3"')[1].split("</tr>")[0]
    assert "nog niet opgegeven" in k3
    assert 'data-figure="earnings_missing"' in html


def test_filter_by_group_and_status_and_sort(workspace, login):
    client = login("klantmanager")
    arm = workspace.arms["EXEMPT"].pk
    assert rows(client.get(f"/caseload/?groep={arm}").content.decode()) == ["K1"]
    assert rows(client.get("/caseload/?groep=regulier").content.decode()) == ["K5", "K6", "K7"]
    assert rows(client.get("/caseload/?status=gestopt").content.decode()) == ["K6"]
    by_group = rows(client.get("/caseload/?sorteer=groep").content.decode())
    assert by_group[:4] == ["K1", "K2", "K3", "K4"] and set(by_group[4:]) == {"K5", "K6", "K7"}
    by_status = rows(client.get("/caseload/?sorteer=status").content.decode())
    assert by_status[-2:] == ["K6", "K7"]  # stopped, then off benefit: the order of codes.CASE_STATUSES


def test_search_by_person_number_and_by_exact_bsn_goes_to_the_page_without_the_bsn_in_the_address(
        workspace, login):
    client = login("klantmanager")
    response = client.post("/caseload/", {"zoek-query": "K2"})
    assert response.status_code == 302 and response["Location"] == workspace.page("K2")
    response = client.post("/caseload/", {"zoek-query": BSN_K3})
    assert response.status_code == 302 and response["Location"] == workspace.page("K3")
    assert BSN_K3 not in response["Location"]
    page = client.get(response["Location"]).content.decode()
    assert BSN_K3 not in page


def test_search_finds_nobody_outside_my_caseload_and_says_so_at_the_field(workspace, login):
    client = login("klantmanager")
    for query in ("O1", "U1", "123456782"):
        response = client.post("/caseload/", {"zoek-query": query})
        assert response.status_code == 400
        html = response.content.decode()
        assert "Niemand in uw caseload heeft dit persoonsnummer of burgerservicenummer." in html
        assert 'id="id_zoek-query-error"' in html
        if query == "123456782":  # a BSN is not written back into the page
            assert query not in html
        else:
            assert f'value="{query}"' in html  # what was typed stays


def test_an_empty_caseload_says_who_assigns_persons(workspace, login, users):
    html = login("klantmanager").get("/caseload/").content.decode()
    assert "7 personen in uw caseload" in html
    services.move_caseload(workspace.manager.pk, workspace.other_manager.pk, on=workspace.today, actor="test")
    html = login("klantmanager").get("/caseload/").content.decode()
    assert "De projectleider wijst personen aan u toe." in html
