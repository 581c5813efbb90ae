"""Turn benchmark results into the Markdown tables and the verdict on the README's targets."""

from itertools import pairwise

NOT_AVAILABLE = "n.v.t."
# Throughput goals (issue 17): page key → (basis, minimum share of the basis's req/s in the same run and size).
# "bare" is the anonymous bare Django view, "bare_signed_in" the bare view behind the same sign-in and role check.
THROUGHPUT_GOALS = {
    "bare_signed_in": ("bare", 0.40),
    "dashboard": ("bare_signed_in", 0.50),
    "region": ("bare_signed_in", 0.50),
    "region_list": ("bare_signed_in", 0.50),
    "trend": ("bare_signed_in", 0.50),
    "lagging": ("bare_signed_in", 0.50),
    "follow_up": ("bare_signed_in", 0.50),
    "save": ("bare_signed_in", 0.25),
    "public": ("bare", 0.80),
}
# A page's share of its basis at the largest size must stay at least this part of its share at the smallest.
SCALE_MIN_KEPT = 0.80
REBUILD_MAX_GROWTH = 12  # per 10× regions
REBUILD_44_MAX_SECONDS = 1.0
BASIS_LABEL = {"bare": "anonymous bare view", "bare_signed_in": "signed-in bare view"}


def _number(value, digits: int = 1) -> str:
    return NOT_AVAILABLE if value is None else f"{value:,.{digits}f}"


def _percentage(ratio) -> str:
    return NOT_AVAILABLE if ratio is None else f"{ratio:.0%}"


def _queries(page: dict) -> str:
    first, repeat = page.get("queries"), page.get("queries_repeat")
    if first is None:
        return NOT_AVAILABLE
    return str(first) if repeat in (None, first) else f"{first} (repeat: {repeat})"


def _all_met(checks: list[bool], *, complete: bool) -> bool | None:
    """False as soon as one check failed; True only when every check was measured and passed; else unknown."""
    if not all(checks):
        return False
    return True if checks and complete else None


def _pages(results: dict, key: str) -> list[tuple[int, dict]]:
    return [(size["regions"], page) for size in results["sizes"] for page in size["pages"] if page["key"] == key]


def _share(results_size: dict, key: str, basis: str) -> float | None:
    pages = {page["key"]: page for page in results_size["pages"]}
    page, base = pages.get(key, {}), pages.get(basis, {})
    return page["rps"] / base["rps"] if page.get("rps") and base.get("rps") else None


def targets(results: dict) -> list[dict]:
    """Each README target with what this run measured and whether it was met (None: could not be measured)."""
    out = []
    sizes = results["sizes"]
    present = [key for key in THROUGHPUT_GOALS if any(_pages(results, key))]
    for key in present:
        basis, minimum = THROUGHPUT_GOALS[key]
        label = next(page["label"] for _, page in _pages(results, key))
        shares = [(size["regions"], _share(size, key, basis)) for size in sizes]
        measured = [share for _, share in shares if share is not None]
        out.append(
            {
                "target": f"{label} ≥ {minimum:.0%} of the {BASIS_LABEL[basis]}",
                "measured": ", ".join(f"{regions:,}: {_percentage(share)}" for regions, share in shares),
                "met": _all_met([share >= minimum for share in measured], complete=len(measured) == len(shares)),
            }
        )
    for key in present:
        basis, _ = THROUGHPUT_GOALS[key]
        if len(sizes) < 2 or key == "bare_signed_in":
            continue
        small, large = _share(sizes[0], key, basis), _share(sizes[-1], key, basis)
        label = next(page["label"] for _, page in _pages(results, key))
        kept = large / small if small and large else None
        out.append(
            {
                "target": (
                    f"{label}: share at {sizes[-1]['regions']:,} regions ≥ {SCALE_MIN_KEPT:.0%} of its share at {sizes[0]['regions']:,}"
                ),
                "measured": NOT_AVAILABLE if kept is None else f"{_percentage(large)} / {_percentage(small)} = {kept:.0%}",
                "met": None if kept is None else kept >= SCALE_MIN_KEPT,
            }
        )
    keys = dict.fromkeys(page["key"] for size in results["sizes"] for page in size["pages"] if not page["key"].startswith("bare"))
    counts = {key: [page.get("queries") for _, page in _pages(results, key)] for key in keys}
    known = {key: values for key, values in counts.items() if None not in values}
    out.append(
        {
            "target": "SQL queries per page the same at every data size",
            "measured": "; ".join(
                f"{key}: {'/'.join(NOT_AVAILABLE if v is None else str(v) for v in values)}" for key, values in counts.items()
            ),
            "met": all(len(set(values)) == 1 for values in known.values()) if known else None,
        }
    )
    rebuilds = [(size["regions"], (size.get("rebuild") or {}).get("current_month_s")) for size in results["sizes"]]
    growth = [
        (small, large, t_large / t_small)
        for (small, t_small), (large, t_large) in pairwise(rebuilds)
        if t_small and t_large and large == 10 * small
    ]
    out.append(
        {
            "target": f"rebuild time grows no faster than linearly (10× regions ≤ {REBUILD_MAX_GROWTH}× time)",
            "measured": ", ".join(f"{small}→{large}: {factor:.1f}×" for small, large, factor in growth) or NOT_AVAILABLE,
            "met": all(factor <= REBUILD_MAX_GROWTH for _, _, factor in growth) if growth else None,
        }
    )
    t44 = dict(rebuilds).get(44)
    out.append(
        {
            "target": f"44-region rebuild with {results['months'] // 12} years of history well under {REBUILD_44_MAX_SECONDS:g} s",
            "measured": NOT_AVAILABLE if t44 is None else f"{t44:.3f} s",
            "met": None if t44 is None else t44 < REBUILD_44_MAX_SECONDS,
        }
    )
    return out


