"""Model registry slice, driven through the OFFICIAL mlflow client (2.22.x and 3.x).

Each test asserts what a user of ``MlflowClient`` would notice: registered models, versions
(numbers as strings), aliases, stages with ``archive_existing_versions``, get_latest_versions,
searches with filters, ordering and paging, rename, delete, tags, ``models:/`` URI resolution
and the source checks. Expected behaviour is MLflow's own server (``mlflow/server/handlers.py``,
``mlflow/store/model_registry/sqlalchemy_store.py``); the suite was checked against real
MLflow 3.17.2 with both clients (``CAIRN_COMPAT_TARGET=mlflow``).

Most versions are registered with ``create_model_version(source="runs:/<run>/model",
run_id=<run>)``, so those tests need no artifact upload; one test goes the whole way: files
logged to a run, ``mlflow.register_model``, then a download through ``models:/name@alias``.
"""

from __future__ import annotations

import os
import threading

import mlflow

import pytest
from mlflow.exceptions import MlflowException
from mlflow.store.artifact.models_artifact_repo import ModelsArtifactRepository


def _code(excinfo) -> str:
    return excinfo.value.error_code


@pytest.fixture
def model_name(unique_name) -> str:
    return unique_name("model")


@pytest.fixture
def run_id(client, unique_name) -> str:
    experiment_id = client.create_experiment(unique_name("registry"))
    return client.create_run(experiment_id).info.run_id


def _register(client, name, run_id, n=1, **kw):
    """n versions of ``name`` from the run's ``model`` directory, created through the client."""
    return [
        client.create_model_version(name, f"runs:/{run_id}/model", run_id=run_id, **kw)
        for _ in range(n)
    ]


def _all_pages(search, **kw):
    out, token = [], None
    for _ in range(100):
        page = search(page_token=token, **kw)
        out.extend(page)
        token = page.token
        if not token:
            return out
    raise AssertionError("paging did not terminate")


# ------------------------------------------------------------------------ registered models


def test_create_get_and_duplicate_registered_model(client, model_name):
    created = client.create_registered_model(model_name, tags={"team": "ml"}, description="churn")
    assert created.name == model_name
    assert created.description == "churn"
    assert created.tags == {"team": "ml"}
    got = client.get_registered_model(model_name)
    assert got.name == model_name
    assert got.creation_timestamp == created.creation_timestamp
    assert got.latest_versions == []
    with pytest.raises(MlflowException) as e:
        client.create_registered_model(model_name)
    assert _code(e) == "RESOURCE_ALREADY_EXISTS"
    assert f"Registered Model (name={model_name}) already exists." in str(e.value)


def test_missing_registered_model_is_resource_does_not_exist(client, model_name):
    with pytest.raises(MlflowException) as e:
        client.get_registered_model(model_name)
    assert _code(e) == "RESOURCE_DOES_NOT_EXIST"
    assert f"Registered Model with name={model_name} not found" in str(e.value)


def test_invalid_model_names(client):
    for bad in ["a/b", "a:b", ""]:
        with pytest.raises(MlflowException) as e:
            client.create_registered_model(bad)
        assert _code(e) == "INVALID_PARAMETER_VALUE", bad


def test_update_and_tags_of_registered_model(client, model_name):
    client.create_registered_model(model_name)
    client.update_registered_model(model_name, description="v2 description")
    assert client.get_registered_model(model_name).description == "v2 description"
    client.set_registered_model_tag(model_name, "owner", "alice")
    client.set_registered_model_tag(model_name, "owner", "bob")
    client.set_registered_model_tag(model_name, "stage", "beta")
    assert client.get_registered_model(model_name).tags == {"owner": "bob", "stage": "beta"}
    client.delete_registered_model_tag(model_name, "owner")
    client.delete_registered_model_tag(model_name, "never-set")  # no error
    assert client.get_registered_model(model_name).tags == {"stage": "beta"}


