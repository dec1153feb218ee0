"""Runs, driven through the OFFICIAL mlflow client (2.22.x and 3.x) the way a training
script drives them: ``mlflow.set_experiment`` / ``start_run`` (nested, resumed) /
``log_param(s)`` / ``set_tag(s)`` / ``log_input`` / ``end_run``, plus the ``MlflowClient``
run APIs (names, statuses, delete/restore, params, tags, ``log_batch`` limits).

Expected behaviour is MLflow's own server (``mlflow/server/handlers.py``,
``mlflow/store/tracking/sqlalchemy_store.py``, ``mlflow/utils/validation.py``), checked
against a real MLflow 3.17.2 server started with ``--artifacts-destination`` (so that
artifact URIs are ``mlflow-artifacts:/…``, as Cairn's always are). Error messages quoted
here are MLflow's exact wording.
"""

from __future__ import annotations

import json
import re
import time

import mlflow
import pytest
from mlflow.entities import Metric, Param, RunTag, ViewType
from mlflow.exceptions import MlflowException

RUN_ID_RE = re.compile(r"^[0-9a-f]{32}$")
# mlflow.utils.name_utils._generate_random_name: "<predicate>-<noun>-<0..1000>", <= 20 chars.
RANDOM_NAME_RE = re.compile(r"^[a-z]+-[a-z]+-\d{1,4}$")
MISSING_RUN_ID = "0" * 32
NOT_ACTIVE = "The run {} must be in the 'active' state. Current state is deleted."

pytestmark = pytest.mark.usefixtures("no_active_run")


def _now_ms() -> int:
    return int(time.time() * 1000)


def _code(excinfo) -> str:
    return excinfo.value.error_code


def _search_ids(client, experiment_id, view_type=ViewType.ACTIVE_ONLY, filter_string=""):
    runs = client.search_runs(
        [experiment_id], filter_string=filter_string, run_view_type=view_type, max_results=1000
    )
    return sorted(r.info.run_id for r in runs)


def _check_artifact_uri(run, experiment, target):
    """artifact_uri = <experiment.artifact_location>/<run_id>/artifacts. With the default
    artifact location that is mlflow-artifacts:/<exp>/<run>/artifacts (Cairn always; MLflow
    when it serves artifacts and has no --default-artifact-root)."""
    run_id, exp_id = run.info.run_id, run.info.experiment_id
    assert run.info.artifact_uri == f"{experiment.artifact_location.rstrip('/')}/{run_id}/artifacts"
    if target == "cairn" or experiment.artifact_location.startswith("mlflow-artifacts:"):
        assert run.info.artifact_uri == f"mlflow-artifacts:/{exp_id}/{run_id}/artifacts"


# --------------------------------------------------------------------------- a training script


def test_training_script_end_to_end(client, unique_name, target):
    """What an unmodified training script does, start to finish."""
    exp_name = unique_name("script")
    exp = mlflow.set_experiment(exp_name)
    before = _now_ms()

    with mlflow.start_run(run_name="baseline") as active:
        run_id = active.info.run_id
        assert RUN_ID_RE.match(run_id)
        assert active.info.experiment_id == exp.experiment_id
        assert active.info.status == "RUNNING"
        assert active.info.end_time is None
        assert mlflow.active_run().info.run_id == run_id

        mlflow.log_param("alpha", 0.5)
        mlflow.log_params({"l1_ratio": 0.1, "solver": "saga", "layers": [64, 32]})
        mlflow.set_tag("team", "vision")
        mlflow.set_tags({"stage": "dev", "dataset.version": 3})
        for step in range(20):
            mlflow.log_metric("loss", 1.0 / (step + 1), step=step)
        mlflow.log_metrics({"rmse": 0.75, "r2": 0.25}, step=19)

        running = client.get_run(run_id)
        assert running.info.status == "RUNNING"
        assert running.info.end_time is None

    run = client.get_run(run_id)
    info = run.info
    assert info.run_id == run_id
    assert info.run_name == "baseline"
    assert info.experiment_id == exp.experiment_id
    assert info.status == "FINISHED"
    assert info.lifecycle_stage == "active"
    assert isinstance(info.start_time, int) and isinstance(info.end_time, int)
    assert abs(info.start_time - before) < 10 * 60 * 1000
    assert info.start_time <= info.end_time
    _check_artifact_uri(run, client.get_experiment(exp.experiment_id), target)

    # Params are strings, stored exactly as str(value).
    assert run.data.params == {
        "alpha": "0.5",
        "l1_ratio": "0.1",
        "solver": "saga",
        "layers": "[64, 32]",
    }
    # Latest value per key (largest step).
    assert run.data.metrics == {"loss": pytest.approx(1.0 / 20), "rmse": 0.75, "r2": 0.25}

    tags = run.data.tags
    assert tags["team"] == "vision"
    assert tags["stage"] == "dev"
    assert tags["dataset.version"] == "3"
    # Context tags the client sends with runs/create, and the run name tag.
    assert tags["mlflow.runName"] == "baseline"
    assert tags["mlflow.source.type"] == "LOCAL"
    assert tags["mlflow.source.name"]
    assert tags["mlflow.user"]
    # The client sets user_id from the mlflow.user tag.
    assert info.user_id == tags["mlflow.user"]

    history = client.get_metric_history(run_id, "loss")
    assert [m.step for m in history] == list(range(20))
    assert [m.value for m in history] == [pytest.approx(1.0 / (s + 1)) for s in range(20)]