def results_markdown(results: dict) -> str:
    settings = results["load"]
    lines = [
        f"Run of {results['started_at']} (commit {results['git_commit']}), {results['duration_s']:.0f} s in all"
        + (" — quick run, not for the README" if results["quick"] else "")
        + ".",
        "",
        (
            f"### Throughput: gunicorn with {settings['workers']} workers, DEBUG off; {settings['generator']}, "
            f"{settings['connections']} connections, {settings['seconds']:g} s per page after {settings['warmup']:g} s warm-up"
        ),
        "",
        "| regions | page | req/s | p50 ms | p95 ms | × bare view | × signed-in bare view | SQL queries |",
        "|---:|---|---:|---:|---:|---:|---:|---|",
    ]
    for size in results["sizes"]:
        for page in size["pages"]:
            if "error" in page:
                lines.append(f"| {size['regions']:,} | {page['label']} | error: {page['error']} | | | | | {_queries(page)} |")
                continue
            lines.append(
                f"| {size['regions']:,} | {page['label']} | {_number(page.get('rps'))} | {_number(page.get('p50_ms'))} "
                f"| {_number(page.get('p95_ms'))} | {_percentage(page.get('ratio'))} "
                f"| {_percentage(page.get('ratio_signed_in'))} | {_queries(page)} |"
            )
    lines += [
        "",
        f"### Monthly dashboard rebuild ({results['months']} months of history per region × agreement)",
        "",
        (
            "| regions | status changes | data generated in s | snapshots built | rebuild of the current month s "
            "| median rebuild of a past month s |"
        ),
        "|---:|---:|---:|---:|---:|---:|",
    ]
    for size in results["sizes"]:
        rebuild = size.get("rebuild") or {}
        lines.append(
            f"| {size['regions']:,} | {size['status_changes']:,} | {_number(size['generate_s'])} "
            f"| {rebuild.get('snapshots', NOT_AVAILABLE)} | {_number(rebuild.get('current_month_s'), 3)} "
            f"| {_number(rebuild.get('past_median_s'), 3)} |"
        )
    labels = {page["key"]: page["label"] for size in results["sizes"] for page in size["pages"]}
    if any(size.get("browser") for size in results["sizes"]):
        lines += [
            "",
            "### In the browser: headless Chromium, Navigation Timing, median of several loads after a warm-up",
            "",
            "| regions | page | time to first byte ms | load event ms |",
            "|---:|---|---:|---:|",
        ]
        for size in results["sizes"]:
            for timing in size.get("browser") or []:
                label = labels.get(timing["key"], timing["key"])
                if "error" in timing:
                    lines.append(f"| {size['regions']:,} | {label} | error: {timing['error']} | |")
                else:
                    lines.append(f"| {size['regions']:,} | {label} | {_number(timing['ttfb_ms'])} | {_number(timing['load_ms'])} |")
    lines += ["", "### Targets", "", "| target | measured | met |", "|---|---|---|"]
    verdict = {True: "yes", False: "**no**", None: NOT_AVAILABLE}
    for target in results["targets"]:
        lines.append(f"| {target['target']} | {target['measured']} | {verdict[target['met']]} |")
    return "\n".join(lines) + "\n"
