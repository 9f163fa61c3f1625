"""A TCP proxy between a station and the host whose cut is a Wi-Fi drop where packets vanish.

``cut()`` is a Wi-Fi drop: nothing is forwarded any more (bytes wait, new connections hang)
until ``restore()``. ``delay`` adds that many seconds each way (a 10 ms round trip: 0.005).
Runs its own asyncio loop in a thread.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading


class Proxy:
    def __init__(self, target_port: int, *, delay: float = 0.0, host: str = "127.0.0.1") -> None:
        self._target = (host, target_port)
        self._delay = delay
        self._open = threading.Event()
        self._open.set()
        self._loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self.port = 0
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        self._ready.wait(5)

    def cut(self) -> None:
        self._open.clear()

    def restore(self) -> None:
        self._open.set()

    def close(self) -> None:
        self._open.set()
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(5)

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        server = self._loop.run_until_complete(asyncio.start_server(self._client, "127.0.0.1", 0))
        self.port = server.sockets[0].getsockname()[1]
        self._ready.set()
        self._loop.run_forever()
        server.close()
        pending = asyncio.all_tasks(self._loop)
        for task in pending:
            task.cancel()
        self._loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
        self._loop.run_until_complete(server.wait_closed())
        self._loop.close()

    async def _wait_open(self) -> None:
        while not self._open.is_set():
            await asyncio.sleep(0.02)

    async def _client(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            await self._wait_open()
            try:
                up_reader, up_writer = await asyncio.open_connection(*self._target)
            except OSError:
                writer.close()
                return
            await asyncio.gather(self._pipe(reader, up_writer), self._pipe(up_reader, writer))
        except asyncio.CancelledError:  # the proxy is closing
            writer.close()

    async def _pipe(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while data := await reader.read(65536):
                await self._wait_open()
                if self._delay:
                    await asyncio.sleep(self._delay)
                writer.write(data)
                await writer.drain()
        except (ConnectionError, OSError):
            pass
        finally:
            writer.close()
            with contextlib.suppress(Exception):
                await writer.wait_closed()
