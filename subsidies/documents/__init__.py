"""Documents the subsidies app renders: approval letters and award certificates (PDF).

Each module gathers a plain dict, renders it to HTML and PDF, and registers its renderer
with :mod:`portal.pdf.jobs` when imported (the app's ``ready`` imports both).
"""
