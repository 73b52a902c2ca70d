"""Issue 21, point 6 (free text): a number that passes the 11-proef, typed into a story, a contact note, an action,
a conversation's summary or a measure's obligation, is refused at its field with the reason; on main it went
into reports, PDFs and the audit pages. 111222333 passes the 11-proef; 123456789 does not (9+16+21+24+25+24+21+
16-9 = 147, not divisible by 11)."""

import pytest

from vertrouwen.core.privacy import bsns_in, is_valid_bsn, mask_bsns
from vertrouwen.web.casework import services as casework
from vertrouwen.web.casework.models import ContactNote, Story
from vertrouwen.web.refusals import Refused

pytestmark = pytest.mark.django_db
REASON = "Deze tekst bevat een nummer dat een BSN kan zijn (het voldoet aan de 11-proef)."


@pytest.mark.parametrize("written", ["111222333", "1112.22.333", "111 222 333", "111-222-333"])
def test_every_way_of_writing_a_bsn_is_found(written):
    assert bsns_in(f"Haar nummer is {written}.") == [written]
    assert mask_bsns(f"nummer {written}.") == "nummer *********."


def test_numbers_that_fail_the_11_proef_or_belong_to_longer_ones_are_left():
    assert not is_valid_bsn("123456789")
    assert bsns_in("123456789, 1.111.222.333, €111222333,00 en code A111222333") == []


def test_a_story_with_a_bsn_is_refused_at_its_field(workspace):
    person, today = workspace.pk("K1"), workspace.today

    with pytest.raises(Refused) as refused:
        casework.record_story(person, told_on=today, text="Ik (BSN 111 222 333) heb werk gevonden.", consent=True,
                              today=today, actor=workspace.manager)

    assert refused.value.by_field()["text"].startswith(REASON)
    assert not Story.objects.exists()


def test_a_contact_note_an_action_a_summary_and_an_obligation_too(workspace):
    person, today, manager = workspace.pk("K1"), workspace.today, workspace.manager
    attempts = {
        "note": lambda: casework.log_contact(person, contact_on=today, channel="telefoon", minutes=10,
                                             initiated_by="klantmanager", note="bsn 111222333", today=today,
                                             actor=manager),
        "description": lambda: casework.add_action(person, description="Formulier met 111222333", owner="deelnemer",
                                                   due_on=today, goal="", today=today, actor=manager),
        "summary": lambda: casework.record_intake(person, held_on=today, summary="BSN 1112.22.333 besproken",
                                                  goals_in_own_words="", goals=["werk"], good_prospects=True,
                                                  ladder_rung=3, today=today, actor=manager),
    }
    for field, attempt in attempts.items():
        with pytest.raises(Refused) as refused:
            attempt()
        assert refused.value.by_field()[field].startswith(REASON), field
    assert not ContactNote.objects.exists()


def test_an_ordinary_number_in_a_note_is_kept(workspace):
    person, today = workspace.pk("K1"), workspace.today

    contact = casework.log_contact(person, contact_on=today, channel="telefoon", minutes=10,
                                   initiated_by="klantmanager", note="Afspraak 123456789 bevestigd", today=today,
                                   actor=workspace.manager)

    assert contact.note.text == "Afspraak 123456789 bevestigd"
