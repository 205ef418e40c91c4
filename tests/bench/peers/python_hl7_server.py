#!/usr/bin/python3
"""A peer for vigil-bench-ingest: python-hl7's asyncio MLLP server (Debian python3-hl7).

Each message is parsed by the library, its OBX values are read (as an application that
files them would), and the library's own ACK builder answers it (Message.create_ack, AA).
Nothing is stored. Prints `listening hl7=HOST:PORT` once bound, like vigild.

    /usr/bin/python3 python_hl7_server.py [--listen HOST:PORT]   (port 0: any free port)
"""
import argparse
import asyncio
import signal
import sys

import hl7
import hl7.mllp


async def serve_connection(reader, writer):
    try:
        while not reader.at_eof():
            message = await reader.readmessage()
            # Read every OBX value: the work a receiver does before it can acknowledge.
            values = [str(obx(5)) for obx in message.segments("OBX")]
            if not values:
                writer.writemessage(message.create_ack("AE"))
            else:
                writer.writemessage(message.create_ack("AA"))
            await writer.drain()
    except asyncio.IncompleteReadError:
        pass  # the sender closed the connection between or inside a message
    except (ConnectionError, hl7.mllp.InvalidBlockError, hl7.ParseException, ValueError) as e:
        print(f"python-hl7 peer: connection dropped: {e}", file=sys.stderr)
    finally:
        writer.close()


async def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--listen", default="127.0.0.1:0", help="HOST:PORT (default 127.0.0.1:0)")
    args = parser.parse_args()
    host, _, port = args.listen.rpartition(":")
    server = await hl7.mllp.start_hl7_server(serve_connection, host=host or "127.0.0.1",
                                             port=int(port), backlog=4096)
    bound = server.sockets[0].getsockname()
    print(f"listening hl7={bound[0]}:{bound[1]}", flush=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    async with server:
        await stop.wait()


if __name__ == "__main__":
    asyncio.run(main())
