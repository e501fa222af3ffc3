"""Serializers of the subsidies API, one module per topic (service teams, schemes, rewards)."""