def test_rename_carries_versions_and_frees_the_old_name(client, model_name, run_id):
    client.create_registered_model(model_name)
    _register(client, model_name, run_id, 2)
    new_name = model_name + "-renamed"
    client.rename_registered_model(model_name, new_name)
    assert client.get_registered_model(new_name).name == new_name
    assert client.get_model_version(new_name, "2").name == new_name
    with pytest.raises(MlflowException) as e:
        client.get_registered_model(model_name)
    assert _code(e) == "RESOURCE_DOES_NOT_EXIST"
    client.create_registered_model(model_name)  # the old name is free again
    with pytest.raises(MlflowException) as e:
        client.rename_registered_model(model_name, new_name)
    assert _code(e) == "RESOURCE_ALREADY_EXISTS"


def test_delete_registered_model_takes_its_versions(client, model_name, run_id):
    client.create_registered_model(model_name)
    _register(client, model_name, run_id)
    client.delete_registered_model(model_name)
    with pytest.raises(MlflowException) as e:
        client.get_model_version(model_name, "1")
    assert _code(e) == "RESOURCE_DOES_NOT_EXIST"
    with pytest.raises(MlflowException) as e:
        client.delete_registered_model(model_name)
    assert _code(e) == "RESOURCE_DOES_NOT_EXIST"


# ---------------------------------------------------------------------------- model versions


def test_versions_are_numbered_from_one_as_strings(client, model_name, run_id):
    client.create_registered_model(model_name)
    v1, v2, v3 = _register(client, model_name, run_id, 3, description="first", tags={"k": "v"})
    assert [v.version for v in (v1, v2, v3)] == ["1", "2", "3"]
    got = client.get_model_version(model_name, "2")
    assert got.version == "2"
    assert got.current_stage == "None"
    assert got.status == "READY"
    assert got.source == f"runs:/{run_id}/model"
    assert got.run_id == run_id
    assert got.description == "first"
    assert got.tags == {"k": "v"}
    assert client.get_model_version_download_uri(model_name, "2") == f"runs:/{run_id}/model"
    latest = client.get_registered_model(model_name).latest_versions
    assert [(v.version, v.current_stage) for v in latest] == [("3", "None")]


def test_version_from_the_run_artifact_uri(client, model_name, run_id):
    """What the 2.x log_model(registered_model_name=...) sends: the run's artifact URI + path."""
    client.create_registered_model(model_name)
    source = client.get_run(run_id).info.artifact_uri + "/model"
    mv = client.create_model_version(model_name, source, run_id=run_id)
    assert mv.source == source
    assert client.get_model_version_download_uri(model_name, mv.version) == source


def test_version_of_a_missing_model_or_number(client, model_name, run_id):
    with pytest.raises(MlflowException) as e:
        client.create_model_version(model_name, f"runs:/{run_id}/model", run_id=run_id)
    assert _code(e) == "RESOURCE_DOES_NOT_EXIST"
    client.create_registered_model(model_name)
    with pytest.raises(MlflowException) as e:
        client.get_model_version(model_name, "7")
    assert _code(e) == "RESOURCE_DOES_NOT_EXIST"
    assert f"Model Version (name={model_name}, version=7) not found" in str(e.value)
    with pytest.raises(MlflowException) as e:
        client.get_model_version(model_name, "seven")
    assert _code(e) == "INVALID_PARAMETER_VALUE"


def test_update_and_tags_of_model_version(client, model_name, run_id):
    client.create_registered_model(model_name)
    _register(client, model_name, run_id)
    updated = client.update_model_version(model_name, "1", description="better")
    assert updated.description == "better"
    client.set_model_version_tag(model_name, "1", "validated", "yes")
    client.set_model_version_tag(model_name, "1", "owner", "alice")
    client.delete_model_version_tag(model_name, "1", "owner")
    assert client.get_model_version(model_name, "1").tags == {"validated": "yes"}


def test_deleted_version_is_gone_and_its_number_stays_taken(client, model_name, run_id):
    client.create_registered_model(model_name)
    _register(client, model_name, run_id, 2)
    client.set_registered_model_alias(model_name, "champion", "2")
    client.delete_model_version(model_name, "2")
    with pytest.raises(MlflowException) as e:
        client.get_model_version(model_name, "2")
    assert _code(e) == "RESOURCE_DOES_NOT_EXIST"
    assert client.get_registered_model(model_name).aliases == {}
    found = client.search_model_versions(f"name = '{model_name}'")
    assert [v.version for v in found] == ["1"]
    (v3,) = _register(client, model_name, run_id)
    assert v3.version == "3"


