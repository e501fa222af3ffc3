"""The Art. 10-4 inspection report (報告書) as a PDF.

Three steps kept apart (design.md "PDFs"): :mod:`.gather` turns a visit into a plain dict
(queries only), :mod:`.render` turns that dict into PDF bytes with WeasyPrint (no ORM),
and :mod:`inspections.services.reports` stores the file on the report's row. The
renderer fetches resources only through :mod:`portal.pdf` (shared with the enforcement
documents), which serves the project's own
static files and the report's photos and refuses every other URL.
"""
