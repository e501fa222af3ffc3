"""Forms of the inspections pages: ``planning`` (scheduling, assignment) and ``visits``."""
