#!/usr/bin/env python3
"""Turns one bench run into the table, latest.json, latest.csv, latest.txt and latest.svg.

  report.py --tsv RESULTS.tsv --meta META.tsv --out DIR   (what bench/run calls)
  report.py --json DIR/latest.json --out DIR              (re-render a stored run)

RESULTS.tsv lines are "peer<TAB>metric<TAB>value<TAB>note<TAB>round"; an empty value is a failed
or skipped measurement and its note says why. Each figure is reported as the median over the
rounds with its min and max; peers are also compared round by round (paired ratios), which is
what a drifting machine cannot bias. Standard library only (no pip on the bench hosts).
"""
import argparse
import csv
import json
import os
import re
from xml.sax.saxutils import escape

PEER_LABELS = {
    "direct": "direct",
    "ambassadord": "ambassadord",
    "ambassadord-metrics": "ambassadord --admin (scraped 1/s)",
    "ambassadord-buffer": "ambassadord --no-splice",
    "ambassadord-nio": "ambassadord --event-loop nio",
    "ambassadord-coh": "ambassadord, compact headers",
    "ambassadord-srv": "ambassadord srv:// spec",
    "ambassadord-noplugins": "ambassadord, no plugins",
    "ambassadord-jdk17": "ambassadord, JDK 17 build",
    "ambassadord-base": "ambassadord, base build",
    "ambassadord-even": "ambassadord consul-service 1:1",
    "ambassadord-weighted": "ambassadord consul-service 1:3",
    "haproxy": "HAProxy",
    "haproxy-splice": "HAProxy splice",
    "nginx-stream": "nginx stream",
    "socat": "socat",
}
PEER_COLORS = {
    "direct": "#888888",
    "ambassadord": "#d62728",
    "ambassadord-metrics": "#e377c2",
    "ambassadord-buffer": "#ff9896",
    "ambassadord-nio": "#8c564b",
    "ambassadord-coh": "#bcbd22",
    "ambassadord-srv": "#f7b6d2",
    "ambassadord-noplugins": "#c49c94",
    "ambassadord-jdk17": "#7f7f7f",
    "ambassadord-base": "#ff7f0e",
    "ambassadord-even": "#9edae5",
    "ambassadord-weighted": "#17becf",
    "haproxy": "#1f77b4",
    "haproxy-splice": "#aec7e8",
    "nginx-stream": "#2ca02c",
    "socat": "#9467bd",
}
# id -> (label, unit, better, format). bulk_pN are added for every N measured.
METRICS = {
    "ka_rps": ("keep-alive", "req/s", "higher", "{:,.0f}"),
    "ka_p99": ("keep-alive p99", "ms", "lower", "{:.2f}"),
    "close_cps": ("Connection: close", "conn/s", "higher", "{:,.0f}"),
    "redis_set": ("redis SET", "req/s", "higher", "{:,.0f}"),
    "redis_get": ("redis GET", "req/s", "higher", "{:,.0f}"),
    "redis_set_p16": ("redis SET -P 16", "req/s", "higher", "{:,.0f}"),
    "redis_get_p16": ("redis GET -P 16", "req/s", "higher", "{:,.0f}"),
    "pg_tps": ("pgbench -S", "tps", "higher", "{:,.0f}"),
    "idle_kib": ("idle conn", "KiB/conn", "lower", "{:.2f}"),
    "start_ms": ("start→listen", "ms", "lower", "{:.0f}"),
    "close_p99": ("Connection: close p99", "ms", "lower", "{:.2f}"),
}
# Measured and stored in the JSON, but not shown in the table or chart.
HIDDEN = {"close_p99", "_skipped"}
# Pairs compared round by round: (label, peer, against, metrics; None = every metric both have).
COMPARISONS = [
    ("ambassadord / HAProxy", "ambassadord", "haproxy", None),
    ("--admin scraped / off", "ambassadord-metrics", "ambassadord", None),
    ("compact headers / off", "ambassadord-coh", "ambassadord", None),
    ("epoll / nio loop", "ambassadord", "ambassadord-nio", None),
    ("this build / base build", "ambassadord", "ambassadord-base", None),
    ("weights 1:3 / 1:1", "ambassadord-weighted", "ambassadord-even", None),
    ("JDK 25 image / JDK 17 build", "ambassadord", "ambassadord-jdk17", ["start_ms"]),
    ("srv:// / static spec", "ambassadord-srv", "ambassadord", ["start_ms"]),
    ("srv:// / empty plugins folder", "ambassadord-srv", "ambassadord-noplugins", ["start_ms"]),
]


