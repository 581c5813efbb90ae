from bench.report import results_markdown, targets


def _results(dashboard_rps_4400: float, queries_4400: int) -> dict:
    def size(regions, rebuild_s, dashboard_rps, queries):
        return {
            "regions": regions,
            "status_changes": regions * 8 * 120,
            "generate_s": 1.0,
            "rebuild": {"current_month_s": rebuild_s, "past_median_s": rebuild_s, "snapshots": 120},
            "pages": [
                {
                    "key": "bare",
                    "label": "bare Django view",
                    "rps": 1000.0,
                    "p50_ms": 2.0,
                    "p95_ms": 4.0,
                    "ratio": 1.0,
                    "ratio_signed_in": None,
                    "queries": 0,
                    "queries_repeat": 0,
                },
                {
                    "key": "bare_signed_in",
                    "label": "bare Django view, signed in",
                    "rps": 800.0,
                    "p50_ms": 3.0,
                    "p95_ms": 5.0,
                    "ratio": 0.8,
                    "ratio_signed_in": 1.0,
                    "queries": 3,
                    "queries_repeat": 3,
                },
                {
                    "key": "dashboard",
                    "label": "national dashboard",
                    "rps": dashboard_rps,
                    "p50_ms": 5.0,
                    "p95_ms": 9.5,
                    "ratio": dashboard_rps / 1000,
                    "ratio_signed_in": dashboard_rps / 800,
                    "queries": queries,
                    "queries_repeat": 3,
                },
                {"key": "region", "label": "region page", "path": None},
                {"key": "save", "label": "saving a status (POST)", "path": "/x/", "queries": 12, "error": "3 POSTs refused, 0 accepted"},
            ],
        }

    results = {
        "started_at": "2026-11-29T05:00:00+00:00",
        "git_commit": "abc1234",
        "quick": False,
        "duration_s": 420.0,
        "months": 120,
        "load": {"workers": 2, "connections": 4, "seconds": 10, "warmup": 1, "generator": "wrk"},
        "sizes": [size(44, 0.2, 700.0, 7), size(440, 1.5, 650.0, 7), size(4400, 20.0, dashboard_rps_4400, queries_4400)],
    }
    results["targets"] = targets(results)
    return results


def test_markdown_has_one_row_per_size_and_page_with_ratio_and_queries():
    markdown = results_markdown(_results(dashboard_rps_4400=600.0, queries_4400=7))

    assert "| 4,400 | national dashboard | 600.0 | 5.0 | 9.5 | 60% | 75% | 7 (repeat: 3) |" in markdown
    assert "| 44 | bare Django view | 1,000.0 | 2.0 | 4.0 | 100% | n.v.t. | 0 |" in markdown
    assert "| 44 | bare Django view, signed in | 800.0 | 3.0 | 5.0 | 80% | 100% | 3 |" in markdown
    assert "| 440 | region page | n.v.t. | n.v.t. | n.v.t. | n.v.t. | n.v.t. | n.v.t. |" in markdown
    assert "| 44 | saving a status (POST) | error: 3 POSTs refused, 0 accepted | | | | | 12 |" in markdown
    assert "| 4,400 | 4,224,000 | 1.0 | 120 | 20.000 | 20.000 |" in markdown


def test_targets_report_each_goal_against_its_basis_and_the_scale_goal():
    met = {t["target"]: t["met"] for t in _results(dashboard_rps_4400=600.0, queries_4400=7)["targets"]}
    missed = {t["target"]: t["met"] for t in _results(dashboard_rps_4400=300.0, queries_4400=9)["targets"]}

    assert met["bare Django view, signed in ≥ 40% of the anonymous bare view"] is True  # 800 of 1000
    assert met["national dashboard ≥ 50% of the signed-in bare view"] is True  # 600 of 800 at 4,400
    assert met["region page ≥ 50% of the signed-in bare view"] is None  # not measured
    assert met["saving a status (POST) ≥ 25% of the signed-in bare view"] is None  # refused POSTs
    assert met["national dashboard: share at 4,400 regions ≥ 80% of its share at 44"] is True  # 75% / 88%
    assert met["SQL queries per page the same at every data size"] is True
    assert met["rebuild time grows no faster than linearly (10× regions ≤ 12× time)"] is False  # 440 → 4400: 13.3×
    assert missed["national dashboard ≥ 50% of the signed-in bare view"] is False
    assert missed["national dashboard: share at 4,400 regions ≥ 80% of its share at 44"] is False  # 38% / 88%
    assert missed["SQL queries per page the same at every data size"] is False
    markdown = results_markdown(_results(dashboard_rps_4400=300.0, queries_4400=9))
    assert "| national dashboard ≥ 50% of the signed-in bare view | 44: 88%, 440: 81%, 4,400: 38% | **no** |" in markdown
    assert "| national dashboard: share at 4,400 regions ≥ 80% of its share at 44 | 38% / 88% = 43% | **no** |" in markdown
    assert "440→4400: 13.3×" in markdown


def test_a_page_that_did_not_answer_does_not_hide_a_missed_target():
    results = _results(dashboard_rps_4400=600.0, queries_4400=7)
    results["sizes"][2]["pages"][2] = {"key": "dashboard", "label": "national dashboard", "error": "no answer"}
    goal = "national dashboard ≥ 50% of the signed-in bare view"
    assert {t["target"]: t["met"] for t in targets(results)}[goal] is None

    results["sizes"][0]["pages"][2]["rps"] = 200.0
    assert {t["target"]: t["met"] for t in targets(results)}[goal] is False


def test_browser_timings_get_their_own_table():
    results = _results(dashboard_rps_4400=600.0, queries_4400=7)
    results["sizes"][0]["browser"] = [
        {"key": "dashboard", "ttfb_ms": 12.5, "load_ms": 80.25, "loads": 7},
        {"key": "region", "error": "GET answered 404"},
    ]
    markdown = results_markdown(results)
    assert "| 44 | national dashboard | 12.5 | 80.2 |" in markdown
    assert "| 44 | region page | error: GET answered 404 | |" in markdown
