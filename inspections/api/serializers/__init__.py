"""Serializers of the inspections API, one module per topic."""
