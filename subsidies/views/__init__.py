"""Pages of the subsidies app."""