def test_get_run_response_fields(client, experiment_id, target):
    created = client.create_run(experiment_id, tags={"mlflow.user": "alice"}, run_name="fields")
    run = client.get_run(created.info.run_id)
    info = run.info
    assert RUN_ID_RE.match(info.run_id)
    assert info.run_name == "fields"
    assert info.experiment_id == experiment_id
    assert info.user_id == "alice"
    assert info.status == "RUNNING"
    assert info.lifecycle_stage == "active"
    assert info.end_time is None
    assert isinstance(info.start_time, int) and abs(info.start_time - _now_ms()) < 10 * 60 * 1000
    _check_artifact_uri(run, client.get_experiment(experiment_id), target)
    assert run.data.tags == {"mlflow.user": "alice", "mlflow.runName": "fields"}
    assert run.data.metrics == {} and run.data.params == {}
    assert run.inputs.dataset_inputs == []
    # What create_run returned is the same run.
    assert created.info.run_id == info.run_id
    assert created.info.start_time == info.start_time
    assert created.info.artifact_uri == info.artifact_uri


def test_create_run_explicit_start_time(client, experiment_id):
    run = client.create_run(experiment_id, start_time=1_600_000_000_123)
    assert client.get_run(run.info.run_id).info.start_time == 1_600_000_000_123


def test_run_artifact_uri_follows_experiment_artifact_location(client, unique_name):
    location = f"s3://cairn-compat-bucket/{unique_name('loc')}"
    exp_id = client.create_experiment(unique_name("artloc"), artifact_location=location)
    run = client.create_run(exp_id)
    assert run.info.artifact_uri == f"{location}/{run.info.run_id}/artifacts"


def test_get_missing_run(client):
    with pytest.raises(MlflowException) as excinfo:
        client.get_run(MISSING_RUN_ID)
    assert _code(excinfo) == "RESOURCE_DOES_NOT_EXIST"
    assert f"Run with id={MISSING_RUN_ID} not found" in str(excinfo.value)


def test_create_run_in_missing_experiment(client):
    with pytest.raises(MlflowException) as excinfo:
        client.create_run("999999999")
    assert _code(excinfo) == "RESOURCE_DOES_NOT_EXIST"
    assert "No Experiment with id=999999999 exists" in str(excinfo.value)


def test_create_run_in_deleted_experiment(client, experiment_id):
    client.delete_experiment(experiment_id)
    with pytest.raises(MlflowException) as excinfo:
        client.create_run(experiment_id)
    assert _code(excinfo) == "INVALID_PARAMETER_VALUE"
    assert (
        f"The experiment {experiment_id} must be in the 'active' state. Current state is deleted."
        in str(excinfo.value)
    )


# --------------------------------------------------------------------------- run names


def test_random_run_name_when_not_given(client, experiment_id):
    names = set()
    for _ in range(3):
        run = client.create_run(experiment_id)
        name = run.info.run_name
        assert RANDOM_NAME_RE.match(name) and len(name) <= 20, name
        fetched = client.get_run(run.info.run_id)
        assert fetched.info.run_name == name
        assert fetched.data.tags["mlflow.runName"] == name
        names.add(name)
    assert len(names) >= 2, f"names should be random: {names}"


def test_fluent_start_run_random_name(client, unique_name):
    mlflow.set_experiment(unique_name("fluentname"))
    with mlflow.start_run() as run:
        pass
    got = client.get_run(run.info.run_id)
    assert RANDOM_NAME_RE.match(got.info.run_name)
    assert got.data.tags["mlflow.runName"] == got.info.run_name


def test_run_name_from_tag_only(client, experiment_id):
    run = client.create_run(experiment_id, tags={"mlflow.runName": "from-tag"})
    assert run.info.run_name == "from-tag"
    assert client.get_run(run.info.run_id).info.run_name == "from-tag"


def test_run_name_and_tag_must_agree(client, experiment_id):
    same = client.create_run(experiment_id, run_name="same", tags={"mlflow.runName": "same"})
    assert same.info.run_name == "same"

    with pytest.raises(MlflowException) as excinfo:
        client.create_run(experiment_id, run_name="a", tags={"mlflow.runName": "b"})
    assert _code(excinfo) == "INVALID_PARAMETER_VALUE"
    assert (
        "Both 'run_name' argument and 'mlflow.runName' tag are specified, but with different "
        "values (run_name='a', mlflow.runName='b')." in str(excinfo.value)
    )
    # Nothing was created.
    assert [r.info.run_name for r in client.search_runs([experiment_id])] == ["same"]


def test_rename_run_with_update_run(client, experiment_id):
    run_id = client.create_run(experiment_id, run_name="before").info.run_id
    client.update_run(run_id, name="after")
    run = client.get_run(run_id)
    assert run.info.run_name == "after"
    assert run.data.tags["mlflow.runName"] == "after"
    assert run.info.status == "RUNNING"  # a rename leaves the status alone

    found = client.search_runs([experiment_id], filter_string="attributes.run_name = 'after'")
    assert [r.info.run_id for r in found] == [run_id]
    assert client.search_runs([experiment_id], filter_string="run_name = 'before'") == []


def test_rename_run_with_run_name_tag(client, experiment_id):
    run_id = client.create_run(experiment_id, run_name="old").info.run_id
    client.set_tag(run_id, "mlflow.runName", "via-tag")
    assert client.get_run(run_id).info.run_name == "via-tag"