def test_source_checks(client, model_name, run_id, unique_name):
    client.create_registered_model(model_name)
    other_run = client.create_run(client.create_experiment(unique_name("other"))).info.run_id
    bad_sources = [
        ("s3://bucket/models/%252e%252e/secrets", None),  # double-encoded ..
        ("s3://bucket/models/../../secrets", None),
        ("s3://bucket/models%00/x", None),
        ("/etc/passwd", run_id),
        ("file:///etc/passwd", run_id),
        (f"runs:/{other_run}/model", run_id),  # a run other than run_id
        (f"runs:/{run_id}/model", None),  # runs:/ without run_id
        (client.get_run(other_run).info.artifact_uri + "/model", run_id),
    ]
    for source, rid in bad_sources:
        with pytest.raises(MlflowException) as e:
            client.create_model_version(model_name, source, run_id=rid)
        assert _code(e) == "INVALID_PARAMETER_VALUE", source
    mv = client.create_model_version(model_name, "s3://bucket/models/churn")
    assert mv.version == "1"


def test_register_model_from_run_artifacts_and_download_by_alias(client, model_name, run_id, tmp_path):
    model_dir = tmp_path / "model"
    model_dir.mkdir()
    (model_dir / "MLmodel").write_text("flavors: {}\n")
    (model_dir / "weights.txt").write_text("42")
    client.log_artifacts(run_id, str(model_dir), "model")
    mv = mlflow.register_model(f"runs:/{run_id}/model", model_name)
    assert mv.version == "1"
    assert mv.run_id == run_id
    assert mv.source == client.get_run(run_id).info.artifact_uri + "/model"
    client.set_registered_model_alias(model_name, "champion", "1")
    for uri in (f"models:/{model_name}@champion", f"models:/{model_name}/1", f"models:/{model_name}/latest"):
        local = mlflow.artifacts.download_artifacts(uri, dst_path=str(tmp_path / uri.replace("/", "_")))
        assert "MLmodel" in os.listdir(local), uri
        with open(os.path.join(local, "weights.txt")) as f:
            assert f.read() == "42", uri


# ---------------------------------------------------------------------------------- aliases


def test_aliases_move_and_resolve(client, model_name, run_id):
    client.create_registered_model(model_name)
    _register(client, model_name, run_id, 3)
    client.set_registered_model_alias(model_name, "champion", "2")
    got = client.get_model_version_by_alias(model_name, "champion")
    assert got.version == "2"
    assert got.aliases == ["champion"]
    client.set_registered_model_alias(model_name, "champion", "3")
    client.set_registered_model_alias(model_name, "challenger", "1")
    assert client.get_registered_model(model_name).aliases == {"champion": "3", "challenger": "1"}
    assert client.get_model_version(model_name, "3").aliases == ["champion"]
    assert client.get_model_version_by_alias(model_name, "latest").version == "3"
    client.delete_registered_model_alias(model_name, "challenger")
    assert client.get_registered_model(model_name).aliases == {"champion": "3"}


def test_alias_errors(client, model_name, run_id):
    client.create_registered_model(model_name)
    _register(client, model_name, run_id)
    for reserved in ["latest", "LATEST", "v1", "V12"]:
        with pytest.raises(MlflowException) as e:
            client.set_registered_model_alias(model_name, reserved, "1")
        assert _code(e) == "INVALID_PARAMETER_VALUE", reserved
    for bad in ["has space", "dot.ted"]:
        with pytest.raises(MlflowException) as e:
            client.set_registered_model_alias(model_name, bad, "1")
        assert _code(e) == "INVALID_PARAMETER_VALUE", bad
    with pytest.raises(MlflowException) as e:
        client.set_registered_model_alias(model_name, "champion", "9")
    assert _code(e) == "RESOURCE_DOES_NOT_EXIST"
    with pytest.raises(MlflowException) as e:
        client.get_model_version_by_alias(model_name, "nobody")
    assert _code(e) == "INVALID_PARAMETER_VALUE"
    assert "Registered model alias nobody not found." in str(e.value)


