"""Bundled synthetic demo data and the scenario built from it."""