def test_resume_with_new_run_name(client, unique_name, mlflow_major):
    mlflow.set_experiment(unique_name("resumename"))
    with mlflow.start_run(run_name="first") as run:
        pass
    with mlflow.start_run(run_id=run.info.run_id, run_name="second"):
        pass
    got = client.get_run(run.info.run_id)
    # The 3.x client sends run_name with the resuming runs/update; the 2.x client drops it.
    expected = "second" if mlflow_major >= 3 else "first"
    assert got.info.run_name == expected
    assert got.data.tags["mlflow.runName"] == expected


# --------------------------------------------------------------------------- nested and resumed


def test_nested_runs(client, unique_name):
    exp = mlflow.set_experiment(unique_name("nested"))
    with mlflow.start_run(run_name="parent") as parent:
        with mlflow.start_run(run_name="child-1", nested=True) as child1:
            mlflow.log_param("fold", 1)
        with mlflow.start_run(run_name="child-2", nested=True) as child2:
            with mlflow.start_run(run_name="grandchild", nested=True) as grandchild:
                pass
        assert mlflow.active_run().info.run_id == parent.info.run_id

    p = client.get_run(parent.info.run_id)
    assert "mlflow.parentRunId" not in p.data.tags
    for child in (child1, child2):
        got = client.get_run(child.info.run_id)
        assert got.data.tags["mlflow.parentRunId"] == parent.info.run_id
        assert got.info.status == "FINISHED"
    assert (
        client.get_run(grandchild.info.run_id).data.tags["mlflow.parentRunId"]
        == child2.info.run_id
    )

    children = client.search_runs(
        [exp.experiment_id],
        filter_string=f"tags.mlflow.parentRunId = '{parent.info.run_id}'",
        order_by=["attributes.run_name ASC"],
    )
    assert [r.info.run_name for r in children] == ["child-1", "child-2"]
    assert client.get_run(child1.info.run_id).data.params == {"fold": "1"}


def test_resume_with_start_run_run_id(client, unique_name):
    mlflow.set_experiment(unique_name("resume"))
    with mlflow.start_run() as first:
        mlflow.log_param("epochs", 10)
        mlflow.log_metric("loss", 0.9, step=0)
    run_id = first.info.run_id
    finished = client.get_run(run_id)
    assert finished.info.status == "FINISHED"

    with mlflow.start_run(run_id=run_id) as resumed:
        assert resumed.info.run_id == run_id
        assert client.get_run(run_id).info.status == "RUNNING"
        mlflow.log_metric("loss", 0.5, step=1)
        mlflow.log_param("epochs", 10)  # re-logging the same value is fine

    run = client.get_run(run_id)
    assert run.info.status == "FINISHED"
    assert run.info.start_time == finished.info.start_time
    assert run.info.end_time >= finished.info.end_time
    assert run.data.metrics == {"loss": 0.5}
    assert [m.value for m in client.get_metric_history(run_id, "loss")] == [0.9, 0.5]
    # Still one run in the experiment.
    assert len(client.search_runs([run.info.experiment_id])) == 1


def test_resume_with_mlflow_run_id_env(client, unique_name, monkeypatch):
    exp = mlflow.set_experiment(unique_name("envresume"))
    run_id = client.create_run(exp.experiment_id, run_name="scheduled").info.run_id
    client.set_terminated(run_id, "KILLED")

    monkeypatch.setenv("MLFLOW_RUN_ID", run_id)
    with mlflow.start_run() as run:
        assert run.info.run_id == run_id
        assert run.info.run_name == "scheduled"
        mlflow.log_metric("resumed", 1)
    monkeypatch.delenv("MLFLOW_RUN_ID", raising=False)

    got = client.get_run(run_id)
    assert got.info.status == "FINISHED"
    assert got.data.metrics == {"resumed": 1.0}
    assert len(client.search_runs([exp.experiment_id])) == 1


# --------------------------------------------------------------------------- status / end_run


@pytest.mark.parametrize("status", ["FINISHED", "FAILED", "KILLED"])
def test_end_run_with_status(client, unique_name, status):
    mlflow.set_experiment(unique_name("endstatus"))
    run = mlflow.start_run()
    mlflow.end_run(status=status)
    assert mlflow.active_run() is None
    got = client.get_run(run.info.run_id)
    assert got.info.status == status
    assert got.info.end_time is not None and got.info.end_time >= got.info.start_time


def test_exception_in_with_block_marks_run_failed(client, unique_name):
    mlflow.set_experiment(unique_name("failed"))
    with pytest.raises(RuntimeError):
        with mlflow.start_run() as run:
            raise RuntimeError("training crashed")
    assert client.get_run(run.info.run_id).info.status == "FAILED"


def test_set_terminated(client, experiment_id):
    default = client.create_run(experiment_id).info.run_id
    client.set_terminated(default)
    got = client.get_run(default)
    assert got.info.status == "FINISHED"
    assert abs(got.info.end_time - _now_ms()) < 10 * 60 * 1000

    explicit = client.create_run(experiment_id, start_time=1_600_000_000_000).info.run_id
    client.set_terminated(explicit, status="FAILED", end_time=1_600_000_009_999)
    got = client.get_run(explicit)
    assert (got.info.status, got.info.end_time) == ("FAILED", 1_600_000_009_999)

    for status in ("KILLED", "SCHEDULED", "RUNNING"):
        client.set_terminated(explicit, status=status)
        assert client.get_run(explicit).info.status == status


