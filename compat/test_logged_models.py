"""Logged models (MLflow 3) and the 2.x ``runs/log-model`` path.

``mlflow.<flavor>.log_model`` needs the artifact store (a later issue), so this module
covers the REST-level calls that ``log_model`` makes:

* MLflow 3 logged models -- ``create_logged_model``, ``get_logged_model``,
  ``finalize_logged_model``, ``set_logged_model_tags``, ``delete_logged_model_tag``,
  ``log_model_params``, ``search_logged_models``, ``delete_logged_model``, ``log_outputs``
  and metrics linked to a model. With the 3.x client they go through ``MlflowClient``.
  The 2.22 client has none of these methods, so with it the same operations are sent as
  the exact REST requests the 3.x client makes (``LoggedModels`` below): the server must
  serve them whichever client version runs the suite.
* The 2.x ``log_model`` bookkeeping: ``POST runs/log-model`` with a ``model_json``, which
  appends to the run's ``mlflow.log-model.history`` tag. Both clients still carry it
  (``MlflowClient._record_logged_model``, what ``Model.log`` calls).

Expected behaviour is MLflow's own server (``handlers.py`` ``_create_logged_model`` and
friends, ``SqlAlchemyStore`` logged-model methods, ``record_logged_model``), checked
against a real MLflow 3.17.2 server.
"""

from __future__ import annotations

import json
import re
import time

import pytest
from mlflow.exceptions import MlflowException, RestException

MODEL_ID_RE = re.compile(r"^m-[0-9a-f]{32}$")
RANDOM_NAME_RE = re.compile(r"^[a-z]+-[a-z]+-\d{1,4}$")
MISSING_MODEL_ID = "m-" + "0" * 32
MISSING_RUN_ID = "0" * 32


def _now_ms() -> int:
    return int(time.time() * 1000)


# --------------------------------------------------------------------------- client adapter


def _raise_for(resp):
    if resp.status_code != 200:
        assert resp.headers.get("Content-Type", "").startswith("application/json"), (
            f"{resp.request.method} {resp.request.url} -> {resp.status_code} {resp.text[:200]!r}"
        )
        raise RestException(resp.json())  # what the client itself raises
    return resp.json()


def _status_name(status) -> str:
    """PENDING / READY / FAILED from an entity status or a wire enum name."""
    name = getattr(status, "value", status)
    return {
        "LOGGED_MODEL_PENDING": "PENDING",
        "LOGGED_MODEL_READY": "READY",
        "LOGGED_MODEL_UPLOAD_FAILED": "FAILED",
    }.get(name, name)


