"""Gherkin features of the engine journey (features/engine); steps live in conftest.py."""

from pytest_bdd import scenarios

scenarios("engine/answer_values.feature")
scenarios("engine/gating.feature")
scenarios("engine/hasil.feature")
scenarios("engine/grades.feature")
scenarios("engine/invalid_instruments.feature")
scenarios("engine/invalid_worksheets.feature")