def test_update_run_status(client, experiment_id):
    run_id = client.create_run(experiment_id, run_name="keep").info.run_id
    client.update_run(run_id, status="SCHEDULED")
    got = client.get_run(run_id)
    assert got.info.status == "SCHEDULED"
    assert got.info.run_name == "keep"


# --------------------------------------------------------------------------- delete / restore


def test_delete_and_restore_run(client, experiment_id):
    keep = client.create_run(experiment_id).info.run_id
    gone = client.create_run(experiment_id).info.run_id
    client.delete_run(gone)

    # get_run still works, and tells the lifecycle stage.
    assert client.get_run(gone).info.lifecycle_stage == "deleted"
    assert client.get_run(keep).info.lifecycle_stage == "active"

    assert _search_ids(client, experiment_id) == [keep]
    assert _search_ids(client, experiment_id, ViewType.DELETED_ONLY) == [gone]
    assert _search_ids(client, experiment_id, ViewType.ALL) == sorted([keep, gone])
    # The fluent API defaults to ACTIVE_ONLY too.
    df = mlflow.search_runs([experiment_id], run_view_type=ViewType.DELETED_ONLY)
    assert list(df["run_id"]) == [gone]

    # MLflow treats delete and restore as idempotent.
    client.delete_run(gone)
    client.restore_run(gone)
    client.restore_run(gone)
    assert client.get_run(gone).info.lifecycle_stage == "active"
    assert _search_ids(client, experiment_id) == sorted([keep, gone])
    assert _search_ids(client, experiment_id, ViewType.DELETED_ONLY) == []


def test_delete_missing_run(client):
    for call in (client.delete_run, client.restore_run):
        with pytest.raises(MlflowException) as excinfo:
            call(MISSING_RUN_ID)
        assert _code(excinfo) == "RESOURCE_DOES_NOT_EXIST"


def test_deleted_run_is_read_only(client, experiment_id):
    run_id = client.create_run(experiment_id).info.run_id
    client.set_tag(run_id, "t", "1")
    client.delete_run(run_id)

    writes = [
        lambda: client.set_tag(run_id, "k", "v"),
        lambda: client.delete_tag(run_id, "t"),
        lambda: client.log_param(run_id, "p", "v"),
        lambda: client.log_metric(run_id, "m", 1.0),
        lambda: client.log_batch(run_id, metrics=[Metric("m", 1.0, _now_ms(), 0)]),
        lambda: client.set_terminated(run_id, "FAILED"),
        lambda: client.update_run(run_id, name="renamed"),
    ]
    for write in writes:
        with pytest.raises(MlflowException) as excinfo:
            write()
        assert _code(excinfo) == "INVALID_PARAMETER_VALUE"
        assert NOT_ACTIVE.format(run_id) in str(excinfo.value)
    got = client.get_run(run_id)
    assert got.data.tags.get("t") == "1"
    assert got.data.params == {} and got.data.metrics == {}


def test_start_run_on_deleted_run_refused(client, experiment_id):
    run_id = client.create_run(experiment_id).info.run_id
    client.delete_run(run_id)
    mlflow.set_experiment(experiment_id=experiment_id)
    with pytest.raises(MlflowException):
        mlflow.start_run(run_id=run_id)
    assert client.get_run(run_id).info.lifecycle_stage == "deleted"


def test_experiment_delete_cascades_to_runs(client, experiment_id):
    a = client.create_run(experiment_id).info.run_id
    b = client.create_run(experiment_id).info.run_id
    already_deleted = client.create_run(experiment_id).info.run_id
    client.delete_run(already_deleted)

    client.delete_experiment(experiment_id)
    for run_id in (a, b, already_deleted):
        assert client.get_run(run_id).info.lifecycle_stage == "deleted"
    assert _search_ids(client, experiment_id) == []
    assert _search_ids(client, experiment_id, ViewType.DELETED_ONLY) == sorted(
        [a, b, already_deleted]
    )
    with pytest.raises(MlflowException) as excinfo:
        client.set_tag(a, "k", "v")
    assert _code(excinfo) == "INVALID_PARAMETER_VALUE"

    # Restoring the experiment restores ALL its runs -- in MLflow even the one that had been
    # deleted on its own before the experiment was deleted.
    client.restore_experiment(experiment_id)
    for run_id in (a, b, already_deleted):
        assert client.get_run(run_id).info.lifecycle_stage == "active"
    assert _search_ids(client, experiment_id) == sorted([a, b, already_deleted])


# --------------------------------------------------------------------------- params


def test_param_immutability(client, experiment_id):
    run_id = client.create_run(experiment_id).info.run_id
    assert client.log_param(run_id, "lr", 0.01) == 0.01
    client.log_param(run_id, "lr", 0.01)  # same value: fine
    client.log_param(run_id, "lr", "0.01")  # same string: fine

    with pytest.raises(MlflowException) as excinfo:
        client.log_param(run_id, "lr", 0.02)
    assert _code(excinfo) == "INVALID_PARAMETER_VALUE"
    assert (
        f"Changing param values is not allowed. Param with key='lr' was already logged with "
        f"value='0.01' for run ID='{run_id}'. Attempted logging new value '0.02'."
        in str(excinfo.value)
    )
    assert client.get_run(run_id).data.params == {"lr": "0.01"}


