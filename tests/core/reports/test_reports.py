"""Progress and final reports from a dataset: the contents, the same bytes for the same data, and what they say
when there is not yet anything to show."""

import dataclasses
import datetime as dt
import re
import time

import pytest
from weasyprint.pdf import fonts as weasyprint_fonts

from vertrouwen.cli import main
from vertrouwen.core.dataset import Dataset
from vertrouwen.core.dataset.writing import canonical_hash, write_dataset
from vertrouwen.core.evaluation.reference import WARNING
from vertrouwen.core.reports import build_report, render_html, render_pdf
from vertrouwen.core.simulation.generator import generate_tables


@pytest.fixture(scope="module")
def dataset():
    return Dataset(*generate_tables("XS", seed=5))


@pytest.fixture(scope="module")
def html(dataset):
    return render_html(build_report(dataset, "final"))


def test_the_report_has_a_cover_contents_and_every_chapter(html, dataset):
    manifest = dataset.manifest
    assert "<h1>Eindrapportage<br><span>Vertrouwen Werkt</span></h1>" in html
    assert f"Gemeente {manifest.municipality.name}" in html
    assert "Experimentperiode 1 oktober 2017 tot en met 31 december 2019" in html
    chapters = re.findall(r'<h2 id="([a-z]+)-titel">', html)
    assert chapters == ["samenvatting", "opzet", "deelnemers", "doelen", "uitstroom", "parttime", "evaluatie",
                        "referentie", "vragenlijsten", "proces", "verhalen", "afwijkingen", "methode", "verantwoording"]
    assert all(f'href="#{key}"' in html for key in chapters[:-1])  # the contents link to every chapter
    for arm in manifest.arms:
        assert arm.rules_text.strip() in html  # the design and its rules, line by line


def test_charts_are_inline_pictures_with_words_for_who_cannot_see_them(html):
    figures = re.findall(r'<div class="chart" role="img" aria-label="([^"]+)"><svg', html)
    assert len(figures) >= 6
    assert all(len(label) > 40 for label in figures)
    assert "<img" not in html  # nothing to fetch: the HTML is one file


def test_every_reading_has_its_number_and_the_reference_its_warning(html):
    assert "betrouwbaarheidsinterval" in html and "procentpunt" in html
    assert "MDE" in html
    assert WARNING in html


def test_footer_names_the_data_the_software_and_the_seeds(html, dataset):
    assert canonical_hash(dataset) in html
    assert "vertrouwen 0.1.0" in html
    assert "10.000 herlotingen, seed 2017" in html


def test_same_data_same_bytes(dataset, html):
    assert render_html(build_report(Dataset(dataset.manifest, dict(dataset.tables)), "final")) == html


def test_the_same_report_gives_the_same_pdf_a_second_later(html):
    """WeasyPrint embeds the fonts' subsets through HarfBuzz, which scripts/system-packages installs."""
    assert weasyprint_fonts.harfbuzz_subset is not None, "libharfbuzz-subset0 is missing: run scripts/system-packages"
    first = render_pdf(html)
    _wait_for_the_next_second()
    assert first.startswith(b"%PDF") and render_pdf(html) == first


def test_fonts_subset_by_fonttools_carry_no_time_of_rendering(monkeypatch):
    """Where HarfBuzz's subsetter is missing, fontTools subsets the fonts and would stamp them with the present second
    (the xref offsets of two renderings then differed by a byte)."""
    monkeypatch.setattr(weasyprint_fonts, "harfbuzz_subset", None)
    html = "<html lang='nl'><p>Wat houd ik over? € 1.234,56</p></html>"
    first = render_pdf(html)
    _wait_for_the_next_second()
    assert render_pdf(html) == first


def _wait_for_the_next_second() -> None:
    time.sleep(1.05 - time.time() % 1)


def test_no_participants_yet_says_so(dataset):
    empty = Dataset(dataset.manifest, {**dataset.tables, "enrollments": dataset.tables["enrollments"].clear()})
    page = render_html(build_report(empty, "progress"))
    assert "Er doet nog niemand mee" in page
    assert "Er is nog niemand door loting ingedeeld" in page
    assert "<h1>Voortgangsrapportage" in page


def test_no_control_arm_says_why_there_is_no_comparison(dataset):
    arms = tuple(dataclasses.replace(arm, is_control=False) for arm in dataset.manifest.arms)
    page = render_html(build_report(Dataset(dataclasses.replace(dataset.manifest, arms=arms), dataset.tables),
                                    "final"))
    assert "geen controlegroep" in page


def test_no_questionnaires_and_no_stories_say_so(dataset):
    bare = Dataset(dataset.manifest, {**dataset.tables,
                                      "survey_responses": dataset.tables["survey_responses"].clear()})
    page = render_html(build_report(bare, "final"))
    assert "nog geen antwoorden op vragenlijsten" in page
    assert "geen verhalen van deelnemers die toestemming gaven" in page


def test_a_count_date_after_the_data_gives_an_interim_report(dataset):
    """The data end on the last day anything happened; the count date moved two years later."""
    later = dataclasses.replace(dataset.manifest.experiment, period_end=dt.date(2022, 12, 31),
                                count_date=dt.date(2022, 10, 1))
    page = render_html(build_report(Dataset(dataclasses.replace(dataset.manifest, experiment=later),
                                            dataset.tables), "final"))
    assert "De teldatum (1 oktober 2022) ligt na de laatste gegevens" in page
    assert "tussenstand" in page


def test_stories_with_consent_are_told(dataset):
    page = render_html(build_report(dataset, "final", stories=(("Anna", "Ik werk nu twee dagen."),)))
    assert "Anna: Ik werk nu twee dagen." in page


def test_command_writes_html_and_pdf_and_refuses_other_names(dataset, tmp_path, capsys):
    folder = tmp_path / "xs"
    write_dataset(folder, dataset)
    assert main(["report", str(folder), "--kind", "final", "--out", str(tmp_path / "eind.html")]) == 0
    assert (tmp_path / "eind.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert main(["report", str(folder), "--kind", "progress", "--out", str(tmp_path / "voortgang.pdf")]) == 0
    assert (tmp_path / "voortgang.pdf").read_bytes().startswith(b"%PDF")
    assert main(["report", str(folder), "--kind", "final", "--out", str(tmp_path / "eind.docx")]) == 2
    assert ".html of .pdf" in capsys.readouterr().err
    assert not list(tmp_path.glob(".*.deel"))


def test_persons_never_appear(html, dataset):
    ids = dataset.tables["persons"]["person_id"].to_list()
    assert not any(re.search(rf"\b{re.escape(i)}\b", html) for i in ids)
    bsns = dataset.tables["persons"]["bsn"].drop_nulls().to_list()
    assert not any(bsn in html for bsn in bsns)
    assert not re.search(r"(?<![\d.,])\d{9}(?![\d.,])", html)  # nine digits that are not part of a number


