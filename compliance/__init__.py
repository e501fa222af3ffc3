"""The regulated registry, the rule book, exemptions and enforcement."""
