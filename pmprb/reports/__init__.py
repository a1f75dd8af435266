"""Report infrastructure shared by every pmprb report.

- :func:`render` a packaged jinja2 template (``pmprb/templates/``) in one
  language; HTML reports extend ``reports/base.html.j2`` and use the macros
  in ``reports/_macros.html.j2``; :func:`write_report` saves the result.
- :mod:`.numbers`: figures for people (``71,41`` / ``71.41``) and machines.
- :mod:`.charts`: inline SVG bar and line charts.
- :mod:`.xlsx`: tabular reports as XLSX.
- :mod:`.chromium`: PNG screenshots and A4 PDFs with headless Chromium.
- :mod:`.testing`: snapshot assertions and the Chromium skip for tests.

See ``docs/REPORTS.md`` for how to add a report.
"""

from pmprb.reports.charts import Bar, Series, bar_chart, line_chart
from pmprb.reports.environment import BASE_TEMPLATE, MACROS_TEMPLATE, environment, format_date, render, report_timestamp, write_report
from pmprb.numbers import MISSING, format_number, format_percent, machine_number, round_half_up
from pmprb.reports.xlsx import Column, Sheet, write_xlsx

__all__ = [
    "BASE_TEMPLATE", "MACROS_TEMPLATE", "MISSING",
    "Bar", "Series", "bar_chart", "line_chart",
    "environment", "render", "write_report", "report_timestamp", "format_date",
    "format_number", "format_percent", "machine_number", "round_half_up",
    "Column", "Sheet", "write_xlsx",
]
