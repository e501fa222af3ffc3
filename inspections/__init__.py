"""Inspections (Art. 10): scheduling, site visits, measurements, photos, reports."""