def metric_def(mid):
    m = re.fullmatch(r"bulk_p(\d+)", mid)
    if m:
        n = int(m.group(1))
        return (f"bulk ×{n}", "Gbit/s", "higher", "{:.2f}")
    return METRICS.get(mid, (mid, "", "higher", "{:g}"))


def metric_order(mid):
    m = re.fullmatch(r"bulk_p(\d+)", mid)
    if m:
        return (0, int(m.group(1)))
    keys = list(METRICS)
    return (1, keys.index(mid)) if mid in keys else (2, mid)


# ---- model -----------------------------------------------------------------------------------

def load_tsv(tsv_path, meta_path):
    peers, values, notes, skipped, details, by_round = [], {}, {}, {}, {}, {}
    with open(tsv_path) as f:
        for line in f:
            parts = line.rstrip("\n").split("\t")
            if len(parts) < 3:
                continue
            peer, metric, value = parts[:3]
            note = parts[3] if len(parts) > 3 else ""
            rnd = int(parts[4]) if len(parts) > 4 and parts[4] else 1
            if peer not in peers:
                peers.append(peer)
            if metric == "_skipped":
                skipped[peer] = note
                continue
            if metric.startswith("_detail:"):
                details.setdefault(peer, {})[metric[len("_detail:"):]] = note
                continue
            # Several rounds record a metric several times: the median is reported.
            values.setdefault(peer, {}).setdefault(metric, []).append(float(value) if value else None)
            if value:
                by_round.setdefault(peer, {}).setdefault(metric, {})[rnd] = float(value)
            if note and metric not in notes.get(peer, {}):
                notes.setdefault(peer, {})[metric] = note
    samples = {p: {m: v for m, v in pv.items() if len(v) > 1} for p, pv in values.items()}
    samples = {p: pv for p, pv in samples.items() if pv}
    ranges = {p: {m: [min(r.values()), median(list(r.values())), max(r.values())] for m, r in pm.items()}
              for p, pm in by_round.items()}
    values = {p: {m: median(v) for m, v in pv.items()} for p, pv in values.items()}
    meta = {}
    with open(meta_path) as f:
        for line in f:
            key, _, value = line.rstrip("\n").partition("\t")
            meta[key] = value
    mids = sorted({m for pv in values.values() for m in pv}, key=metric_order)
    metrics = []
    for mid in mids:
        label, unit, better, _ = metric_def(mid)
        metrics.append({"id": mid, "label": label, "unit": unit, "better": better,
                        "shown": mid not in HIDDEN})
    model = {"meta": meta, "peers": [{"id": p, "label": PEER_LABELS.get(p, p)} for p in peers],
             "metrics": metrics, "values": values, "samples": samples, "notes": notes,
             "skipped": skipped, "details": details, "ranges": ranges,
             "by_round": {p: {m: {str(k): v for k, v in r.items()} for m, r in pm.items()}
                          for p, pm in by_round.items()}}
    model["ratios_to_direct"] = ratios(model)
    model["paired"] = paired(model)
    model["goals"] = goals(model)
    return model


def median(vals):
    """Median of the measured values; None when none was measured."""
    got = sorted(v for v in vals if v is not None)
    if not got:
        return None
    mid = len(got) // 2
    return got[mid] if len(got) % 2 else (got[mid - 1] + got[mid]) / 2


def value(model, peer, metric):
    return model["values"].get(peer, {}).get(metric)


def ratios(model):
    out = {}
    for p in model["peers"]:
        for m in model["metrics"]:
            v, d = value(model, p["id"], m["id"]), value(model, "direct", m["id"])
            if v is not None and d:
                out.setdefault(p["id"], {})[m["id"]] = round(v / d, 3)
    return out


def paired(model):
    """Each comparison's ratio (peer / against) per round, summarised as min / median / max."""
    out = []
    for label, peer, against, metrics in COMPARISONS:
        mine, theirs = model["by_round"].get(peer, {}), model["by_round"].get(against, {})
        for mid in metrics or sorted(set(mine) & set(theirs), key=metric_order):
            if mid == "_skipped" or mid not in mine or mid not in theirs:
                continue
            rounds = sorted(set(mine[mid]) & set(theirs[mid]))
            ratios_ = [mine[mid][r] / theirs[mid][r] for r in rounds if theirs[mid][r]]
            if ratios_:
                out.append({"comparison": label, "peer": peer, "against": against, "metric": mid,
                            "rounds": len(ratios_), "min": round(min(ratios_), 3),
                            "median": round(median(ratios_), 3), "max": round(max(ratios_), 3)})
    return out


