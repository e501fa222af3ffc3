"""Enforcement documents as PDFs: the rectification notice and the penalty decision.

Three steps kept apart (design.md "PDFs"), like the inspection report: :mod:`.gather`
turns an ``EnforcementDocument`` into a plain dict in the document's language (queries
only), :mod:`.render` turns the dict into PDF bytes with WeasyPrint through
:mod:`portal.pdf` (no ORM), and :mod:`.service` claims the row, stores the file and marks
it READY or FAILED. :mod:`.formats` writes amounts, dates and fine steps the way each
official language writes them on a legal document.
"""
