"""The report as HTML (one self-contained file: styles and charts inline) and as PDF (WeasyPrint, which lays out
the same HTML with its print styles: page numbers, a table of contents with page numbers, tables kept whole)."""

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
    """The PDF of the report's HTML. Its metadata carry no creation date other than WeasyPrint's own."""
    import weasyprint  # imported here: the HTML report and the web pages do not need it

    return weasyprint.HTML(string=html).write_pdf()
