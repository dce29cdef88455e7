"""The benchmark's table (ops.bench.report): the cold column beside the warm figures, each judged by its target."""

from ops import bench


def measure(median_ms):
    return bench.Measure(requests=100, seconds=3, median_ms=median_ms, p95_ms=median_ms * 2, per_second=10, errors=0)


def small_run(*, cold_import_ms):
    run = bench.SizeRun(size="small", database="portal_bench_small")
    run.setup = {"municipalities": 3, "records": 2045, "municipality": "ulvby", "code": "0914"}
    run.load = (1.0, 1.0)
    run.measures = {"health_before": measure(1.0), "health_after": measure(1.0)}
    run.cold = {"health": 2.0}
    for key, _label, target in bench.PAGES:
        run.measures[key] = measure(target * 0.9)  # every warm target met
        run.queries[key] = 3
        if key != "log":
            run.cold[key] = 2.0 * bench.COLD_TARGETS[key] * 0.9
    run.cold["import"] = cold_import_ms
    return run


def test_every_page_gets_its_cold_figure_and_ratio_and_a_slow_cold_page_misses(capsys):
    verdict = bench.report([small_run(cold_import_ms=2.0 * 30)], seconds=3, concurrency=4, workers=2)
    out = capsys.readouterr().out
    assert verdict == 1
    assert "import preview POST cold 30.0x > 25x (small)" in out
    line = next(line for line in out.splitlines() if line.startswith("import preview POST"))
    assert "60.00" in line and "30.0" in line
    # The log-form POST is itself the write: no cold figure.
    log_line = next(line for line in out.splitlines() if line.startswith("log-form POST"))
    assert log_line.count("yes") == 1


def test_with_every_cold_figure_within_target_the_run_passes(capsys):
    assert bench.report([small_run(cold_import_ms=2.0 * 20)], seconds=3, concurrency=4, workers=2) == 0
    assert "ALL TARGETS MET" in capsys.readouterr().out