def test_param_immutability_in_log_batch(client, experiment_id):
    run_id = client.create_run(experiment_id).info.run_id
    client.log_batch(run_id, params=[Param("a", "1"), Param("b", "2")])
    client.log_batch(run_id, params=[Param("a", "1"), Param("c", "3")])  # same value again: ok
    with pytest.raises(MlflowException) as excinfo:
        client.log_batch(run_id, params=[Param("a", "9")])
    assert _code(excinfo) == "INVALID_PARAMETER_VALUE"
    assert (
        "Changing param values is not allowed. Params were already logged="
        f"'[{{'key': 'a', 'old_value': '1', 'new_value': '9'}}]' for run ID='{run_id}'."
        in str(excinfo.value)
    )
    assert client.get_run(run_id).data.params == {"a": "1", "b": "2", "c": "3"}


def test_fluent_log_param_change_fails(client, unique_name):
    mlflow.set_experiment(unique_name("paramchange"))
    with mlflow.start_run() as run:
        mlflow.log_param("batch_size", 32)
        with pytest.raises(MlflowException) as excinfo:
            mlflow.log_param("batch_size", 64)
        assert _code(excinfo) == "INVALID_PARAMETER_VALUE"
        with pytest.raises(MlflowException):
            mlflow.log_params({"batch_size": 128, "other": 1})
    assert client.get_run(run.info.run_id).data.params["batch_size"] == "32"


def test_duplicate_param_keys_in_one_batch(client, experiment_id):
    run_id = client.create_run(experiment_id).info.run_id
    for values in (("1", "1"), ("1", "2")):
        with pytest.raises(MlflowException) as excinfo:
            client.log_batch(run_id, params=[Param("dup", values[0]), Param("dup", values[1])])
        assert _code(excinfo) == "INVALID_PARAMETER_VALUE"
        assert (
            "Duplicate parameter keys have been submitted: ['dup']. Please ensure the request "
            "contains only one param value per param key." in str(excinfo.value)
        )
    assert client.get_run(run_id).data.params == {}


def test_long_param_and_tag_values_are_truncated(client, experiment_id):
    """Since MLflow 2.11 the server silently truncates over-long values
    (MLFLOW_TRUNCATE_LONG_VALUES, default on): params to 6000, run tags to 8000 chars."""
    run_id = client.create_run(experiment_id).info.run_id
    client.log_param(run_id, "p_single", "a" * 6001)
    client.set_tag(run_id, "t_single", "b" * 8001)
    client.log_batch(
        run_id,
        params=[Param("p_batch", "c" * 7000), Param("p_exact", "d" * 6000)],
        tags=[RunTag("t_batch", "e" * 9000), RunTag("t_exact", "f" * 8000)],
    )
    run = client.get_run(run_id)
    assert run.data.params["p_single"] == "a" * 6000
    assert run.data.params["p_batch"] == "c" * 6000
    assert run.data.params["p_exact"] == "d" * 6000
    assert run.data.tags["t_single"] == "b" * 8000
    assert run.data.tags["t_batch"] == "e" * 8000
    assert run.data.tags["t_exact"] == "f" * 8000
    # Logging the same over-long value again is "the same value".
    client.log_param(run_id, "p_single", "a" * 6001)


def test_long_keys_rejected(client, experiment_id):
    run_id = client.create_run(experiment_id).info.run_id
    long_key = "k" * 251
    with pytest.raises(MlflowException) as excinfo:
        client.log_param(run_id, long_key, "v")
    assert _code(excinfo) == "INVALID_PARAMETER_VALUE"
    assert "'Param key' exceeds the maximum length of 250 characters" in str(excinfo.value)
    with pytest.raises(MlflowException) as excinfo:
        client.set_tag(run_id, long_key, "v")
    assert _code(excinfo) == "INVALID_PARAMETER_VALUE"
    assert "'key' exceeds the maximum length of 250 characters" in str(excinfo.value)
    with pytest.raises(MlflowException) as excinfo:
        client.log_metric(run_id, long_key, 1.0)
    assert _code(excinfo) == "INVALID_PARAMETER_VALUE"
    assert "'Metric name' exceeds the maximum length of 250 characters" in str(excinfo.value)
    # 250 is fine.
    client.log_param(run_id, "k" * 250, "v")
    run = client.get_run(run_id)
    assert run.data.params == {"k" * 250: "v"}
    assert run.data.metrics == {}


@pytest.mark.parametrize(
    "key,reason",
    [
        ("bad!name", "Names may only contain alphanumerics, underscores (_), dashes (-), "
                     "periods (.), spaces ( ), colon(:) and slashes (/)."),
        ("../escape", "Names may be treated as files in certain cases, and must not resolve to "
                      "other names when treated as such. This name would resolve to '../escape'"),
        ("a//b", "Names may be treated as files in certain cases"),
        ("/abs", "Names may be treated as files in certain cases"),
    ],
    ids=["bad-char", "dotdot", "double-slash", "absolute"],
)
def test_invalid_keys_rejected(client, experiment_id, key, reason):
    run_id = client.create_run(experiment_id).info.run_id
    for call in (
        lambda: client.log_metric(run_id, key, 1.0),
        lambda: client.log_param(run_id, key, "v"),
        lambda: client.set_tag(run_id, key, "v"),
    ):
        with pytest.raises(MlflowException) as excinfo:
            call()
        assert _code(excinfo) == "INVALID_PARAMETER_VALUE"
        assert f'Invalid value "{key}" for parameter' in str(excinfo.value)
        assert reason in str(excinfo.value)
    run = client.get_run(run_id)
    assert run.data.metrics == {} and run.data.params == {}


