"""Viewsets and views of the inspections API, one module per topic."""
