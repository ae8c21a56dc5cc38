"""Whether a process still runs, for tests that check a killed process is really gone."""

from pathlib import Path


def is_running(pid: int) -> bool:
    """True while `pid` exists and is not a zombie (exited, waiting to be reaped)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return False
    state = stat.rsplit(")", 1)[1].split()[0]  # the name in parentheses may hold spaces
    return state not in {"Z", "X"}
