"""A loopback SMTP server for the tests, run as its own process: ``python smtp_sink.py FOLDER PORT [RCPT_DELAY]``.

It must not be imported into the test process: aiosmtpd imports a top-level module named ``public`` (atpublic),
which would collide with the portal's ``public`` app. Each message received is written to FOLDER as one ``.eml``
file; RCPT_DELAY seconds of waiting before accepting each recipient give a test the time to kill a sender in the
middle of a send, before any message was handed over. It prints "ready" once it listens.
"""

import asyncio
import sys
import time
import uuid
from pathlib import Path

from aiosmtpd.controller import Controller


class Sink:
    def __init__(self, folder: Path, rcpt_delay: float):
        self.folder = folder
        self.rcpt_delay = rcpt_delay

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.rcpt_delay:
            await asyncio.sleep(self.rcpt_delay)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        name = f"{time.time_ns()}-{uuid.uuid4().hex}.eml"
        partial = self.folder / (name + ".part")
        partial.write_bytes(envelope.original_content or envelope.content)
        partial.rename(self.folder / name)
        return "250 Message accepted for delivery"


def main():
    folder, port = Path(sys.argv[1]), int(sys.argv[2])
    rcpt_delay = float(sys.argv[3]) if len(sys.argv) > 3 else 0.0
    folder.mkdir(parents=True, exist_ok=True)
    controller = Controller(Sink(folder, rcpt_delay), hostname="127.0.0.1", port=port)
    controller.start()
    print("ready", flush=True)
    try:
        while True:
            time.sleep(3600)
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
