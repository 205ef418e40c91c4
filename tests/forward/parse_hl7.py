#!/usr/bin/python3
"""Second, independent parser for forwarded messages (Debian python3-hl7).

Usage: parse_hl7.py FILE...   Each FILE holds one HL7 message (segments end in CR).
Prints one JSON object per file, one per line, with the fields the C++ tests compare:
MSH-3/4/7/9/10, PV1-3 bed, OBR-3/OBR-29, every OBX (set id, code, reference id, sub-id,
value, unit code, reference range, status, time, equipment) and the ZRS resend marker.
Exits 1 with the reason on stderr when a file does not parse.
"""
import json
import sys

import hl7


def get(msg, path):
    try:
        return str(msg[path])
    except (KeyError, IndexError):
        return ""


def field(segment, n, component=1):
    """Field n (HL7 numbering), one component, unescaped; "" when absent."""
    if len(segment) <= n:
        return ""
    f = segment[n]
    if isinstance(f, str):
        return f if component == 1 else ""
    try:
        rep = f[0]
        if isinstance(rep, str):
            return rep if component == 1 else ""
        if len(rep) < component:
            return ""
        value = rep[component - 1]
        return str(value) if not isinstance(value, str) else value
    except IndexError:
        return ""


def describe(text):
    msg = hl7.parse(text)
    out = {
        "msh3": [get(msg, "MSH.F3.R1.C1"), get(msg, "MSH.F3.R1.C2")],
        "msh4": get(msg, "MSH.F4"),
        "msh7": get(msg, "MSH.F7"),
        "msh9": [get(msg, "MSH.F9.R1.C1"), get(msg, "MSH.F9.R1.C2")],
        "msh10": get(msg, "MSH.F10"),
        "bed": msg.unescape(get(msg, "PV1.F3.R1.C3")),
        "obr3": get(msg, "OBR.F3.R1.C1"),
        "obr29": str(msg.segment("OBR")[29]) if len(msg.segment("OBR")) > 29 else "",
        "obx": [],
        "resend": None,
    }
    for obx in msg.segments("OBX"):
        out["obx"].append({
            "set": str(obx[1]),
            "code": field(obx, 3, 1),
            "ref": field(obx, 3, 2),
            "sub": str(obx[4]) if len(obx) > 4 else "",
            "value": msg.unescape(str(obx[5])) if len(obx) > 5 else "",
            "unit": field(obx, 6, 1),
            "range": str(obx[7]) if len(obx) > 7 else "",
            "status": str(obx[11]) if len(obx) > 11 else "",
            "time": str(obx[14]) if len(obx) > 14 else "",
            "equipment": msg.unescape(str(obx[18])) if len(obx) > 18 else "",
        })
    try:
        zrs = msg.segment("ZRS")
        out["resend"] = {"flag": str(zrs[1]), "attempt": str(zrs[2])}
    except KeyError:
        pass  # no resend marker: a first attempt
    return out


def main():
    status = 0
    for path in sys.argv[1:]:
        with open(path, "rb") as f:
            text = f.read().decode("utf-8")
        try:
            print(json.dumps(describe(text), sort_keys=True))
        except Exception as e:  # noqa: BLE001 - report any parser failure by file
            print(f"{path}: {type(e).__name__}: {e}", file=sys.stderr)
            status = 1
    return status


if __name__ == "__main__":
    sys.exit(main())
