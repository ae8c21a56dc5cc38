"""Broker messages seen by Redis's MONITOR, for tests that count them."""

import threading

import redis


class BrokerPushes:
    """Counts LPUSH commands onto Celery queues (kombu's Redis transport publishes with them)."""

    def __init__(self, url: str):
        self.client = redis.Redis.from_url(url)
        self.count = 0
        self.stopping = threading.Event()
        self.listening = threading.Event()
        self.thread = threading.Thread(target=self._listen, daemon=True)

    def _listen(self):
        with self.client.monitor() as monitor:
            self.listening.set()
            for command in monitor.listen():
                words = command["command"].split(" ", 2)
                if words[0].upper() == "LPUSH" and words[1].startswith("celery"):
                    self.count += 1
                if self.stopping.is_set() and "baton-monitor-stop" in command["command"]:
                    return

    def __enter__(self):
        self.thread.start()
        assert self.listening.wait(10)
        return self

    def __exit__(self, *exc):
        self.stopping.set()
        self.client.get("baton-monitor-stop")
        self.thread.join(10)
