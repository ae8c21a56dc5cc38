"""Helpers of the `workflow` management command (docs/cli.md): lookups, formatting, following
runs. The command itself (coordinator/management/commands/workflow.py) only parses and calls."""

#: exit codes, as documented in docs/cli.md
OK = 0
RUN_DID_NOT_SUCCEED = 1
REFUSED = 2
INTERNAL_ERROR = 3
INTERRUPTED = 130