# ----------------------------------------------------------------------------------- stages


def test_transition_stage_with_archive_existing_versions(client, model_name, run_id):
    client.create_registered_model(model_name)
    _register(client, model_name, run_id, 3)
    assert client.transition_model_version_stage(model_name, "1", "production").current_stage == "Production"
    client.transition_model_version_stage(model_name, "3", "Staging")
    moved = client.transition_model_version_stage(
        model_name, "2", "Production", archive_existing_versions=True
    )
    assert moved.current_stage == "Production"
    assert client.get_model_version(model_name, "1").current_stage == "Archived"
    assert client.get_model_version(model_name, "3").current_stage == "Staging"
    prod = client.get_latest_versions(model_name, stages=["Production"])
    assert [v.version for v in prod] == ["2"]
    every = {v.current_stage: v.version for v in client.get_latest_versions(model_name)}
    assert every == {"Production": "2", "Staging": "3", "Archived": "1"}
    latest = {v.current_stage: v.version for v in client.get_registered_model(model_name).latest_versions}
    assert latest == every


def test_stage_errors(client, model_name, run_id, target):
    client.create_registered_model(model_name)
    _register(client, model_name, run_id)
    with pytest.raises(MlflowException) as e:
        client.transition_model_version_stage(model_name, "1", "Shipped")
    assert _code(e) == "INVALID_PARAMETER_VALUE"
    assert "Invalid Model Version stage: Shipped" in str(e.value)
    with pytest.raises(MlflowException) as e:
        client.transition_model_version_stage(model_name, "1", "Archived", archive_existing_versions=True)
    # MLflow answers 500 INTERNAL_ERROR here; Cairn says it is the caller's mistake.
    assert _code(e) == ("INTERNAL_ERROR" if target == "mlflow" else "INVALID_PARAMETER_VALUE")
    with pytest.raises(MlflowException) as e:
        client.get_latest_versions(model_name, stages=["Shipped"])
    assert _code(e) == "INVALID_PARAMETER_VALUE"


def test_models_uris_resolve_by_version_stage_alias_and_latest(client, model_name, run_id):
    client.create_registered_model(model_name)
    _register(client, model_name, run_id, 2)
    client.create_model_version(model_name, "s3://bucket/models/v3")
    client.transition_model_version_stage(model_name, "1", "Production")
    client.set_registered_model_alias(model_name, "champion", "2")
    resolve = ModelsArtifactRepository.get_underlying_uri
    assert resolve(f"models:/{model_name}/3") == "s3://bucket/models/v3"
    assert resolve(f"models:/{model_name}/Production") == f"runs:/{run_id}/model"
    assert resolve(f"models:/{model_name}@champion") == f"runs:/{run_id}/model"
    assert resolve(f"models:/{model_name}/latest") == "s3://bucket/models/v3"


def test_copy_model_version_takes_the_source_location(client, model_name, run_id):
    client.create_registered_model(model_name)
    client.create_model_version(model_name, "s3://bucket/models/churn")
    copy = client.copy_model_version(f"models:/{model_name}/1", model_name + "-copy")
    assert copy.version == "1"
    assert copy.source == f"models:/{model_name}/1"
    assert client.get_model_version_download_uri(model_name + "-copy", "1") == "s3://bucket/models/churn"


# ---------------------------------------------------------------------------------- search


