"""Models of the inspections app (Art. 10)."""

from inspections.models.planning import Inspection, InspectionAssignment, InspectionBatch
from inspections.models.reports import InspectionReport
from inspections.models.visits import (
    ArcadeReading,
    EquipmentCheck,
    IlluminanceReading,
    Photo,
    TemperatureReading,
    Visit,
)

__all__ = [
    "ArcadeReading",
    "EquipmentCheck",
    "IlluminanceReading",
    "Inspection",
    "InspectionAssignment",
    "InspectionBatch",
    "InspectionReport",
    "Photo",
    "TemperatureReading",
    "Visit",
]