def paired_median(model, peer, against, metric):
    for p in model.get("paired", []):
        if (p["peer"], p["against"], p["metric"]) == (peer, against, metric):
            return p["median"]
    return None


def goals(model):
    """The open goals for the default ambassadord path, from this run's figures."""
    if "ambassadord" not in model["values"]:
        return []
    rows = []

    def add(text, v, target, better):
        if v is None or target is None:
            rows.append({"goal": text, "value": v, "target": target, "met": None})
            return
        met = v >= target if better == "higher" else v <= target
        gap = (target - v) / target if better == "higher" else (v - target) / target
        rows.append({"goal": text, "value": round(v, 3), "target": round(target, 3), "met": met,
                     "gap": round(gap, 3)})

    def check(text, metric, target, better):
        add(text, value(model, "ambassadord", metric), target, better)

    for m in model["metrics"]:
        if m["id"].startswith("bulk_p"):
            direct = value(model, "direct", m["id"])
            check(f"{m['label']} ≥ 0.75× direct", m["id"], direct and 0.75 * direct, "higher")
    # Against HAProxy (nbthread 2): the median of the round-by-round ratios.
    for metric, better, text in (("redis_get_p16", "higher", "redis GET -P 16"),
                                 ("close_cps", "higher", "new connections/s"),
                                 ("close_p99", "lower", "Connection: close p99"),
                                 ("ka_p99", "lower", "keep-alive p99")):
        add(f"{text} {'≥' if better == 'higher' else '≤'} HAProxy (paired ratio)",
            paired_median(model, "ambassadord", "haproxy", metric), 1.0, better)
    check("idle connection ≤ 3 KiB", "idle_kib", 3.0, "lower")
    check("start → listening ≤ 250 ms", "start_ms", 250.0, "lower")
    add("srv:// start → listening ≤ 250 ms", value(model, "ambassadord-srv", "start_ms"), 250.0, "lower")
    add("srv:// start ≤ 1.25× empty plugins folder (paired ratio)",
        paired_median(model, "ambassadord-srv", "ambassadord-noplugins", "start_ms"), 1.25, "lower")
    return [g for g in rows if not (g["value"] is None and g["target"] is None)]


# ---- text ------------------------------------------------------------------------------------

def fmt(metric_id, v):
    return "—" if v is None else metric_def(metric_id)[3].format(v)


def table(model):
    shown = [m for m in model["metrics"] if m["shown"]]
    peers = [p for p in model["peers"] if p["id"] not in model["skipped"]]
    has_direct = {m["id"]: value(model, "direct", m["id"]) is not None for m in shown}
    cols = []  # per metric: (header1, header2, [cells]) where a cell is (value, ratio)
    for m in shown:
        cells = []
        for p in peers:
            v = value(model, p["id"], m["id"])
            r = model["ratios_to_direct"].get(p["id"], {}).get(m["id"])
            mark = "*" if model["notes"].get(p["id"], {}).get(m["id"]) else ""
            cells.append((fmt(m["id"], v) + mark, f"{r:.2f}" if r is not None else ""))
        cols.append((m["label"], m["unit"], cells, has_direct[m["id"]]))
    name_w = max([len("path")] + [len(p["label"]) for p in peers])
    lines = ["", "", ""]
    widths = []
    for label, unit, cells, with_ratio in cols:
        vw = max([len(unit)] + [len(c[0]) for c in cells])
        rw = 5 if with_ratio else 0
        w = max(vw + (rw + 2 if with_ratio else 0), len(label))
        vw = w - (rw + 2 if with_ratio else 0)
        widths.append((vw, rw, w))
    lines[0] = " " * name_w
    lines[1] = "path".ljust(name_w)
    for (label, unit, _, with_ratio), (vw, rw, w) in zip(cols, widths):
        lines[0] += "   " + label.rjust(w)
        lines[1] += "   " + unit.rjust(vw) + ("  " + "×dir".rjust(rw) if with_ratio else "")
    lines[2] = "-" * len(lines[1])
    for i, p in enumerate(peers):
        row = p["label"].ljust(name_w)
        for (_, _, cells, with_ratio), (vw, rw, _) in zip(cols, widths):
            v, r = cells[i]
            row += "   " + v.rjust(vw) + ("  " + r.rjust(rw) if with_ratio else "")
        lines.append(row)
    return lines


