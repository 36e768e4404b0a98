"""Closed forms about a run: curvature, the optimum, the landscape, one step phase by phase."""
