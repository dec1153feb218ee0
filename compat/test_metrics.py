"""Metrics through the OFFICIAL mlflow client (2.22.x and 3.x): training loops over
thousands of steps, ``MlflowClient().get_metric_history``, the "latest value" a run
reports, NaN/Inf, and the server's checks on ``runs/log-metric`` / ``metrics/get-history``.

Expected behaviour is MLflow's own server (``SqlAlchemyStore.log_metric`` /
``get_metric_history`` / ``_update_latest_metrics_if_necessary``), checked against a real
MLflow 3.17.2 server.
"""

from __future__ import annotations

import math
import sys
import time

import mlflow
import pytest
from mlflow.entities import Metric
from mlflow.exceptions import MlflowException

pytestmark = pytest.mark.usefixtures("no_active_run")

MISSING_RUN_ID = "0" * 32


def _now_ms() -> int:
    return int(time.time() * 1000)


def _points(history):
    return [(m.step, m.timestamp, m.value) for m in history]


# --------------------------------------------------------------------------- training loops


def test_training_loop_log_metric_every_step(client, unique_name):
    """One synchronous runs/log-metric request per step, as the plainest script does."""
    mlflow.set_experiment(unique_name("loop"))
    steps = 500
    with mlflow.start_run() as run:
        for step in range(steps):
            mlflow.log_metric("loss", 1.0 / (step + 1), step=step)
    run_id = run.info.run_id

    history = client.get_metric_history(run_id, "loss")
    assert [m.step for m in history] == list(range(steps))
    assert [m.value for m in history] == [pytest.approx(1.0 / (s + 1)) for s in range(steps)]
    assert all(m.key == "loss" for m in history)
    # Client-side timestamps: non-decreasing, epoch millis.
    stamps = [m.timestamp for m in history]
    assert stamps == sorted(stamps)
    assert abs(stamps[-1] - _now_ms()) < 10 * 60 * 1000
    assert client.get_run(run_id).data.metrics == {"loss": pytest.approx(1.0 / steps)}


def test_training_loop_async_log_metrics_thousands_of_steps(client, unique_name):
    """log_metrics(..., synchronous=False): the client queues points and sends them as
    runs/log-batch requests; end_run flushes the queue."""
    mlflow.set_experiment(unique_name("asyncloop"))
    steps = 3000
    with mlflow.start_run() as run:
        for step in range(steps):
            mlflow.log_metrics(
                {"train/loss": 10.0 / (step + 1), "train/acc": step / steps},
                step=step,
                synchronous=False,
            )
    run_id = run.info.run_id
    loss = client.get_metric_history(run_id, "train/loss")
    acc = client.get_metric_history(run_id, "train/acc")
    assert [m.step for m in loss] == list(range(steps))
    assert [m.step for m in acc] == list(range(steps))
    assert [m.value for m in acc] == [pytest.approx(s / steps) for s in range(steps)]
    assert client.get_run(run_id).data.metrics == {
        "train/loss": pytest.approx(10.0 / steps),
        "train/acc": pytest.approx((steps - 1) / steps),
    }


def test_metric_history_ten_thousand_points(client, experiment_id):
    """10,000 points of one metric arrive in 10 runs/log-batch requests (the client chunks
    by 1000) and come back, in order, from one get_metric_history call."""
    run_id = client.create_run(experiment_id).info.run_id
    n = 10_000
    base = 1_700_000_000_000
    client.log_batch(run_id, metrics=[Metric("val/loss", n - i, base + i, i) for i in range(n)])
    history = client.get_metric_history(run_id, "val/loss")
    assert len(history) == n
    assert _points(history) == [(i, base + i, float(n - i)) for i in range(n)]
    assert client.get_run(run_id).data.metrics == {"val/loss": 1.0}


# --------------------------------------------------------------------------- history and latest


def test_history_order_and_latest_value(client, experiment_id):
    """History is ordered by (timestamp, step, value). The run's metric is the point with
    the largest (step, timestamp, value) -- not the one logged last."""
    run_id = client.create_run(experiment_id).info.run_id
    logged = [(5, 300, 5.0), (3, 400, 3.0), (5, 200, 4.0), (5, 300, 7.0), (1, 100, 9.0)]
    for step, ts, value in logged:
        client.log_metric(run_id, "m", value, timestamp=ts, step=step)

    assert _points(client.get_metric_history(run_id, "m")) == [
        (1, 100, 9.0),
        (5, 200, 4.0),
        (5, 300, 5.0),
        (5, 300, 7.0),
        (3, 400, 3.0),
    ]
    run = client.get_run(run_id)
    assert run.data.metrics == {"m": 7.0}

    # A later point at a lower step does not replace it.
    client.log_metric(run_id, "m", 0.5, timestamp=_now_ms(), step=4)
    assert client.get_run(run_id).data.metrics == {"m": 7.0}
    # A higher step does.
    client.log_metric(run_id, "m", 0.25, timestamp=1, step=6)
    assert client.get_run(run_id).data.metrics == {"m": 0.25}


