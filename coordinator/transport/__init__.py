"""How work and events travel (docs/architecture.md): dispatch (the only module that knows
the mode: a thread pool or Celery), the Celery tasks, run events (stored, then broadcast)
and the websocket consumers."""