def text_report(model):
    meta = model["meta"]
    out = [f"ambassadord bench, {meta.get('date', '?')}: {meta.get('cpus', '?')} cpus "
           f"({meta.get('cpu_model', '?')}), {meta.get('kernel', '?')}, "
           f"load at start {meta.get('load_at_start', '?')}, at end {meta.get('load_at_end', '?')}",
           f"wrk {meta.get('wrk_seconds', '?')} s ({meta.get('wrk', '')}), "
           f"iperf3 {meta.get('iperf_seconds', '?')} s (×N = N streams)"
           + (f", median of {meta['rounds']} interleaved rounds" if meta.get("rounds", "1") != "1" else "")
           + "; idle: "
           f"{meta.get('idle_connections', '?')} connections (socat "
           f"{meta.get('idle_connections_socat', '?')}); start: median of "
           f"{meta.get('start_runs', '?')} runs per round",
           "×dir = figure / direct's figure"]
    out += table(model)
    notes = []
    for p in model["peers"]:
        for mid, note in model["notes"].get(p["id"], {}).items():
            if mid in HIDDEN or (mid == "ka_p99" and "ka_rps" in model["notes"].get(p["id"], {})):
                continue
            notes.append(f"  {p['label']}, {metric_def(mid)[0]}: {note}")
    for pid, why in model["skipped"].items():
        notes.append(f"  {PEER_LABELS.get(pid, pid)}: skipped, {why}")
    if notes:
        out += ["", "notes (* in the table):"] + notes
    out += spread_report(model)
    if model.get("paired"):
        out += ["", "paired, round by round (ratio of the first to the second; min / median / max):"]
        width = max(len(p["comparison"]) for p in model["paired"])
        for p in model["paired"]:
            out.append(f"  {p['comparison'].ljust(width)}  {metric_def(p['metric'])[0]:<20} "
                       f"{p['min']:.3f} / {p['median']:.3f} / {p['max']:.3f}  ({p['rounds']} rounds)")
    if model["goals"]:
        out += ["", "goals, ambassadord (default path):"]
        for g in model["goals"]:
            if g["met"] is None:
                verdict = "not measured"
            elif g["met"]:
                verdict = "met"
            else:
                verdict = f"MISSED by {g['gap'] * 100:.0f}%"
            detail = "" if g["value"] is None or g["target"] is None else \
                f" ({g['value']:g} vs {g['target']:g})"
            out.append(f"  {g['goal']}: {verdict}{detail}")
    return "\n".join(out) + "\n"


def spread_report(model):
    """min / median / max over the rounds, with the spread ((max - min) / median), per figure."""
    ranges = model.get("ranges", {})
    if not any(len(r) for r in model.get("by_round", {}).values()):
        return []
    out = ["", "over the rounds, min / median / max (spread):"]
    peers = [p for p in model["peers"] if p["id"] in ranges]
    width = max([len(p["label"]) for p in peers] + [4])
    for m in model["metrics"]:
        if not m["shown"]:
            continue
        rows = []
        for p in peers:
            r = ranges[p["id"]].get(m["id"])
            if r is None:
                continue
            spread = (r[2] - r[0]) / r[1] * 100 if r[1] else 0
            rows.append(f"    {p['label'].ljust(width)}  {fmt(m['id'], r[0])} / {fmt(m['id'], r[1])} / "
                        f"{fmt(m['id'], r[2])}  ({spread:.0f}%)")
        if rows:
            out.append(f"  {m['label']} ({m['unit']}):")
            out += rows
    return out


def write_csv(model, path):
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["peer", "metric", "value", "unit", "ratio_to_direct", "note"])
        for p in model["peers"]:
            for m in model["metrics"]:
                if m["id"] not in model["values"].get(p["id"], {}):
                    continue
                v = value(model, p["id"], m["id"])
                w.writerow([p["id"], m["id"], "" if v is None else v, m["unit"],
                            model["ratios_to_direct"].get(p["id"], {}).get(m["id"], ""),
                            model["notes"].get(p["id"], {}).get(m["id"], "")])


# ---- chart -----------------------------------------------------------------------------------

