"""A TCP proxy on loopback between a station and its server, for tests and benchmarks: it adds
latency each way, counts round trips, and can cut the line (a Wi-Fi drop).

A round trip is counted each time the client speaks after the server has answered: a scan
whose statements travel pipelined counts one however many statements it sent.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Iterator


class Proxy:
    def __init__(self, target_port: int, *, delay: float = 0.0) -> None:
        self.target_port = target_port
        self.delay = delay  # seconds each way: the round-trip time is twice this
        self.port = 0
        self.round_trips = 0
        self.cut = False
        self.stalled = False
        self.trace: list[tuple[int, bytes]] | None = None
        self.recording: bytearray | None = None  # every byte, both ways (a sniffer's view)
        self._loop = asyncio.new_event_loop()
        self._server: asyncio.base_events.Server | None = None
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._writers: set[asyncio.StreamWriter] = set()

    def start(self) -> Proxy:
        self._thread.start()
        self._ready.wait(5)
        return self

    def stop(self) -> None:
        async def shutdown() -> None:
            if self._server is not None:
                self._server.close()
            for writer in list(self._writers):
                writer.close()
            tasks = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)

        asyncio.run_coroutine_threadsafe(shutdown(), self._loop).result(5)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(5)
        self._loop.close()

    def url(self, url: str) -> str:
        """``url`` (of the real server) pointed at the proxy instead."""
        return url.replace(f":{self.target_port}/", f":{self.port}/")

    def drop(self) -> None:
        """Cut every open connection and refuse new ones until ``restore``."""
        self.cut = True

        def close_all() -> None:
            for writer in list(self._writers):
                writer.close()

        self._loop.call_soon_threadsafe(close_all)

    def stall(self) -> None:
        """Keep every connection open but pass nothing on: a server that stops answering."""
        self.stalled = True

    def restore(self) -> None:
        self.cut = False
        self.stalled = False

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        self._server = self._loop.run_until_complete(
            asyncio.start_server(self._client, "127.0.0.1", 0)
        )
        self.port = self._server.sockets[0].getsockname()[1]
        self._ready.set()
        self._loop.run_forever()

    async def _client(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        # Stopping cancels this task; asyncio's stream callback then asks for its exception.
        with contextlib.suppress(asyncio.CancelledError):
            await self._serve(reader, writer)

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        if self.cut:
            writer.close()
            return
        try:
            up_reader, up_writer = await asyncio.open_connection("127.0.0.1", self.target_port)
        except OSError:
            writer.close()
            return
        self._writers.update((writer, up_writer))
        turn = {"server_spoke": True}
        await asyncio.gather(
            self._pipe(reader, up_writer, turn, from_client=True),
            self._pipe(up_reader, writer, turn, from_client=False),
            return_exceptions=True,
        )
        self._writers.difference_update((writer, up_writer))

    async def _pipe(
        self,
        reader: asyncio.StreamReader,
        writer: asyncio.StreamWriter,
        turn: dict[str, bool],
        *,
        from_client: bool,
    ) -> None:
        # Each chunk is delivered ``delay`` after it arrived, in order: a burst of pipelined
        # statements is delayed once, as on a real network, not once per chunk.
        queue: asyncio.Queue[tuple[float, bytes]] = asyncio.Queue()
        loop = asyncio.get_running_loop()

        async def deliver() -> None:
            while True:
                due, data = await queue.get()
                if not data:
                    break
                while self.stalled and not self.cut:
                    await asyncio.sleep(0.05)
                wait = due - loop.time()
                if wait > 0:
                    await asyncio.sleep(wait)
                writer.write(data)
                await writer.drain()

        sender = asyncio.ensure_future(deliver())
        try:
            while not self.cut:
                data = await reader.read(65536)
                if not data:
                    break
                if from_client and turn["server_spoke"]:
                    self.round_trips += 1
                if self.recording is not None:
                    self.recording += data
                if from_client and self.trace is not None:
                    self.trace.append((self.round_trips, data))
                turn["server_spoke"] = not from_client
                queue.put_nowait((loop.time() + self.delay, data))
        finally:
            queue.put_nowait((0.0, b""))
            with contextlib.suppress(Exception):
                await sender
            with contextlib.suppress(Exception):
                writer.close()


@contextlib.contextmanager
def proxied(target_port: int, *, delay: float = 0.0) -> Iterator[Proxy]:
    proxy = Proxy(target_port, delay=delay).start()
    try:
        yield proxy
    finally:
        proxy.stop()
