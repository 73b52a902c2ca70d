"""Issue 21, point 7: files. The web research export is built in a private temporary folder that is gone in every
outcome (on main every export left its folder and zip behind); a municipality's code, which becomes part of folder
and file names, holds only letters, digits, '-' and '_' (on main '../../qq' made the export write to the
filesystem root); download names are encoded per RFC 6266."""

import io
import tempfile
import zipfile
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError

from vertrouwen.core.dataset.manifest import ManifestError, parse_manifest
from vertrouwen.web.registry.models import Municipality

pytestmark = pytest.mark.django_db


def leftovers() -> set[str]:
    return {p.name for p in Path(tempfile.gettempdir()).glob("vertrouwen-onderzoek-*")}


def test_the_research_export_leaves_nothing_behind_when_it_succeeds_or_is_refused(login, workspace, monkeypatch):
    before = leftovers()
    client = login("onderzoeker")

    export = client.post(f"/monitor/{workspace.experiment.pk}/onderzoeksexport/")

    assert export.status_code == 200
    assert export["Content-Disposition"].startswith('attachment; filename="GM8888-')
    names = zipfile.ZipFile(io.BytesIO(export.content)).namelist()
    assert any(name.endswith("/codebook.md") or name.endswith("/manifest.json") for name in names)
    assert leftovers() == before

    from vertrouwen.web.monitor import views

    def refuse(*args, **kwargs):
        raise views.ExportRefused("geweigerd")

    monkeypatch.setattr(views, "export_dataset", refuse)
    assert client.post(f"/monitor/{workspace.experiment.pk}/onderzoeksexport/").status_code == 302
    assert leftovers() == before

    def fail(*args, **kwargs):
        raise RuntimeError("stuk")

    monkeypatch.setattr(views, "export_dataset", fail)
    with pytest.raises(RuntimeError):
        client.post(f"/monitor/{workspace.experiment.pk}/onderzoeksexport/")
    assert leftovers() == before


@pytest.mark.parametrize("code", ["../../qq", 'a";b=c', "GM 0289", "gm/0289"])
def test_a_municipality_code_is_letters_digits_dash_and_underscore(code):
    with pytest.raises(ValidationError):
        Municipality(code=code, name="Ergens").full_clean()
    with pytest.raises(ManifestError, match="municipality.code"):
        parse_manifest({"format_version": "1", "municipality": {"code": code, "name": "Ergens"},
                        "experiment": {}, "arms": []})


def test_codes_as_municipalities_use_them_pass():
    for code in ("0289", "GM0289", "gm_0289", "GM-0289"):
        Municipality(code=code, name="Ergens").full_clean(validate_unique=False)
