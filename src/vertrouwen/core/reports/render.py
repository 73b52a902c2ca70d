"""The report as HTML (one self-contained file: styles and charts inline) and as PDF (WeasyPrint, which lays out
the same HTML with its print styles: page numbers, a table of contents with page numbers, tables kept whole)."""

import os
import threading
from contextlib import contextmanager
from importlib import resources

import jinja2

from vertrouwen.core.reports.content import Report

_ENVIRONMENT = jinja2.Environment(
    loader=jinja2.PackageLoader("vertrouwen.core.reports", "templates"),
    autoescape=jinja2.select_autoescape(["html"]),
    trim_blocks=True, lstrip_blocks=True, undefined=jinja2.StrictUndefined)


def render_html(report: Report) -> str:
    style = resources.files("vertrouwen.core.reports").joinpath("templates/report.css").read_text(encoding="utf-8")
    return _ENVIRONMENT.get_template("report.html").render(report=report, style=style)


def render_pdf(html: str) -> bytes:
    """The PDF of the report's HTML: the same bytes for the same HTML, on any machine with the same fonts. It carries
    no creation date, and its embedded fonts carry no time of rendering."""
    import weasyprint  # imported here: the HTML report and the web pages do not need it

    with _RENDERING, _fonts_without_time_of_rendering():
        return weasyprint.HTML(string=html).write_pdf()


_RENDERING = threading.Lock()  # the environment below is the process's own


@contextmanager
def _fonts_without_time_of_rendering():
    """Without HarfBuzz's subsetter WeasyPrint subsets fonts with fontTools, which stamps each subset's `head` table
    with the present second; fontTools takes SOURCE_DATE_EPOCH (reproducible builds) instead when it is set."""
    before = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = "0"
    try:
        yield
    finally:
        if before is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = before
