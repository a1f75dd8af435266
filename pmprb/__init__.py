"""pmprb: rules and workflow engine for PMPRB self-assessments."""

__version__ = "0.1.0"
