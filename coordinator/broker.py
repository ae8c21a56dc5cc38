"""Workers survive a Redis restart.

kombu's Redis transport (seen with 5.7.0) crashes the worker when the broker connection drops
while tasks are unacknowledged: closing the channel restores them through a connection whose
transport is already detached (`AttributeError: 'NoneType' object has no attribute
'hostname'`), which Celery treats as unrecoverable and exits. Baton does not need that
restore: a lost message is repaired from the database (the sweeper re-sends expired claims and
nudges queued and active runs), and messages left in Redis's unacked set are restored by
kombu's own visibility-timeout scan. So a failed restore is logged and the consumer reconnects.
"""

from __future__ import annotations

import functools
import logging

log = logging.getLogger(__name__)

_applied = False


def survive_restore_failures() -> None:
    global _applied
    if _applied:
        return
    from kombu.transport import redis as transport

    original = transport.QoS.restore_unacked

    @functools.wraps(original)
    def restore_unacked(self, client=None):
        try:
            return original(self, client)
        except (AttributeError, *transport.Transport.connection_errors) as exc:
            log.warning("broker connection lost; unacked messages left to redelivery: %r", exc)
            self._delivered.clear()
            return None

    transport.QoS.restore_unacked = restore_unacked
    _applied = True
