"""Forms of the subsidies pages: ``service_teams`` (Art. 13), ``schemes`` (applying and
its steps) and ``scheme_terms`` (administrators' terms and reward criteria)."""