def test_valid_unusual_keys(client, experiment_id):
    run_id = client.create_run(experiment_id).info.run_id
    keys = ["with space", "a/b/c", "colon:key", "dash-dot.under_score", "Ünïcode"]
    for key in keys:
        client.log_metric(run_id, key, 1.0)
        client.log_param(run_id, key, "v")
        client.set_tag(run_id, key, "v")
    run = client.get_run(run_id)
    assert sorted(run.data.metrics) == sorted(keys)
    assert sorted(run.data.params) == sorted(keys)
    assert set(keys) <= set(run.data.tags)


# --------------------------------------------------------------------------- tags


def test_set_tag_overwrites_and_delete_tag(client, experiment_id):
    run_id = client.create_run(experiment_id, tags={"a": "1", "b": "2"}).info.run_id
    client.set_tag(run_id, "a", "one")
    client.set_tag(run_id, "c", 3)
    client.delete_tag(run_id, "b")
    tags = client.get_run(run_id).data.tags
    assert {k: v for k, v in tags.items() if not k.startswith("mlflow.")} == {"a": "one", "c": "3"}

    with pytest.raises(MlflowException) as excinfo:
        client.delete_tag(run_id, "b")
    assert _code(excinfo) == "RESOURCE_DOES_NOT_EXIST"
    assert f"No tag with name: b in run with id {run_id}" in str(excinfo.value)


def test_fluent_delete_tag(client, unique_name):
    mlflow.set_experiment(unique_name("fluentdeltag"))
    with mlflow.start_run() as run:
        mlflow.set_tag("temp", "x")
        mlflow.delete_tag("temp")
    assert "temp" not in client.get_run(run.info.run_id).data.tags


def test_empty_tag_and_param_values(client, experiment_id):
    run_id = client.create_run(experiment_id).info.run_id
    client.set_tag(run_id, "empty_tag", "")
    client.log_param(run_id, "empty_param", "")
    run = client.get_run(run_id)
    assert run.data.tags["empty_tag"] == ""
    assert run.data.params["empty_param"] == ""


# --------------------------------------------------------------------------- log_batch


def test_client_log_batch_chunks_large_batches(client, experiment_id):
    """The client splits batches bigger than the server limits (1000 metrics, 100 params,
    100 tags per request), so a script can log 1001 metrics and 150 params in one call."""
    run_id = client.create_run(experiment_id).info.run_id
    ts = _now_ms()
    client.log_batch(
        run_id,
        metrics=[Metric("m", float(i), ts, i) for i in range(1001)],
        params=[Param(f"p{i}", str(i)) for i in range(150)],
        tags=[RunTag(f"t{i}", str(i)) for i in range(101)],
    )
    run = client.get_run(run_id)
    assert len(run.data.params) == 150
    assert sum(1 for k in run.data.tags if k.startswith("t")) == 101
    assert run.data.metrics == {"m": 1000.0}
    assert len(client.get_metric_history(run_id, "m")) == 1001


@pytest.mark.parametrize(
    "body,message",
    [
        (
            {"metrics": [{"key": "m", "value": 1, "timestamp": 1, "step": i} for i in range(1001)]},
            "A batch logging request can contain at most 1000 metrics. Got 1001 metrics. "
            "Please split up metrics across multiple requests and try again.",
        ),
        (
            {"params": [{"key": f"p{i}", "value": "1"} for i in range(101)]},
            "A batch logging request can contain at most 100 params. Got 101 params. "
            "Please split up params across multiple requests and try again.",
        ),
        (
            {"tags": [{"key": f"t{i}", "value": "1"} for i in range(101)]},
            "A batch logging request can contain at most 100 tags. Got 101 tags. "
            "Please split up tags across multiple requests and try again.",
        ),
        (
            {
                "metrics": [
                    {"key": "m", "value": 1, "timestamp": 1, "step": i} for i in range(1000)
                ],
                "params": [{"key": "p", "value": "1"}],
            },
            "A batch logging request can contain at most 1000 metrics, params, and tags. "
            "Got 1001 metrics, params, and tags. Please split up metrics, params, and tags "
            "across multiple requests and try again.",
        ),
        (
            {"metrics": [{"key": "m", "value": 1}]},
            "Missing value for required parameter 'metrics[0].timestamp'. "
            "See the API docs for more information about request parameters.",
        ),
    ],
    ids=["1001-metrics", "101-params", "101-tags", "1001-entities", "no-timestamp"],
)
def test_log_batch_server_limits(client, raw, expect_error, experiment_id, body, message):
    """What the server itself enforces on runs/log-batch (the client would have chunked)."""
    run_id = client.create_run(experiment_id).info.run_id
    resp = raw.post("runs/log-batch", {"run_id": run_id, **body})
    expect_error(resp, 400, "INVALID_PARAMETER_VALUE", message)
    run = client.get_run(run_id)
    assert run.data.metrics == {} and run.data.params == {}
    assert set(run.data.tags) == {"mlflow.runName"}


