#!/usr/bin/env python3
"""A proxy on vigild's stream port that spoils some server messages, for scripts/fault_tour.sh.

    scripts/stream_fault_proxy.py --target 127.0.0.1:7420 --marker BADUTF8X

Listens on 127.0.0.1 (a free port, printed as "proxy listening 127.0.0.1:PORT") and passes
bytes both ways. In the server-to-client direction it reads the stream's frames (a varint
length, then that many bytes: docs/stream.md) and, in every frame that holds the marker,
replaces the marker's last byte with 0xE9. The length stays the same, so the client still
finds the next frame; only that message no longer decodes (a protobuf string that is not
UTF-8), which is what an older vigild that stored Latin-1 text would send. The client
library must skip such a message, count it, say so once and keep the link.
"""
import argparse
import socket
import sys
import threading


def pipe_plain(src, dst):
    try:
        while True:
            data = src.recv(65536)
            if not data:
                break
            dst.sendall(data)
    except OSError:
        pass
    finally:
        for s in (src, dst):
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


def read_varint(buf):
    value, shift = 0, 0
    for i, b in enumerate(buf[:10]):
        value |= (b & 0x7F) << shift
        if not b & 0x80:
            return value, i + 1
        shift += 7
    return None, 0


def pipe_spoiling(src, dst, marker, counter):
    buf = b""
    try:
        while True:
            data = src.recv(65536)
            if not data:
                break
            buf += data
            out = b""
            while True:
                length, used = read_varint(buf)
                if length is None or len(buf) < used + length:
                    break
                frame = buf[used : used + length]
                at = frame.find(marker)
                if at >= 0:
                    end = at + len(marker) - 1
                    frame = frame[:end] + b"\xe9" + frame[end + 1 :]
                    counter[0] += 1
                    print("proxy: spoiled server message %d (%d bytes)" % (counter[0], length),
                          file=sys.stderr, flush=True)
                out += buf[:used] + frame
                buf = buf[used + length :]
            if out:
                dst.sendall(out)
    except OSError:
        pass
    finally:
        for s in (src, dst):
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--target", required=True, help="vigild's stream_listen, HOST:PORT")
    ap.add_argument("--marker", required=True, help="ASCII text whose frames are spoiled")
    args = ap.parse_args()
    host, _, port = args.target.rpartition(":")
    listener = socket.socket()
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    print("proxy listening 127.0.0.1:%d" % listener.getsockname()[1], flush=True)
    counter = [0]
    while True:
        client, _ = listener.accept()
        server = socket.create_connection((host, int(port)))
        threading.Thread(target=pipe_plain, args=(client, server), daemon=True).start()
        threading.Thread(target=pipe_spoiling, args=(server, client, args.marker.encode(), counter),
                         daemon=True).start()


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        pass