def test_same_point_twice_is_stored_once(client, experiment_id):
    run_id = client.create_run(experiment_id).info.run_id
    client.log_metric(run_id, "d", 1.0, timestamp=100, step=1)
    client.log_metric(run_id, "d", 1.0, timestamp=100, step=1)
    client.log_batch(run_id, metrics=[Metric("d", 1.0, 100, 1)])
    assert _points(client.get_metric_history(run_id, "d")) == [(1, 100, 1.0)]
    # Same step and timestamp with another value is another point.
    client.log_metric(run_id, "d", 2.0, timestamp=100, step=1)
    assert _points(client.get_metric_history(run_id, "d")) == [(1, 100, 1.0), (1, 100, 2.0)]


def test_default_step_and_timestamp(client, experiment_id):
    run_id = client.create_run(experiment_id).info.run_id
    before = _now_ms()
    client.log_metric(run_id, "plain", 3.5)
    (point,) = client.get_metric_history(run_id, "plain")
    assert point.step == 0
    assert point.value == 3.5
    assert before - 60_000 <= point.timestamp <= _now_ms() + 60_000


def test_negative_step_and_large_values(client, experiment_id):
    run_id = client.create_run(experiment_id).info.run_id
    client.log_metric(run_id, "neg", -1.5, timestamp=2, step=-3)
    client.log_metric(run_id, "big", 1e300, timestamp=2, step=2**40)
    client.log_metric(run_id, "tiny", -1e-300, timestamp=2, step=0)
    assert _points(client.get_metric_history(run_id, "neg")) == [(-3, 2, -1.5)]
    assert _points(client.get_metric_history(run_id, "big")) == [(2**40, 2, 1e300)]
    assert client.get_run(run_id).data.metrics == {"neg": -1.5, "big": 1e300, "tiny": -1e-300}


def test_integer_and_bool_like_values(client, experiment_id):
    run_id = client.create_run(experiment_id).info.run_id
    client.log_metric(run_id, "int", 7)
    client.log_metric(run_id, "flag", True)
    metrics = client.get_run(run_id).data.metrics
    assert metrics == {"int": 7.0, "flag": 1.0}
    assert all(isinstance(v, float) for v in metrics.values())


def test_history_of_unknown_key_is_empty(client, experiment_id):
    run_id = client.create_run(experiment_id).info.run_id
    client.log_metric(run_id, "exists", 1.0)
    assert client.get_metric_history(run_id, "does-not-exist") == []


def test_history_of_unknown_run(client, raw):
    """MLflow answers an empty history (HTTP 200 {}) for a run that does not exist; a
    RESOURCE_DOES_NOT_EXIST error is also acceptable. Never a 5xx."""
    try:
        assert client.get_metric_history(MISSING_RUN_ID, "m") == []
    except MlflowException as e:
        assert e.error_code == "RESOURCE_DOES_NOT_EXIST"
    resp = raw.get("metrics/get-history", {"run_id": MISSING_RUN_ID, "metric_key": "m"})
    assert resp.status_code in (200, 404), resp.text


def test_metrics_are_per_run(client, experiment_id):
    a = client.create_run(experiment_id).info.run_id
    b = client.create_run(experiment_id).info.run_id
    client.log_metric(a, "shared", 1.0, step=0)
    client.log_metric(b, "shared", 2.0, step=0)
    assert [m.value for m in client.get_metric_history(a, "shared")] == [1.0]
    assert [m.value for m in client.get_metric_history(b, "shared")] == [2.0]


# --------------------------------------------------------------------------- NaN / Inf


def test_nan_and_inf_round_trip(client, raw, experiment_id, target):
    """NaN comes back as NaN. MLflow's SQL store clamps +/-Inf to +/-sys.float_info.max
    (1.7976931348623157e308); Cairn stores doubles natively and gives +/-Inf back."""
    run_id = client.create_run(experiment_id).info.run_id
    client.log_metric(run_id, "nan", float("nan"), timestamp=1, step=0)
    client.log_metric(run_id, "pinf", float("inf"), timestamp=1, step=0)
    client.log_metric(run_id, "ninf", float("-inf"), timestamp=1, step=0)
    client.log_batch(run_id, metrics=[Metric("batch_nan", float("nan"), 1, 0)])

    if target == "cairn":
        pinf, ninf = math.inf, -math.inf
    else:
        pinf, ninf = sys.float_info.max, -sys.float_info.max

    metrics = client.get_run(run_id).data.metrics
    assert math.isnan(metrics["nan"])
    assert math.isnan(metrics["batch_nan"])
    assert metrics["pinf"] == pinf
    assert metrics["ninf"] == ninf

    (nan_point,) = client.get_metric_history(run_id, "nan")
    assert math.isnan(nan_point.value)
    assert [m.value for m in client.get_metric_history(run_id, "pinf")] == [pinf]
    assert [m.value for m in client.get_metric_history(run_id, "ninf")] == [ninf]

    # On the wire NaN is protobuf's string "NaN" (and Infinity "Infinity"/"-Infinity").
    body = raw.ok_get("runs/get", {"run_id": run_id})
    wire = {m["key"]: m["value"] for m in body["run"]["data"]["metrics"]}
    assert wire["nan"] == "NaN"
    if target == "cairn":
        assert (wire["pinf"], wire["ninf"]) == ("Infinity", "-Infinity")


