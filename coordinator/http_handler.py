"""Django's ASGI handler with each request on one thread, in one hop.

Django's own ASGI handler runs its middleware in async mode: every `MiddlewareMixin`
middleware hops to a thread and back for its `process_request` and again for its
`process_response`, the view is one more hop, and each request gets a new thread
(`ThreadSensitiveContext`). Every view and middleware of ours is synchronous, so those hops
buy nothing: here the body is read on the event loop, then the whole request — the
`request_started` signal, the middleware chain and the view in sync mode, as under WSGI,
and the response's `close()` (`request_finished`, which gives the thread's database
connection back) — runs as one call on a fixed pool of threads, and the answer is sent from
the event loop. The middleware, views and signals are Django's, unchanged.

A streaming response (a file download) is sent as Django sends it, its chunks read on a
thread, and closed after sending; its request's thread gives its connections back first.
"""

from __future__ import annotations

import asyncio
import contextvars
from concurrent.futures import ThreadPoolExecutor

from asgiref.sync import sync_to_async
from django.core import signals
from django.core.exceptions import RequestAborted
from django.core.handlers import base
from django.core.handlers.asgi import ASGIHandler, get_script_prefix
from django.db import close_old_connections
from django.http import FileResponse
from django.urls import set_script_prefix


class OneHopASGIHandler(ASGIHandler):
    def __init__(self, threads: int):
        base.BaseHandler.__init__(self)
        self.load_middleware(is_async=False)
        # Not "baton-…": those are the engine's background threads, which the SQLite writer
        # lock puts behind requests (coordinator/sqlite/base.py).
        self.executor = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="http-request")

    async def handle(self, scope, receive, send):
        try:
            body_file = await self.read_body(receive)
        except RequestAborted:
            return
        try:
            context = contextvars.copy_context()
            response = await asyncio.get_running_loop().run_in_executor(
                self.executor, context.run, self.respond, scope, body_file
            )
            try:
                await self.send_response(response, send)
            finally:
                if response.streaming:
                    await sync_to_async(response.close)()
        finally:
            body_file.close()

    def respond(self, scope, body_file):
        """On a pool thread: the whole request, as WSGIHandler runs it."""
        set_script_prefix(get_script_prefix(scope))
        signals.request_started.send(sender=self.__class__, scope=scope)
        request, response = self.create_request(scope, body_file)
        if request is not None:
            response = self.get_response(request)
        response._handler_class = self.__class__
        if isinstance(response, FileResponse):
            response.block_size = self.chunk_size  # the server chunks the bytes itself
        if response.streaming:
            # Read and closed later, elsewhere: this thread's connections go back now.
            close_old_connections()
        else:
            response.close()  # request_finished: the connection goes back to the pool
        return response
