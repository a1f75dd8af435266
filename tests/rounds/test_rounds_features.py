"""Gherkin features of the rounds journey (features/rounds); steps live in conftest.py."""

from pytest_bdd import scenarios

scenarios("rounds/lifecycle.feature")
scenarios("rounds/roles.feature")
