#!/usr/bin/env python3
"""Renders distribution/grafana/ambassadord-dashboard.json from a live Prometheus.

No Grafana package is reachable from our build machines, so docs/OPERATIONS.md shows the
dashboard's panels drawn with matplotlib from the same PromQL expressions, queried over
Prometheus' HTTP API (query_range) after real traffic.

usage: render_dashboard.py http://127.0.0.1:9090 MINUTES OUT.png
needs: Debian python3-matplotlib (run with /usr/bin/python3)
"""
import json
import os
import sys
import time
import urllib.parse
import urllib.request

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

DASHBOARD = os.path.join(os.path.dirname(__file__), "..", "..", "distribution", "grafana", "ambassadord-dashboard.json")


def query_range(prometheus, expr, start, end, step):
    url = prometheus + "/api/v1/query_range?" + urllib.parse.urlencode(
        {"query": expr, "start": start, "end": end, "step": step})
    with urllib.request.urlopen(url, timeout=10) as response:
        answer = json.load(response)
    if answer.get("status") != "success":
        raise SystemExit("query failed: " + expr + ": " + json.dumps(answer))
    return answer["data"]["result"]


def legend(template, metric):
    text = template
    for key, value in metric.items():
        text = text.replace("{{" + key + "}}", value)
    return text


def main():
    if len(sys.argv) != 4:
        raise SystemExit(__doc__)
    prometheus, minutes, out = sys.argv[1], float(sys.argv[2]), sys.argv[3]
    with open(DASHBOARD) as f:
        dashboard = json.load(f)
    end = time.time()
    start = end - minutes * 60
    panels = dashboard["panels"]
    rows = (len(panels) + 1) // 2
    figure, axes = plt.subplots(rows, 2, figsize=(14, 3.2 * rows))
    for axis, panel in zip(axes.flat, panels):
        for target in panel["targets"]:
            for series in query_range(prometheus, target["expr"], start, end, 2):
                times = [float(t) - start for t, _ in series["values"]]
                values = [float(v) for _, v in series["values"]]
                axis.plot(times, values, label=legend(target["legendFormat"], series["metric"]))
        axis.set_title(panel["title"] + " [" + panel["fieldConfig"]["defaults"]["unit"] + "]")
        axis.set_xlabel("seconds")
        axis.grid(True, alpha=0.3)
        if axis.get_legend_handles_labels()[0]:
            axis.legend(fontsize=7, loc="upper left")
    figure.suptitle("ambassadord dashboard panels, scraped by Prometheus every second")
    figure.tight_layout()
    figure.savefig(out, dpi=80)
    print("wrote", out)


if __name__ == "__main__":
    main()