def test_log_batch_at_limits_accepted(client, raw, experiment_id):
    run_id = client.create_run(experiment_id).info.run_id
    raw.ok_post(
        "runs/log-batch",
        {
            "run_id": run_id,
            "metrics": [{"key": "m", "value": i, "timestamp": 1, "step": i} for i in range(800)],
            "params": [{"key": f"p{i}", "value": "1"} for i in range(100)],
            "tags": [{"key": f"t{i}", "value": "1"} for i in range(100)],
        },
    )
    run = client.get_run(run_id)
    assert len(run.data.params) == 100
    assert run.data.metrics == {"m": 799.0}


def test_log_batch_is_all_or_nothing(client, experiment_id):
    run_id = client.create_run(experiment_id).info.run_id
    with pytest.raises(MlflowException) as excinfo:
        client.log_batch(
            run_id,
            metrics=[Metric("ok", 1.0, _now_ms(), 0)],
            params=[Param("ok", "1"), Param("bad!", "1")],
        )
    assert _code(excinfo) == "INVALID_PARAMETER_VALUE"
    run = client.get_run(run_id)
    assert run.data.metrics == {} and run.data.params == {}


def test_log_batch_unknown_run(client):
    with pytest.raises(MlflowException) as excinfo:
        client.log_batch(MISSING_RUN_ID, params=[Param("a", "1")])
    assert _code(excinfo) == "RESOURCE_DOES_NOT_EXIST"


# --------------------------------------------------------------------------- datasets


def _frame():
    import pandas as pd

    return pd.DataFrame(
        {"x1": [1.0, 2.0, 3.0, 4.0], "x2": [0.5, 0.25, 0.125, 0.0625], "y": [0.0, 1.0, 0.0, 1.0]}
    )


def test_log_input_dataset(client, unique_name):
    exp = mlflow.set_experiment(unique_name("dataset"))
    train = mlflow.data.from_pandas(_frame(), name="iris-train", targets="y")
    evaluation = mlflow.data.from_pandas(_frame().iloc[:2], name="iris-eval", targets="y")
    with mlflow.start_run() as run:
        mlflow.log_input(train, context="training")
        mlflow.log_input(evaluation, context="eval")

    got = client.get_run(run.info.run_id)
    inputs = {d.dataset.name: d for d in got.inputs.dataset_inputs}
    assert sorted(inputs) == ["iris-eval", "iris-train"]
    ds, sent = inputs["iris-train"].dataset, train._to_mlflow_entity()
    assert ds.digest == train.digest == sent.digest
    assert ds.source_type == sent.source_type
    assert json.loads(ds.source) == json.loads(sent.source)
    assert json.loads(ds.schema) == json.loads(sent.schema)
    assert json.loads(ds.profile) == json.loads(sent.profile)
    assert {t.key: t.value for t in inputs["iris-train"].tags} == {
        "mlflow.data.context": "training"
    }
    assert {t.key: t.value for t in inputs["iris-eval"].tags} == {"mlflow.data.context": "eval"}

    # The fluent search finds it by dataset attributes.
    hits = client.search_runs(
        [exp.experiment_id], filter_string="datasets.name = 'iris-train' AND datasets.context = 'training'"
    )
    assert [r.info.run_id for r in hits] == [run.info.run_id]


def test_log_same_dataset_twice_is_recorded_once(client, unique_name):
    mlflow.set_experiment(unique_name("dataset2"))
    ds = mlflow.data.from_pandas(_frame(), name="twice")
    with mlflow.start_run() as run:
        mlflow.log_input(ds, context="training")
        mlflow.log_input(ds, context="training")
    inputs = client.get_run(run.info.run_id).inputs.dataset_inputs
    assert len(inputs) == 1
    assert inputs[0].dataset.name == "twice"


def test_same_dataset_in_two_runs(client, unique_name):
    exp = mlflow.set_experiment(unique_name("dataset3"))
    ds = mlflow.data.from_pandas(_frame(), name="shared")
    ids = []
    for context in ("training", "validation"):
        with mlflow.start_run() as run:
            mlflow.log_input(ds, context=context)
        ids.append(run.info.run_id)
    for run_id, context in zip(ids, ("training", "validation")):
        (only,) = client.get_run(run_id).inputs.dataset_inputs
        assert only.dataset.digest == ds.digest
        assert {t.key: t.value for t in only.tags} == {"mlflow.data.context": context}
    found = client.search_runs(
        [exp.experiment_id], filter_string="datasets.context = 'validation'"
    )
    assert [r.info.run_id for r in found] == [ids[1]]


def test_unique_run_ids(client, experiment_id):
    ids = {client.create_run(experiment_id).info.run_id for _ in range(20)}
    assert len(ids) == 20
    assert all(RUN_ID_RE.match(i) for i in ids)


# --------------------------------------------------------------------------- wire (raw REST)

SEE_DOCS = " See the API docs for more information about request parameters."


