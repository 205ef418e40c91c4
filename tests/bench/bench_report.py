#!/usr/bin/python3
"""Builds results.json and the short table of scripts/bench.sh from the benchmark programs'
JSON files.

    bench_report.py MACHINE_JSON MANIFEST_TSV RESULTS_JSON

The manifest has one line per benchmark row: section, name, status ("ok", "not built",
"failed ..."), and for "ok" the program's JSON file. Rows that are not "ok" stay in the
results and the table as what they are; nothing here fails for a missing figure.
"""
import json
import sys

PEERS = ["ceiling", "medplum", "python-hl7"]


def load(path):
    try:
        with open(path) as f:
            return json.load(f)
    except (OSError, ValueError) as e:
        return {"error": f"unreadable {path}: {e}"}


def num(v, digits=0):
    if v is None:
        return "-"
    return f"{v:,.{digits}f}"


def codec_rows(data):
    rows = []
    for b in data.get("benchmarks", []):
        if b.get("run_type") == "aggregate":
            continue
        rows.append({"name": b.get("name"), "label": b.get("label", ""),
                     "msgs_per_s": b.get("items_per_second"),
                     "mb_per_s": (b["bytes_per_second"] / 1e6) if "bytes_per_second" in b else None})
    return rows


def ingest_section(rows):
    by = {}
    for r in rows:
        target, _, conns = r["name"].partition("@")
        entry = {"target": target, "connections": int(conns) if conns.isdigit() else None, "status": r["status"]}
        if r["status"] == "ok":
            entry.update({k: v for k, v in r["data"].items() if k != "label"})
        by.setdefault(entry["connections"], {})[target] = entry
    ratios = {}
    for conns, targets in by.items():
        v = targets.get("vigild", {}).get("msgs_per_s")
        if not v:
            continue
        ratios[str(conns)] = {}
        for peer in PEERS:
            p = targets.get(peer, {}).get("msgs_per_s")
            if p:
                key = "vigild_share_of_ceiling" if peer == "ceiling" else f"vigild_over_{peer}"
                ratios[str(conns)][key] = v / p
    return {"by_connections": {str(k): v for k, v in by.items()}, "ratios": ratios}


def table(results):
    m = results["machine"]
    lines = [f"Vigil benchmarks{' (quick)' if m.get('quick') else ''}: {m.get('nproc')} CPUs, {m.get('cpu_model')}, "
             f"{m.get('ram_kib', 0) / 1048576:.1f} GiB, kernel {m.get('kernel')}, "
             f"load before the run {m.get('loadavg_before_run')}"]
    codec = results.get("codec")
    if codec and codec.get("benchmarks"):
        lines.append("codec (one core)")
        for b in codec["benchmarks"]:
            mb = f"  {num(b['mb_per_s'], 1)} MB/s" if b.get("mb_per_s") else ""
            lines.append(f"  {b['name']:<44} {num(b['msgs_per_s']):>14} msg/s{mb}")
    ingest = results.get("ingest")
    if ingest:
        lines.append("ingest, closed loop (msg/s, ACK p99 ms; ratio = vigild / peer, ceiling as vigild's share)")
        lines.append(f"  {'conns':>5}  {'vigild':>16}  {'ceiling':>22}  {'medplum':>22}  {'python-hl7':>22}")
        for conns, targets in sorted(ingest["by_connections"].items(), key=lambda kv: int(kv[0]) if kv[0].isdigit() else 0):
            ratios = ingest["ratios"].get(conns, {})
            cells = []
            for t in ["vigild"] + PEERS:
                e = targets.get(t)
                if not e or e["status"] != "ok":
                    cells.append((e or {}).get("status", "-")[:22])
                    continue
                cell = f"{num(e.get('msgs_per_s'))} / {num(e.get('p99_ms'), 1)}"
                if t == "ceiling" and "vigild_share_of_ceiling" in ratios:
                    cell += f" ({ratios['vigild_share_of_ceiling'] * 100:.0f}%)"
                elif f"vigild_over_{t}" in ratios:
                    cell += f" ({ratios[f'vigild_over_{t}']:.1f}x)"
                if e.get("errors"):
                    cell += f" {e['errors']} err"
                cells.append(cell)
            lines.append(f"  {conns:>5}  {cells[0]:>16}  {cells[1]:>22}  {cells[2]:>22}  {cells[3]:>22}")
        cpu = []
        order = sorted(ingest["by_connections"].items(), key=lambda kv: int(kv[0]) if kv[0].isdigit() else 0)
        for t in ["vigild"] + PEERS:
            per = [f"{c}: {targets[t]['server_cpu_us_per_msg']:.0f}" for c, targets in order
                   if targets.get(t, {}).get("server_cpu_us_per_msg")]
            if per:
                cpu.append(f"{t} {', '.join(per)}")
        if cpu:
            lines.append("  server CPU per message, us, by connections: " + "; ".join(cpu))
    cap = results.get("capacity")
    if cap and "max_beds" in cap:
        lines.append(f"capacity: {num(cap.get('max_beds'))} beds at {cap.get('rate_per_bed_hz')} msg/s with ACK p99 < "
                     f"{cap.get('p99_limit_ms')} ms; {num(cap.get('rss_per_bed_kib'), 1)} KiB resident per bed "
                     f"(base {num(cap.get('base_rss_kib'))} KiB)")
    lat = results.get("alert_latency")
    if lat and "p99_ms" in lat:
        lines.append(f"alert latency at {num(lat.get('load_beds'))} beds: p50 {lat['p50_ms']:.2f} ms, p99 {lat['p99_ms']:.2f} ms, "
                     f"max {lat['max_ms']:.2f} ms over {lat.get('count')} alerts ({lat.get('failures')} failures)")
    dash = results.get("dashboard")
    if dash and "p99_ms" in dash:
        g, d = dash.get("grid", {}), dash.get("detail", {})
        lines.append(f"dashboard, {dash.get('chairs')} chairs: CPU per frame p50 {dash['p50_ms']:.3f} ms, p99 {dash['p99_ms']:.3f} ms "
                     f"(grid p99 {g.get('p99_ms', 0):.3f}, detail with trend p99 {d.get('p99_ms', 0):.3f})")
    missing = [f"{r['section']}/{r['name']}: {r['status']}" for r in results["rows"] if r["status"] != "ok"]
    if missing:
        lines.append("not measured: " + "; ".join(missing))
    return "\n".join(lines)


def main():
    machine_path, manifest_path, out_path = sys.argv[1:4]
    results = {"machine": load(machine_path), "rows": []}
    ingest_rows = []
    with open(manifest_path) as f:
        for line in f:
            section, name, status, path = (line.rstrip("\n").split("\t") + ["", "", "", ""])[:4]
            row = {"section": section, "name": name, "status": status}
            data = load(path) if status == "ok" and path else None
            results["rows"].append(row)
            if section == "codec" and data:
                results["codec"] = {"benchmarks": codec_rows(data), "context": data.get("context", {})}
            elif section == "ingest":
                ingest_rows.append({**row, "data": data or {}})
            elif section == "capacity" and data:
                results["capacity"] = data
            elif section == "latency" and data:
                results["alert_latency"] = data
            elif section == "dashboard" and data:
                results["dashboard"] = data
    if ingest_rows:
        results["ingest"] = ingest_section(ingest_rows)
    results["table"] = table(results)
    with open(out_path, "w") as f:
        json.dump(results, f, indent=1)
    print(results["table"])


if __name__ == "__main__":
    main()
