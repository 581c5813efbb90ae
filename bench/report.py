"""Turn benchmark results into the Markdown tables and the verdict on the README's targets."""

from itertools import pairwise

NOT_AVAILABLE = "n.v.t."
DASHBOARD_MIN_RATIO = 0.5
REBUILD_MAX_GROWTH = 12  # per 10× regions
REBUILD_44_MAX_SECONDS = 1.0


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


def targets(results: dict) -> list[dict]:
    """Each README target with what this run measured and whether it was met (None: could not be measured)."""
    out = []
    ratios = [(regions, page.get("ratio")) for regions, page in _pages(results, "dashboard")]
    measured = [ratio for _, ratio in ratios if ratio is not None]
    out.append(
        {
            "target": f"dashboard throughput ≥ {DASHBOARD_MIN_RATIO:.0%} of the bare view",
            "measured": ", ".join(f"{regions}: {_percentage(ratio)}" for regions, ratio in ratios),
            "met": _all_met([ratio >= DASHBOARD_MIN_RATIO for ratio in measured], complete=len(measured) == len(ratios)),
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
    lines += ["", "### Targets", "", "| target | measured | met |", "|---|---|---|"]
    verdict = {True: "yes", False: "**no**", None: NOT_AVAILABLE}
    for target in results["targets"]:
        lines.append(f"| {target['target']} | {target['measured']} | {verdict[target['met']]} |")
    return "\n".join(lines) + "\n"
