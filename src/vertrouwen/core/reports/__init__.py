"""Progress and final reports (voortgangsrapportage, eindrapportage) from a dataset, without a database: the
content (content.py), the HTML and the PDF (render.py)."""

from vertrouwen.core.reports.content import KINDS, Report, build_report
from vertrouwen.core.reports.render import render_html, render_pdf

__all__ = ["KINDS", "Report", "build_report", "render_html", "render_pdf"]
