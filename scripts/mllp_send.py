#!/usr/bin/env python3
"""Send HL7 v2 messages to vigild's MLLP port, one at a time, and print each ACK.

For the biomedical engineer connecting a monitor, and for scripts/fault_tour.sh:

    scripts/mllp_send.py 127.0.0.1:2575 message.hl7 [more.hl7 ...]
    printf 'MSH|...\\rPV1|...\\r' | scripts/mllp_send.py 127.0.0.1:2575 -

A file holds one message, segments ending in CR (LF and CRLF are turned into CR, as a
capture pasted from a guide often has them). Its bytes are sent as they are: a Latin-1
byte stays one byte, which is the point of some faults. Each message is framed
0x0B ... 0x1C 0x0D on one connection; the ACK is printed one segment a line, indented.
--control-id ID replaces MSH-10 (so several runs of one file get distinct ids).
--repeat N sends one file N times (control ids ID-1 ... ID-N) and prints one line per run
of equal ACK codes instead of every ACK; --until-not AA stops at the first other code.

Exit status: 0 every message got an ACK (whatever its code), 1 one got none within
--timeout seconds, 2 bad arguments.
"""
import argparse
import socket
import sys

START, END = b"\x0b", b"\x1c\x0d"


def load(path):
    data = sys.stdin.buffer.read() if path == "-" else open(path, "rb").read()
    data = data.replace(b"\r\n", b"\r").replace(b"\n", b"\r").strip(b"\r") + b"\r"
    return data


def with_control_id(message, control_id):
    msh, sep, rest = message.partition(b"\r")
    fields = msh.split(msh[3:4]) if msh.startswith(b"MSH") and len(msh) > 3 else None
    if not fields or len(fields) < 10:
        return message
    fields[9] = control_id.encode()
    return msh[3:4].join(fields) + sep + rest


def read_ack(sock, timeout):
    sock.settimeout(timeout)
    buf = b""
    while END not in buf:
        chunk = sock.recv(65536)
        if not chunk:
            return None
        buf += chunk
    start = buf.find(START)
    return buf[start + 1 : buf.find(END)]


def msa(ack):
    for seg in ack.split(b"\r"):
        if seg.startswith(b"MSA"):
            fields = seg.split(b"|")
            return fields[1].decode() if len(fields) > 1 else ""
    return ""


def repeat(host, port, args):
    message = load(args.files[0])
    base = args.control_id or "R"
    runs, last_ack = [], None
    with socket.create_connection((host, port), timeout=args.timeout) as sock:
        for i in range(1, args.repeat + 1):
            sock.sendall(START + with_control_id(message, "%s-%d" % (base, i)) + END)
            try:
                ack = read_ack(sock, args.timeout)
            except (socket.timeout, ConnectionError):
                ack = None
            code = "no ACK" if ack is None else msa(ack)
            if runs and runs[-1][0] == code:
                runs[-1][2] = i
            else:
                runs.append([code, i, i])
            last_ack = ack
            if ack is None or (args.until_not and code != args.until_not):
                break
    for code, first, last in runs:
        print("messages %d-%d: %s" % (first, last, code) if first != last else "message %d: %s" % (first, code))
    if last_ack is not None and runs[-1][0] != (args.until_not or runs[0][0]):
        print("last ACK:")
        for seg in last_ack.split(b"\r"):
            if seg:
                print("    " + seg.decode("utf-8", "backslashreplace"))
    return 0 if last_ack is not None else 1


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("address", help="vigild's hl7_listen, HOST:PORT")
    ap.add_argument("files", nargs="+", help="message files ('-': standard input)")
    ap.add_argument("--control-id", help="replace MSH-10 with this (suffixed -N for several files)")
    ap.add_argument("--repeat", type=int, default=1, help="send the (single) file this many times")
    ap.add_argument("--until-not", metavar="CODE", help="with --repeat: stop at the first ACK whose MSA-1 is not CODE")
    ap.add_argument("--timeout", type=float, default=20.0, help="seconds to wait for each ACK")
    args = ap.parse_args()
    host, _, port = args.address.rpartition(":")
    if not host or not port.isdigit():
        ap.error("address must be HOST:PORT")
    if args.repeat > 1:
        if len(args.files) != 1:
            ap.error("--repeat takes one file")
        return repeat(host.strip("[]"), int(port), args)
    with socket.create_connection((host.strip("[]"), int(port)), timeout=args.timeout) as sock:
        for i, path in enumerate(args.files):
            message = load(path)
            if args.control_id:
                cid = args.control_id if len(args.files) == 1 else "%s-%d" % (args.control_id, i + 1)
                message = with_control_id(message, cid)
            sock.sendall(START + message + END)
            try:
                ack = read_ack(sock, args.timeout)
            except socket.timeout:
                ack = None
            if ack is None:
                print("%s: no ACK within %g s" % (path, args.timeout))
                return 1
            print("%s: ACK" % path)
            for seg in ack.split(b"\r"):
                if seg:
                    print("    " + seg.decode("utf-8", "backslashreplace"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