class LoggedModels:
    """Logged-model operations through MlflowClient (3.x), or through the identical REST
    requests when the client lacks the API (2.x). Every result is a plain dict."""

    def __init__(self, client, raw):
        self.client = client
        self.raw = raw
        self.native = hasattr(client, "create_logged_model")

    # -- normalisation
    @staticmethod
    def _from_entity(m) -> dict:
        return {
            "model_id": m.model_id,
            "experiment_id": m.experiment_id,
            "name": m.name,
            "artifact_uri": m.artifact_location,
            "status": _status_name(m.status),
            "model_type": m.model_type or None,
            "source_run_id": m.source_run_id or None,
            "creation_timestamp": m.creation_timestamp,
            "last_updated_timestamp": m.last_updated_timestamp,
            "tags": dict(m.tags),
            "params": dict(m.params),
            "metrics": {x.key: (x.value, x.run_id) for x in (m.metrics or [])},
        }

    @staticmethod
    def _from_json(m) -> dict:
        info, data = m["info"], m.get("data", {})
        return {
            "model_id": info["model_id"],
            "experiment_id": info["experiment_id"],
            "name": info["name"],
            "artifact_uri": info["artifact_uri"],
            "status": _status_name(info["status"]),
            "model_type": info.get("model_type") or None,
            "source_run_id": info.get("source_run_id") or None,
            "creation_timestamp": info["creation_timestamp_ms"],
            "last_updated_timestamp": info["last_updated_timestamp_ms"],
            "tags": {t["key"]: t["value"] for t in info.get("tags", [])},
            "params": {p["key"]: p["value"] for p in data.get("params", [])},
            "metrics": {x["key"]: (x["value"], x.get("run_id")) for x in data.get("metrics", [])},
        }

    def _path(self, model_id, suffix=""):
        return f"logged-models/{model_id}{suffix}"

    # -- operations
    def create(self, experiment_id, name=None, source_run_id=None, tags=None, params=None,
               model_type=None) -> dict:
        if self.native:
            return self._from_entity(self.client.create_logged_model(
                experiment_id, name=name, source_run_id=source_run_id, tags=tags,
                params=params, model_type=model_type,
            ))
        body = {"experiment_id": experiment_id}
        if name is not None:
            body["name"] = name
        if model_type is not None:
            body["model_type"] = model_type
        if source_run_id is not None:
            body["source_run_id"] = source_run_id
        if params:
            body["params"] = [{"key": str(k), "value": str(v)} for k, v in params.items()]
        if tags:
            body["tags"] = [{"key": str(k), "value": str(v)} for k, v in tags.items()]
        return self._from_json(_raise_for(self.raw.post("logged-models", body))["model"])

    def get(self, model_id) -> dict:
        if self.native:
            return self._from_entity(self.client.get_logged_model(model_id))
        return self._from_json(_raise_for(self.raw.get(self._path(model_id)))["model"])

    def finalize(self, model_id, status) -> dict:
        """status: "READY" or "FAILED"."""
        if self.native:
            return self._from_entity(self.client.finalize_logged_model(model_id, status))
        wire = {"READY": "LOGGED_MODEL_READY", "FAILED": "LOGGED_MODEL_UPLOAD_FAILED"}[status]
        resp = self.raw.request(
            "PATCH", self._path(model_id), json={"model_id": model_id, "status": wire}
        )
        return self._from_json(_raise_for(resp)["model"])

    def set_tags(self, model_id, tags) -> None:
        if self.native:
            self.client.set_logged_model_tags(model_id, tags)
            return
        body = {"tags": [{"key": str(k), "value": str(v)} for k, v in tags.items()]}
        _raise_for(self.raw.request("PATCH", self._path(model_id, "/tags"), json=body))

    def delete_tag(self, model_id, key) -> None:
        if self.native:
            self.client.delete_logged_model_tag(model_id, key)
            return
        _raise_for(self.raw.request("DELETE", self._path(model_id, f"/tags/{key}")))

    def log_params(self, model_id, params) -> None:
        if self.native:
            self.client.log_model_params(model_id, params)
            return
        body = {
            "model_id": model_id,
            "params": [{"key": str(k), "value": str(v)} for k, v in params.items()],
        }
        _raise_for(self.raw.post(self._path(model_id, "/params"), body))

    def delete(self, model_id) -> None:
        if self.native:
            self.client.delete_logged_model(model_id)
            return
        _raise_for(self.raw.request("DELETE", self._path(model_id), json={"model_id": model_id}))

    def search(self, experiment_ids, filter_string=None, order_by=None, max_results=None,
               page_token=None):
        """-> (list of dicts, next page token or None)"""
        if self.native:
            page = self.client.search_logged_models(
                experiment_ids, filter_string=filter_string, order_by=order_by,
                max_results=max_results, page_token=page_token,
            )
            return [self._from_entity(m) for m in page], page.token
        body = {"experiment_ids": experiment_ids}
        if filter_string:
            body["filter"] = filter_string
        if order_by:
            body["order_by"] = [{"ascending": True, **o} for o in order_by]
        if max_results is not None:
            body["max_results"] = max_results
        if page_token:
            body["page_token"] = page_token
        out = _raise_for(self.raw.post("logged-models/search", body))
        return [self._from_json(m) for m in out.get("models", [])], out.get("next_page_token")

    def log_metric(self, run_id, key, value, model_id, step=0) -> None:
        if self.native:
            self.client.log_metric(run_id, key, value, step=step, model_id=model_id)
            return
        body = {"run_id": run_id, "key": key, "value": value, "timestamp": _now_ms(),
                "step": step, "model_id": model_id}
        _raise_for(self.raw.post("runs/log-metric", body))

    def log_outputs(self, run_id, model_id, step) -> None:
        if self.native:
            from mlflow.entities import LoggedModelOutput

            self.client.log_outputs(run_id, [LoggedModelOutput(model_id, step)])
            return
        body = {"run_id": run_id, "models": [{"model_id": model_id, "step": step}]}
        _raise_for(self.raw.post("runs/outputs", body))


