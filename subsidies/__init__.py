"""Guidance and rewards (Arts. 13, 14): service teams, subsidy schemes and applications."""