def svg(model):
    shown = [m for m in model["metrics"] if m["shown"]]
    peers = [p for p in model["peers"] if p["id"] not in model["skipped"]]
    panel_w, label_w, bar_w, row_h, cols = 540, 165, 250, 20, 2
    panel_h = 44 + row_h * len(peers)
    rows = (len(shown) + cols - 1) // cols
    width, top = panel_w * cols + 20, 64
    height = top + rows * (panel_h + 16) + 10
    meta = model["meta"]
    s = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
         f'font-family="sans-serif" font-size="12">',
         f'<rect width="{width}" height="{height}" fill="white"/>',
         f'<text x="10" y="24" font-size="18" font-weight="bold">ambassadord bench: loopback, '
         f'{escape(meta.get("cpus", "?"))} cpus</text>',
         f'<text x="10" y="44" fill="#555">{escape(meta.get("date", ""))} · '
         f'{escape(meta.get("kernel", ""))} · wrk {escape(meta.get("wrk_seconds", "?"))} s, '
         f'iperf3 {escape(meta.get("iperf_seconds", "?"))} s'
         + (f', median of {escape(meta["rounds"])} rounds' if meta.get("rounds", "1") != "1" else "")
         + f' · load at start '
         f'{escape(meta.get("load_at_start", "?"))}, at end {escape(meta.get("load_at_end", "?"))}'
         f' · ratio = figure / direct</text>']
    for i, m in enumerate(shown):
        x0 = 10 + (i % cols) * panel_w
        y0 = top + (i // cols) * (panel_h + 16)
        better = "higher" if m["better"] == "higher" else "lower"
        s.append(f'<text x="{x0}" y="{y0 + 16}" font-size="14" font-weight="bold">'
                 f'{escape(m["label"])} <tspan font-weight="normal" fill="#555">'
                 f'{escape(m["unit"])}, {better} is better</tspan></text>')
        vals = [value(model, p["id"], m["id"]) for p in peers]
        top_v = max([v for v in vals if v is not None] or [1]) or 1
        for j, p in enumerate(peers):
            y = y0 + 30 + j * row_h
            weight = ' font-weight="bold"' if p["id"].startswith("ambassadord") else ""
            s.append(f'<text x="{x0 + label_w - 6}" y="{y + 13}" text-anchor="end"{weight}>'
                     f'{escape(p["label"])}</text>')
            v = vals[j]
            if v is None:
                na = "n/a" if p["id"] == "direct" else "failed"
                s.append(f'<text x="{x0 + label_w}" y="{y + 13}" fill="#999">{na}</text>')
                continue
            w = max(1, round(bar_w * v / top_v))
            s.append(f'<rect x="{x0 + label_w}" y="{y + 2}" width="{w}" height="{row_h - 5}" '
                     f'fill="{PEER_COLORS.get(p["id"], "#777")}"/>')
            r = model["ratios_to_direct"].get(p["id"], {}).get(m["id"])
            text = fmt(m["id"], v) + (f"  ({r:.2f}×)" if r is not None and p["id"] != "direct" else "")
            s.append(f'<text x="{x0 + label_w + w + 5}" y="{y + 13}">{escape(text)}</text>')
    s.append("</svg>")
    return "\n".join(s) + "\n"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--tsv")
    parser.add_argument("--meta")
    parser.add_argument("--json")
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    if args.json:
        with open(args.json) as f:
            model = json.load(f)
        # Derived from the stored rounds, so that a re-render uses this version's rules.
        model["paired"] = paired(model)
        model["goals"] = goals(model)
    elif args.tsv and args.meta:
        model = load_tsv(args.tsv, args.meta)
    else:
        parser.error("give --tsv and --meta, or --json")
    os.makedirs(args.out, exist_ok=True)
    text = text_report(model)
    if not args.json or os.path.abspath(args.json) == os.path.abspath(os.path.join(args.out, "latest.json")):
        with open(os.path.join(args.out, "latest.json"), "w") as f:
            json.dump(model, f, indent=2, ensure_ascii=False)
            f.write("\n")
    write_csv(model, os.path.join(args.out, "latest.csv"))
    with open(os.path.join(args.out, "latest.txt"), "w") as f:
        f.write(text)
    with open(os.path.join(args.out, "latest.svg"), "w") as f:
        f.write(svg(model))
    print(text, end="")
    print(f"\nwritten: {', '.join(os.path.join(args.out, 'latest.' + e) for e in ('json', 'csv', 'txt', 'svg'))}")


if __name__ == "__main__":
    main()