def test_search_registered_models_filter_order_and_paging(client, unique_name):
    prefix = unique_name("search")
    names = [f"{prefix}-{i}" for i in range(5)]
    for i, name in enumerate(names):
        client.create_registered_model(name, tags={"parity": "even" if i % 2 == 0 else "odd"})
    by_prefix = client.search_registered_models(f"name LIKE '{prefix}-%'")
    assert [m.name for m in by_prefix] == names
    even = client.search_registered_models(f"name LIKE '{prefix}-%' AND tags.parity = 'even'")
    assert [m.name for m in even] == names[0::2]
    desc = client.search_registered_models(f"name LIKE '{prefix}-%'", order_by=["name DESC"])
    assert [m.name for m in desc] == names[::-1]
    first = client.search_registered_models(f"name LIKE '{prefix}-%'", max_results=2)
    assert [m.name for m in first] == names[:2]
    assert first.token
    paged = _all_pages(client.search_registered_models, filter_string=f"name LIKE '{prefix}-%'", max_results=2)
    assert [m.name for m in paged] == names
    last = client.search_registered_models(f"name LIKE '{prefix}-%'", max_results=5)
    assert len(last) == 5 and not last.token  # max_results + 1 rule: no empty extra page
    assert [m.name for m in client.search_registered_models(f"name = '{names[3]}'")] == [names[3]]
    with pytest.raises(MlflowException) as e:
        client.search_registered_models("run_id = 'x'")
    assert _code(e) == "INVALID_PARAMETER_VALUE"


def test_search_model_versions_filter_order_and_paging(client, model_name, run_id):
    client.create_registered_model(model_name)
    _register(client, model_name, run_id, 4)
    client.create_model_version(model_name, "s3://bucket/models/five")
    found = client.search_model_versions(f"name = '{model_name}'")
    assert [v.version for v in found] == ["5", "4", "3", "2", "1"]
    ordered = client.search_model_versions(f"name = '{model_name}'", order_by=["version_number ASC"])
    assert [v.version for v in ordered] == ["1", "2", "3", "4", "5"]
    by_run = client.search_model_versions(f"run_id = '{run_id}'")
    assert sorted(v.version for v in by_run) == ["1", "2", "3", "4"]
    newer = client.search_model_versions(f"name = '{model_name}' AND version_number > 3")
    assert sorted(v.version for v in newer) == ["4", "5"]
    paged = _all_pages(
        client.search_model_versions,
        filter_string=f"name = '{model_name}'",
        max_results=2,
        order_by=["version_number DESC"],
    )
    assert [v.version for v in paged] == ["5", "4", "3", "2", "1"]
    with pytest.raises(MlflowException) as e:
        client.search_model_versions(f"name = '{model_name}'", order_by=["stage"])
    assert _code(e) == "INVALID_PARAMETER_VALUE"


def test_prompts_are_hidden_from_model_search_unless_asked_for(client, raw, unique_name):
    prefix = unique_name("prompt")
    client.create_registered_model(f"{prefix}-model")
    # The client refuses to create prompts as models; the prompt registry sends this.
    prompt_tag = {"key": "mlflow.prompt.is_prompt", "value": "true"}
    raw.ok_post("registered-models/create", {"name": f"{prefix}-prompt", "tags": [prompt_tag]})
    plain = client.search_registered_models(f"name LIKE '{prefix}-%'")
    assert [m.name for m in plain] == [f"{prefix}-model"]
    asked = client.search_registered_models(
        f"name LIKE '{prefix}-%' AND tags.`mlflow.prompt.is_prompt` = 'true'"
    )
    assert [m.name for m in asked] == [f"{prefix}-prompt"]


# ------------------------------------------------------------------------------ concurrency


def _in_threads(fn, n):
    results, errors = [], []

    def work():
        try:
            results.append(fn())
        except MlflowException as e:
            errors.append(e.error_code)

    threads = [threading.Thread(target=work) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results, errors


def test_concurrent_creation_of_one_name_has_one_winner(client, model_name):
    results, errors = _in_threads(lambda: client.create_registered_model(model_name), 8)
    assert len(results) == 1
    assert errors == ["RESOURCE_ALREADY_EXISTS"] * 7


def test_concurrent_versions_get_distinct_numbers(client, model_name, run_id, target):
    client.create_registered_model(model_name)
    results, errors = _in_threads(
        lambda: client.create_model_version(model_name, f"runs:/{run_id}/model", run_id=run_id), 8
    )
    if target == "cairn":
        assert errors == []
    versions = sorted(int(v.version) for v in results)
    assert len(set(versions)) == len(versions)
    if target == "cairn":
        assert versions == list(range(1, 9))