def test_run_wire_shape(raw, experiment_id):
    created = raw.ok_post(
        "runs/create",
        {
            "experiment_id": experiment_id,
            "user_id": "carol",
            "run_name": "wire",
            "start_time": 1_600_000_000_000,
            "tags": [{"key": "k", "value": "v"}],
        },
    )
    assert set(created) == {"run"}
    info = created["run"]["info"]
    run_id = info["run_id"]
    assert RUN_ID_RE.match(run_id)
    assert info["run_uuid"] == run_id  # deprecated alias, always set by the server
    assert info["experiment_id"] == experiment_id
    assert info["run_name"] == "wire"
    assert info["user_id"] == "carol"
    assert info["status"] == "RUNNING"
    assert info["lifecycle_stage"] == "active"
    assert type(info["start_time"]) is int and info["start_time"] == 1_600_000_000_000
    assert "end_time" not in info  # unset while running
    assert info["artifact_uri"].endswith(f"/{run_id}/artifacts")
    for key in info:
        assert key == key.lower(), f"non snake_case key {key!r}"
    tags = {t["key"]: t["value"] for t in created["run"]["data"]["tags"]}
    assert tags == {"k": "v", "mlflow.runName": "wire"}

    updated = raw.ok_post(
        "runs/update", {"run_id": run_id, "status": "FINISHED", "end_time": 1_600_000_001_000}
    )
    assert set(updated) == {"run_info"}
    assert updated["run_info"]["run_id"] == run_id
    assert updated["run_info"]["status"] == "FINISHED"
    assert updated["run_info"]["end_time"] == 1_600_000_001_000
    assert updated["run_info"]["run_name"] == "wire"

    got = raw.ok_get("runs/get", {"run_id": run_id})["run"]
    assert got["info"]["end_time"] == 1_600_000_001_000
    assert type(got["info"]["end_time"]) is int
    # Empty repeated fields are left out: no params or metrics keys yet.
    assert "params" not in got["data"] and "metrics" not in got["data"]

    raw.ok_post("runs/log-parameter", {"run_id": run_id, "key": "p", "value": "1"})
    raw.ok_post("runs/log-metric", {"run_id": run_id, "key": "m", "value": 2.5, "timestamp": 7, "step": 3})
    data = raw.ok_get("runs/get", {"run_id": run_id})["run"]["data"]
    assert data["params"] == [{"key": "p", "value": "1"}]
    (metric,) = data["metrics"]
    assert {k: metric[k] for k in ("key", "value", "timestamp", "step")} == {
        "key": "m", "value": 2.5, "timestamp": 7, "step": 3
    }
    # Writes answer an empty object.
    assert raw.ok_post("runs/set-tag", {"run_id": run_id, "key": "t", "value": "x"}) == {}
    assert raw.ok_post("runs/delete-tag", {"run_id": run_id, "key": "t"}) == {}
    assert raw.ok_post("runs/delete", {"run_id": run_id}) == {}
    assert raw.ok_post("runs/restore", {"run_id": run_id}) == {}


def test_run_uuid_alias_accepted(raw, experiment_id):
    """Old clients send run_uuid instead of run_id."""
    run_id = raw.ok_post("runs/create", {"experiment_id": experiment_id})["run"]["info"]["run_id"]
    raw.ok_post("runs/log-parameter", {"run_uuid": run_id, "key": "old", "value": "client"})
    body = raw.ok_get("runs/get", {"run_uuid": run_id})
    assert body["run"]["data"]["params"] == [{"key": "old", "value": "client"}]


@pytest.mark.parametrize(
    "method,path,body",
    [
        ("GET", "runs/get", {}),
        ("POST", "runs/update", {"status": "FINISHED"}),
        ("POST", "runs/delete", {}),
        ("POST", "runs/restore", {}),
        ("POST", "runs/log-parameter", {"key": "k", "value": "v"}),
        ("POST", "runs/set-tag", {"key": "k", "value": "v"}),
        ("POST", "runs/delete-tag", {"key": "k"}),
        ("POST", "runs/log-metric", {"key": "k", "value": 1, "timestamp": 1}),
        ("POST", "runs/log-batch", {}),
        ("POST", "runs/log-inputs", {}),
        ("POST", "runs/delete", {"run_id": ""}),
    ],
)
def test_missing_run_id(raw, expect_error, method, path, body):
    resp = raw.get(path, body) if method == "GET" else raw.post(path, body)
    expect_error(
        resp, 400, "INVALID_PARAMETER_VALUE",
        "Missing value for required parameter 'run_id'." + SEE_DOCS,
    )


@pytest.mark.parametrize(
    "path,body",
    [
        ("runs/log-parameter", {"value": "v"}),
        ("runs/set-tag", {"value": "v"}),
        ("runs/delete-tag", {}),
    ],
)
def test_missing_key(raw, expect_error, path, body):
    resp = raw.post(path, {"run_id": MISSING_RUN_ID, **body})
    expect_error(
        resp, 400, "INVALID_PARAMETER_VALUE", "Missing value for required parameter 'key'." + SEE_DOCS
    )


@pytest.mark.parametrize(
    "path,body",
    [
        ("runs/log-parameter", {"key": "k", "value": "v"}),
        ("runs/set-tag", {"key": "k", "value": "v"}),
        ("runs/update", {"status": "FINISHED"}),
        ("runs/delete", {}),
        ("runs/log-batch", {"params": [{"key": "k", "value": "v"}]}),
    ],
)
def test_unknown_run_over_rest(raw, expect_error, path, body):
    resp = raw.post(path, {"run_id": MISSING_RUN_ID, **body})
    expect_error(resp, 404, "RESOURCE_DOES_NOT_EXIST", f"Run with id={MISSING_RUN_ID} not found")


def test_create_run_bad_start_time(raw, expect_error, experiment_id):
    resp = raw.post("runs/create", {"experiment_id": experiment_id, "start_time": "abc"})
    expect_error(
        resp, 400, "INVALID_PARAMETER_VALUE",
        "Invalid value \"abc\" for parameter 'start_time' supplied",
    )
