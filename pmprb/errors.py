"""Exceptions that carry their CLI exit code.

The library raises these; ``pmprb.cli`` turns them into a message on stderr
and the documented exit code (see README, "Exit codes").
"""

EXIT_OK = 0
EXIT_INVALID = 1        # validation or rule failure, bad input
EXIT_USAGE = 2          # click usage errors
EXIT_NOT_FOUND = 3
EXIT_CONFLICT = 4       # optimistic-lock conflict, duplicate
EXIT_MISMATCH = 5       # replay mismatch, audit verification failure
EXIT_FORBIDDEN = 6      # acting person lacks the role
EXIT_STATE = 7          # illegal workflow transition
EXIT_STORAGE = 8        # disk full, read-only file system or database, permission denied (pmprb.faults)
EXIT_CONNECTION = 9     # the database connection was lost mid-command (pmprb.faults)


class PmprbError(Exception):
    exit_code = EXIT_INVALID

    def __init__(self, message: str, *, details: list[str] | None = None):
        super().__init__(message)
        self.message = message
        self.details = list(details or [])

    def __str__(self) -> str:
        if not self.details:
            return self.message
        return self.message + "\n" + "\n".join(f"  - {d}" for d in self.details)


class ValidationError(PmprbError):
    exit_code = EXIT_INVALID


class RuleError(PmprbError):
    """A rule failed during evaluation; no partial score is produced."""
    exit_code = EXIT_INVALID


class NotFoundError(PmprbError):
    exit_code = EXIT_NOT_FOUND


class ConflictError(PmprbError):
    exit_code = EXIT_CONFLICT


class MismatchError(PmprbError):
    exit_code = EXIT_MISMATCH


class ForbiddenError(PmprbError):
    exit_code = EXIT_FORBIDDEN


class ActorRequiredError(PmprbError):
    """No acting person was named (no --as / PMPRB_USER): a usage mistake, not
    a refusal for the person's role."""
    exit_code = EXIT_USAGE


class StateError(PmprbError):
    exit_code = EXIT_STATE