@pytest.fixture
def models(client, raw) -> LoggedModels:
    return LoggedModels(client, raw)


def _names(found):
    return [m["name"] for m in found]


# --------------------------------------------------------------------------- create / get


def test_create_and_get_logged_model(models, client, experiment_id, target):
    run_id = client.create_run(experiment_id).info.run_id
    before = _now_ms()
    created = models.create(
        experiment_id,
        name="model",
        source_run_id=run_id,
        tags={"team": "vision"},
        params={"alpha": "0.5", "max_iter": 100},
        model_type="sklearn",
    )
    model_id = created["model_id"]
    assert MODEL_ID_RE.match(model_id), model_id
    assert created["experiment_id"] == experiment_id
    assert created["name"] == "model"
    assert created["status"] == "PENDING"
    assert created["model_type"] == "sklearn"
    assert created["source_run_id"] == run_id
    assert created["tags"] == {"team": "vision"}
    assert created["params"] == {"alpha": "0.5", "max_iter": "100"}
    assert abs(created["creation_timestamp"] - before) < 10 * 60 * 1000
    assert created["last_updated_timestamp"] == created["creation_timestamp"]

    location = client.get_experiment(experiment_id).artifact_location.rstrip("/")
    assert created["artifact_uri"] == f"{location}/models/{model_id}/artifacts"
    if target == "cairn" or location.startswith("mlflow-artifacts:"):
        assert created["artifact_uri"] == f"mlflow-artifacts:/{experiment_id}/models/{model_id}/artifacts"

    assert models.get(model_id) == created


def test_create_logged_model_minimal(models, experiment_id):
    created = models.create(experiment_id)
    assert RANDOM_NAME_RE.match(created["name"]), created["name"]
    assert created["status"] == "PENDING"
    assert created["source_run_id"] is None
    assert created["model_type"] is None
    assert created["tags"] == {} and created["params"] == {}
    other = models.create(experiment_id)
    assert other["model_id"] != created["model_id"]


def test_create_logged_model_many_params(models, experiment_id):
    # The 3.x client puts the first 100 params in the create request and sends the rest
    # through logged-models/{id}/params.
    params = {f"p{i:03d}": str(i) for i in range(150)}
    created = models.create(experiment_id, name="wide", params=params)
    assert models.get(created["model_id"])["params"] == params


def test_create_logged_model_errors(models, raw, expect_error, client, unique_name):
    with pytest.raises(MlflowException) as excinfo:
        models.create("999999999", name="x")
    assert excinfo.value.error_code == "RESOURCE_DOES_NOT_EXIST"
    assert "No Experiment with id=999999999 exists" in str(excinfo.value)

    exp_id = client.create_experiment(unique_name("lm-errors"))
    with pytest.raises(MlflowException) as excinfo:
        models.create(exp_id, name="bad/name")
    assert excinfo.value.error_code == "INVALID_PARAMETER_VALUE"
    assert "Invalid model name ('bad/name') provided." in str(excinfo.value)

    resp = raw.post("logged-models", {"name": "no-experiment"})
    expect_error(
        resp, 400, "INVALID_PARAMETER_VALUE",
        "Missing value for required parameter 'experiment_id'.",
    )

    client.delete_experiment(exp_id)
    with pytest.raises(MlflowException) as excinfo:
        models.create(exp_id, name="late")
    assert excinfo.value.error_code == "INVALID_PARAMETER_VALUE"
    assert f"The experiment {exp_id} must be in the 'active' state." in str(excinfo.value)


def test_get_missing_logged_model(models):
    with pytest.raises(MlflowException) as excinfo:
        models.get(MISSING_MODEL_ID)
    assert excinfo.value.error_code == "RESOURCE_DOES_NOT_EXIST"
    assert f"Logged model with ID '{MISSING_MODEL_ID}' not found." in str(excinfo.value)


# --------------------------------------------------------------------------- finalize


@pytest.mark.parametrize("status", ["READY", "FAILED"])
def test_finalize_logged_model(models, experiment_id, status):
    created = models.create(experiment_id, name="to-finalize", tags={"k": "v"})
    time.sleep(0.01)
    final = models.finalize(created["model_id"], status)
    assert final["status"] == status
    assert final["model_id"] == created["model_id"]
    assert final["tags"] == {"k": "v"}
    assert final["last_updated_timestamp"] >= created["creation_timestamp"]
    assert final["creation_timestamp"] == created["creation_timestamp"]
    assert models.get(created["model_id"])["status"] == status