def test_nan_can_be_sent_as_string_over_rest(client, raw, experiment_id):
    run_id = client.create_run(experiment_id).info.run_id
    raw.ok_post(
        "runs/log-metric",
        {"run_id": run_id, "key": "s_nan", "value": "NaN", "timestamp": 5, "step": 1},
    )
    raw.ok_post(
        "runs/log-batch",
        {"run_id": run_id, "metrics": [{"key": "b_nan", "value": "NaN", "timestamp": 5}]},
    )
    metrics = client.get_run(run_id).data.metrics
    assert math.isnan(metrics["s_nan"]) and math.isnan(metrics["b_nan"])


def test_nan_and_latest_value(client, experiment_id):
    run_id = client.create_run(experiment_id).info.run_id
    # A later NaN at the same step becomes the latest value...
    client.log_metric(run_id, "a", 1.0, timestamp=1, step=0)
    client.log_metric(run_id, "a", float("nan"), timestamp=2, step=0)
    # ...and a real value at a higher step replaces a NaN.
    client.log_metric(run_id, "b", float("nan"), timestamp=1, step=0)
    client.log_metric(run_id, "b", 2.0, timestamp=1, step=1)
    metrics = client.get_run(run_id).data.metrics
    assert math.isnan(metrics["a"])
    assert metrics["b"] == 2.0
    assert len(client.get_metric_history(run_id, "a")) == 2


# --------------------------------------------------------------------------- REST checks


def test_get_history_paging_over_rest(client, raw, experiment_id):
    """metrics/get-history takes max_results and page_token (MLflow >= 3.2; the 3.x client
    sends max_results=25000 and follows next_page_token)."""
    run_id = client.create_run(experiment_id).info.run_id
    client.log_batch(run_id, metrics=[Metric("pg", float(i), 1000 + i, i) for i in range(250)])

    sizes, steps, token = [], [], None
    for _ in range(10):
        params = {"run_id": run_id, "metric_key": "pg", "max_results": 100}
        if token:
            params["page_token"] = token
        body = raw.ok_get("metrics/get-history", params)
        page = body.get("metrics", [])
        sizes.append(len(page))
        steps += [m["step"] for m in page]
        token = body.get("next_page_token")
        if not token:
            break
    assert sizes == [100, 100, 50]
    assert steps == list(range(250))

    # Without max_results: everything.
    body = raw.ok_get("metrics/get-history", {"run_id": run_id, "metric_key": "pg"})
    assert len(body["metrics"]) == 250
    assert "next_page_token" not in body
    assert set(body["metrics"][0]) >= {"key", "value", "timestamp", "step"}
    assert body["metrics"][0]["key"] == "pg"
    assert type(body["metrics"][0]["timestamp"]) is int


def test_get_history_empty_is_empty_object(client, raw, experiment_id):
    run_id = client.create_run(experiment_id).info.run_id
    assert raw.ok_get("metrics/get-history", {"run_id": run_id, "metric_key": "nothing"}) == {}


@pytest.mark.parametrize(
    "params,message",
    [
        ({"metric_key": "m"}, "Missing value for required parameter 'run_id'."),
        ({"run_id": MISSING_RUN_ID}, "Missing value for required parameter 'metric_key'."),
    ],
    ids=["no-run-id", "no-metric-key"],
)
def test_get_history_required_params(raw, expect_error, params, message):
    expect_error(raw.get("metrics/get-history", params), 400, "INVALID_PARAMETER_VALUE", message)


@pytest.mark.parametrize(
    "body,message",
    [
        ({"key": "m", "value": 1}, "Missing value for required parameter 'timestamp'."),
        ({"key": "m", "timestamp": 1}, "Missing value for required parameter 'value'."),
        ({"value": 1, "timestamp": 1}, "Missing value for required parameter 'key'."),
        ({"key": "m", "value": "abc", "timestamp": 1}, "Invalid value \"abc\" for parameter 'value' supplied"),
        ({"key": "m", "value": 1, "timestamp": 1, "step": "x"}, "Invalid value \"x\" for parameter 'step' supplied"),
    ],
    ids=["no-timestamp", "no-value", "no-key", "string-value", "string-step"],
)
def test_log_metric_validation_over_rest(client, raw, expect_error, experiment_id, body, message):
    run_id = client.create_run(experiment_id).info.run_id
    resp = raw.post("runs/log-metric", {"run_id": run_id, **body})
    expect_error(resp, 400, "INVALID_PARAMETER_VALUE", message)
    assert client.get_run(run_id).data.metrics == {}


def test_log_metric_unknown_run(client):
    with pytest.raises(MlflowException) as excinfo:
        client.log_metric(MISSING_RUN_ID, "m", 1.0)
    assert excinfo.value.error_code == "RESOURCE_DOES_NOT_EXIST"
    assert f"Run with id={MISSING_RUN_ID} not found" in str(excinfo.value)