def test_finalize_over_rest(models, raw, expect_error, experiment_id):
    model_id = models.create(experiment_id, name="rest-finalize")["model_id"]
    resp = raw.request(
        "PATCH", f"logged-models/{model_id}",
        json={"model_id": model_id, "status": "LOGGED_MODEL_READY"},
    )
    assert resp.status_code == 200, resp.text
    info = resp.json()["model"]["info"]
    assert info["status"] == "LOGGED_MODEL_READY"
    assert type(info["creation_timestamp_ms"]) is int
    assert type(info["last_updated_timestamp_ms"]) is int

    resp = raw.request("PATCH", f"logged-models/{model_id}", json={"model_id": model_id})
    expect_error(resp, 400, "INVALID_PARAMETER_VALUE", "Missing value for required parameter 'status'.")

    resp = raw.request(
        "PATCH", f"logged-models/{MISSING_MODEL_ID}",
        json={"model_id": MISSING_MODEL_ID, "status": "LOGGED_MODEL_READY"},
    )
    expect_error(resp, 404, "RESOURCE_DOES_NOT_EXIST")


# --------------------------------------------------------------------------- tags and params


def test_logged_model_tags(models, raw, expect_error, experiment_id):
    model_id = models.create(experiment_id, name="tagged", tags={"a": "1"})["model_id"]
    models.set_tags(model_id, {"a": "one", "b": 2, "mlflow.modelVersions": '[{"name": "m", "version": "1"}]'})
    assert models.get(model_id)["tags"] == {
        "a": "one", "b": "2", "mlflow.modelVersions": '[{"name": "m", "version": "1"}]'
    }
    models.delete_tag(model_id, "b")
    assert models.get(model_id)["tags"] == {
        "a": "one", "mlflow.modelVersions": '[{"name": "m", "version": "1"}]'
    }

    with pytest.raises(MlflowException) as excinfo:
        models.delete_tag(model_id, "b")
    assert excinfo.value.error_code == "RESOURCE_DOES_NOT_EXIST"
    assert f"No tag with key 'b' found for model with ID '{model_id}'." in str(excinfo.value)

    # (The 3.x client first GETs the model and turns a failure into its own
    # INVALID_PARAMETER_VALUE; the server answers 404 to the PATCH itself.)
    resp = raw.request(
        "PATCH", f"logged-models/{MISSING_MODEL_ID}/tags", json={"tags": [{"key": "k", "value": "v"}]}
    )
    expect_error(
        resp, 404, "RESOURCE_DOES_NOT_EXIST", f"Logged model with ID '{MISSING_MODEL_ID}' not found."
    )


def test_log_model_params(models, experiment_id):
    model_id = models.create(experiment_id, name="params", params={"a": "1"})["model_id"]
    models.log_params(model_id, {"b": "2", "c": 3})
    assert models.get(model_id)["params"] == {"a": "1", "b": "2", "c": "3"}


def test_metrics_linked_to_logged_model(models, client, experiment_id):
    run_id = client.create_run(experiment_id).info.run_id
    model_id = models.create(experiment_id, name="scored", source_run_id=run_id)["model_id"]
    models.log_metric(run_id, "accuracy", 0.93, model_id)
    got = models.get(model_id)
    assert got["metrics"] == {"accuracy": (0.93, run_id)}
    # The point is an ordinary run metric too.
    assert client.get_run(run_id).data.metrics == {"accuracy": 0.93}


def test_run_outputs(models, client, raw, experiment_id):
    run_id = client.create_run(experiment_id).info.run_id
    model_id = models.create(experiment_id, name="output", source_run_id=run_id)["model_id"]
    models.log_outputs(run_id, model_id, step=3)
    body = raw.ok_get("runs/get", {"run_id": run_id})
    assert body["run"]["outputs"] == {"model_outputs": [{"model_id": model_id, "step": 3}]}
    if models.native:
        (out,) = client.get_run(run_id).outputs.model_outputs
        assert (out.model_id, out.step) == (model_id, 3)


# --------------------------------------------------------------------------- search / delete


@pytest.fixture
def searchable(models, client, experiment_id):
    """Three logged models in a fresh experiment, created a, b, c (c newest)."""
    run_id = client.create_run(experiment_id).info.run_id
    made = {}
    for name, params, tags, acc, model_type in [
        ("model-a", {"lr": "0.1"}, {"team": "vision"}, 0.9, "sklearn"),
        ("model-b", {"lr": "0.01"}, {"team": "nlp"}, 0.7, "pytorch"),
        ("Model-C", {"lr": "0.1"}, {}, None, None),
    ]:
        m = models.create(experiment_id, name=name, source_run_id=run_id if acc else None,
                          params=params, tags=tags, model_type=model_type)
        if acc is not None:
            models.log_metric(run_id, "acc", acc, m["model_id"])
        made[name] = m["model_id"]
        time.sleep(0.01)
    made["run_id"] = run_id
    return made


def test_search_logged_models_filters(models, experiment_id, searchable):
    def find(flt):
        found, _ = models.search([experiment_id], filter_string=flt)
        return sorted(_names(found))

    assert find(None) == ["Model-C", "model-a", "model-b"]
    assert find("name = 'model-a'") == ["model-a"]
    assert find("name LIKE 'model-%'") == ["model-a", "model-b"]
    assert find("name ILIKE 'model-%'") == ["Model-C", "model-a", "model-b"]
    assert find("name != 'model-a'") == ["Model-C", "model-b"]
    assert find("params.lr = '0.1'") == ["Model-C", "model-a"]
    assert find("tags.team = 'nlp'") == ["model-b"]
    assert find("metrics.acc > 0.8") == ["model-a"]
    assert find("metrics.acc >= 0.7") == ["model-a", "model-b"]
    assert find("model_type = 'pytorch'") == ["model-b"]
    assert find(f"source_run_id = '{searchable['run_id']}'") == ["model-a", "model-b"]
    assert find("params.lr = '0.1' AND tags.team = 'vision'") == ["model-a"]
    assert find("name = 'nothing'") == []


def test_search_logged_models_order_and_paging(models, experiment_id, searchable):
    # Default order: newest first.
    found, token = models.search([experiment_id])
    assert _names(found) == ["Model-C", "model-b", "model-a"]
    assert token is None

    found, _ = models.search([experiment_id], order_by=[{"field_name": "creation_timestamp", "ascending": True}])
    assert _names(found) == ["model-a", "model-b", "Model-C"]
    found, _ = models.search(
        [experiment_id], filter_string="metrics.acc > 0",
        order_by=[{"field_name": "metrics.acc", "ascending": False}],
    )
    assert _names(found) == ["model-a", "model-b"]

    seen, token = [], None
    for _ in range(10):
        page, token = models.search([experiment_id], max_results=2, page_token=token)
        assert len(page) <= 2
        seen += _names(page)
        if not token:
            break
    assert seen == ["Model-C", "model-b", "model-a"]


def test_search_logged_models_scoping(models, raw, expect_error, client, unique_name,
                                      experiment_id, searchable):
    other = client.create_experiment(unique_name("lm-other"))
    models.create(other, name="elsewhere")
    found, _ = models.search([experiment_id, other], filter_string="name ILIKE '%e%'")
    assert sorted(_names(found)) == ["Model-C", "elsewhere", "model-a", "model-b"]
    found, _ = models.search([experiment_id, other], filter_string="name LIKE 'model-%'")
    assert sorted(_names(found)) == ["model-a", "model-b"]
    assert models.search([other])[0][0]["name"] == "elsewhere"

    expect_error(
        raw.post("logged-models/search", {}), 400, "INVALID_PARAMETER_VALUE",
        "Missing value for required parameter 'experiment_ids'.",
    )
    with pytest.raises(MlflowException) as excinfo:
        models.search([experiment_id], filter_string="name = 'a' OR name = 'b'")
    assert excinfo.value.error_code == "INVALID_PARAMETER_VALUE"


def test_delete_logged_model(models, experiment_id):
    keep = models.create(experiment_id, name="keep")["model_id"]
    gone = models.create(experiment_id, name="gone")["model_id"]
    models.delete(gone)
    with pytest.raises(MlflowException) as excinfo:
        models.get(gone)
    assert excinfo.value.error_code == "RESOURCE_DOES_NOT_EXIST"
    found, _ = models.search([experiment_id])
    assert [m["model_id"] for m in found] == [keep]


# --------------------------------------------------------------------------- 2.x runs/log-model


def _model(run_id, artifact_path, flavors):
    from mlflow.models import Model

    return Model(artifact_path=artifact_path, run_id=run_id, flavors=flavors)


def test_log_model_history_tag(client, experiment_id):
    """Model.log (2.x) records each model in the run tag mlflow.log-model.history: a JSON
    list, appended to, each entry reduced to run_id / artifact_path / utc_time_created /
    model_uuid / flavors, with every flavor's "config" dropped."""
    run_id = client.create_run(experiment_id).info.run_id
    first = _model(run_id, "model", {
        "python_function": {"loader_module": "mlflow.sklearn", "env": {"conda": "conda.yaml"}},
        "sklearn": {"sklearn_version": "1.5.0", "config": {"secret": "drop me"}},
    })
    client._record_logged_model(run_id, first)

    history = json.loads(client.get_run(run_id).data.tags["mlflow.log-model.history"])
    assert isinstance(history, list) and len(history) == 1
    (entry,) = history
    assert set(entry) == {"run_id", "artifact_path", "utc_time_created", "model_uuid", "flavors"}
    assert entry["run_id"] == run_id
    assert entry["artifact_path"] == "model"
    assert entry["utc_time_created"] == first.utc_time_created
    assert entry["model_uuid"] == first.model_uuid
    assert entry["flavors"] == {
        "python_function": {"loader_module": "mlflow.sklearn", "env": {"conda": "conda.yaml"}},
        "sklearn": {"sklearn_version": "1.5.0"},
    }

    second = _model(run_id, "model2", {})
    client._record_logged_model(run_id, second)
    history = json.loads(client.get_run(run_id).data.tags["mlflow.log-model.history"])
    assert [h["artifact_path"] for h in history] == ["model", "model2"]
    assert history[1]["flavors"] == {}


def test_log_model_over_rest(client, raw, expect_error, experiment_id):
    run_id = client.create_run(experiment_id).info.run_id
    model_json = json.dumps({
        "run_id": run_id,
        "artifact_path": "rest-model",
        "utc_time_created": "2024-01-01 00:00:00.000000",
        "flavors": {"python_function": {"loader_module": "x"}},
        "mlflow_version": "2.22.5",
        "model_size_bytes": 1234,
    })
    assert raw.ok_post("runs/log-model", {"run_id": run_id, "model_json": model_json}) == {}
    (entry,) = json.loads(client.get_run(run_id).data.tags["mlflow.log-model.history"])
    assert entry["artifact_path"] == "rest-model"
    assert entry["utc_time_created"] == "2024-01-01 00:00:00.000000"
    assert entry["flavors"] == {"python_function": {"loader_module": "x"}}
    assert "mlflow_version" not in entry and "model_size_bytes" not in entry

    expect_error(
        raw.post("runs/log-model", {"run_id": run_id, "model_json": json.dumps({"artifact_path": "x"})}),
        400, "INVALID_PARAMETER_VALUE", "Model json is missing mandatory fields",
    )
    expect_error(
        raw.post("runs/log-model", {"run_id": run_id, "model_json": "not json"}),
        400, "INVALID_PARAMETER_VALUE", "Malformed model info.",
    )
    expect_error(
        raw.post("runs/log-model", {"run_id": run_id}),
        400, "INVALID_PARAMETER_VALUE", "Missing value for required parameter 'model_json'.",
    )
    expect_error(
        raw.post("runs/log-model", {"run_id": MISSING_RUN_ID, "model_json": model_json}),
        404, "RESOURCE_DOES_NOT_EXIST", f"Run with id={MISSING_RUN_ID} not found",
    )
    # Nothing else was appended by the failed calls.
    assert len(json.loads(client.get_run(run_id).data.tags["mlflow.log-model.history"])) == 1

    client.delete_run(run_id)
    expect_error(
        raw.post("runs/log-model", {"run_id": run_id, "model_json": model_json}),
        400, "INVALID_PARAMETER_VALUE",
        f"The run {run_id} must be in the 'active' state. Current state is deleted.",
    )
