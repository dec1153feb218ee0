"""Experiments slice, driven through the OFFICIAL mlflow client (2.22.x and 3.x).

Each test asserts what a user of ``mlflow`` / ``MlflowClient`` would notice. Expected
behaviour is taken from MLflow's own server (``mlflow/server/handlers.py``,
``mlflow/store/tracking/sqlalchemy_store.py``, ``mlflow/utils/validation.py``) and was
checked against real MLflow 3.17.2.
"""

from __future__ import annotations

import time

import mlflow
import pytest
from mlflow.entities import ViewType
from mlflow.exceptions import MlflowException, RestException


def _names(experiments):
    return [e.name for e in experiments]


def _search_prefix(client, prefix, **kw):
    """search_experiments restricted to names starting with ``prefix`` (all pages)."""
    kw.setdefault("max_results", 1000)
    flt = f"name LIKE '{prefix}%'"
    if kw.get("filter_string"):
        flt = f"{flt} AND {kw.pop('filter_string')}"
    else:
        kw.pop("filter_string", None)
    out, token = [], None
    for _ in range(50):
        page = client.search_experiments(filter_string=flt, page_token=token, **kw)
        out.extend(page)
        token = page.token
        if not token:
            return out
    raise AssertionError("search_experiments paging did not terminate")


def _delete_experiment_tag(client, raw, experiment_id, key):
    """MlflowClient.delete_experiment_tag exists only in mlflow >= 3.2; the 2.22 client
    lacks it, so do exactly what the 3.x client sends, through raw REST."""
    if hasattr(client, "delete_experiment_tag"):
        client.delete_experiment_tag(experiment_id, key)
        return
    resp = raw.post(
        "experiments/delete-experiment-tag", {"experiment_id": experiment_id, "key": key}
    )
    if resp.status_code != 200:
        assert resp.headers.get("Content-Type", "").startswith("application/json"), (
            f"delete-experiment-tag -> {resp.status_code} {resp.text[:200]!r}"
        )
        # What the client itself raises for an error response (verify_rest_response).
        raise RestException(resp.json())
    assert resp.json() == {}


def _error_code(excinfo) -> str:
    return excinfo.value.error_code


# --------------------------------------------------------------------------- basics


def test_default_experiment_exists(client):
    exp = client.get_experiment("0")
    assert exp.experiment_id == "0"
    assert exp.name == "Default"
    assert exp.lifecycle_stage == "active"
    by_name = client.get_experiment_by_name("Default")
    assert by_name is not None
    assert by_name.experiment_id == "0"


def test_set_experiment_creates_then_reuses(unique_name):
    name = unique_name("setexp")
    assert mlflow.get_experiment_by_name(name) is None

    first = mlflow.set_experiment(name)
    assert first.name == name
    assert first.lifecycle_stage == "active"
    assert isinstance(first.experiment_id, str) and first.experiment_id

    second = mlflow.set_experiment(name)
    assert second.experiment_id == first.experiment_id

    fetched = mlflow.get_experiment_by_name(name)
    assert fetched is not None
    assert fetched.experiment_id == first.experiment_id
    assert fetched.name == name

    by_id = mlflow.set_experiment(experiment_id=first.experiment_id)
    assert by_id.name == name


def test_create_experiment_with_tags_and_artifact_location(client, unique_name):
    name = unique_name("create")
    location = f"s3://cairn-compat-bucket/{name}"
    before = int(time.time() * 1000)
    exp_id = client.create_experiment(
        name, artifact_location=location, tags={"team": "vision", "priority": "1"}
    )
    assert isinstance(exp_id, str)
    assert exp_id.isdigit(), f"experiment ids are integer-valued strings, got {exp_id!r}"

    exp = client.get_experiment(exp_id)
    assert exp.experiment_id == exp_id
    assert exp.name == name
    assert exp.artifact_location == location
    assert exp.lifecycle_stage == "active"
    assert exp.tags == {"team": "vision", "priority": "1"}
    assert isinstance(exp.creation_time, int)
    assert isinstance(exp.last_update_time, int)
    # Server clocks may differ a little from ours; just make sure these are epoch millis.
    assert abs(exp.creation_time - before) < 10 * 60 * 1000
    assert exp.last_update_time >= exp.creation_time


def test_create_experiment_default_artifact_location(client, unique_name):
    exp_id = client.create_experiment(unique_name("defloc"))
    exp = client.get_experiment(exp_id)
    assert exp.artifact_location, "a default artifact_location must be assigned"
    assert exp.artifact_location.rstrip("/").endswith(exp_id)
    assert exp.tags == {}


def test_get_experiment(client, unique_name):
    name = unique_name("get")
    exp_id = client.create_experiment(name, tags={"k": "v"})
    exp = client.get_experiment(exp_id)
    assert (exp.experiment_id, exp.name, exp.tags) == (exp_id, name, {"k": "v"})
    same = mlflow.get_experiment(exp_id)
    assert (same.experiment_id, same.name) == (exp_id, name)


def test_get_experiment_by_name(client, unique_name):
    name = unique_name("byname")
    exp_id = client.create_experiment(name)
    exp = client.get_experiment_by_name(name)
    assert exp is not None
    assert exp.experiment_id == exp_id
    assert exp.name == name


def test_get_experiment_by_name_missing_returns_none(client, unique_name):
    # The client maps RESOURCE_DOES_NOT_EXIST (and only that code) to None.
    assert client.get_experiment_by_name(unique_name("missing")) is None
    assert mlflow.get_experiment_by_name(unique_name("missing")) is None


def test_get_missing_experiment_id(client):
    with pytest.raises(MlflowException) as excinfo:
        client.get_experiment("999999999")
    assert _error_code(excinfo) == "RESOURCE_DOES_NOT_EXIST"
    # MLflow: "No Experiment with id=999999999 exists"
    assert "999999999" in str(excinfo.value)


def test_duplicate_name_rejected(client, unique_name):
    name = unique_name("dup")
    exp_id = client.create_experiment(name)
    with pytest.raises(MlflowException) as excinfo:
        client.create_experiment(name)
    assert _error_code(excinfo) == "RESOURCE_ALREADY_EXISTS"
    # The original is untouched, and no second experiment appeared.
    assert client.get_experiment_by_name(name).experiment_id == exp_id
    assert [e.experiment_id for e in _search_prefix(client, name, view_type=ViewType.ALL)] == [
        exp_id
    ]


def test_create_experiment_invalid_name(client, unique_name):
    with pytest.raises(MlflowException) as excinfo:
        client.create_experiment(unique_name("long") + "x" * 500)
    assert _error_code(excinfo) == "INVALID_PARAMETER_VALUE"


# --------------------------------------------------------------------------- search


def test_search_filter_name_equals(client, unique_name):
    name = unique_name("eq")
    exp_id = client.create_experiment(name)
    client.create_experiment(name + "-other")
    found = client.search_experiments(filter_string=f"name = '{name}'")
    assert [e.experiment_id for e in found] == [exp_id]
    assert found.token is None

    not_eq = _search_prefix(client, name, filter_string=f"name != '{name}'")
    assert _names(not_eq) == [name + "-other"]


def test_search_filter_like_and_ilike(client, unique_name):
    prefix = unique_name("like")
    mixed = f"{prefix}-MixedCase"
    client.create_experiment(mixed)
    client.create_experiment(f"{prefix}-lower")

    # LIKE is case-sensitive, ILIKE is not; both use SQL % and _ wildcards.
    assert _names(client.search_experiments(filter_string=f"name LIKE '{prefix}-Mixed%'")) == [
        mixed
    ]
    assert _names(client.search_experiments(filter_string=f"name LIKE '{prefix}-mixed%'")) == []
    assert _names(client.search_experiments(filter_string=f"name ILIKE '{prefix}-mixed%'")) == [
        mixed
    ]
    assert _names(client.search_experiments(filter_string=f"name LIKE '{prefix}-_ower'")) == [
        f"{prefix}-lower"
    ]
    both = client.search_experiments(
        filter_string=f"name LIKE '{prefix}-%'", order_by=["name ASC"]
    )
    assert _names(both) == sorted([mixed, f"{prefix}-lower"])


def test_search_filter_tags(client, unique_name):
    prefix = unique_name("tagsearch")
    vision = client.create_experiment(f"{prefix}-a", tags={"team": "vision", "my.key": "x"})
    nlp = client.create_experiment(f"{prefix}-b", tags={"team": "nlp"})
    client.create_experiment(f"{prefix}-c")

    def ids(flt):
        return sorted(e.experiment_id for e in _search_prefix(client, prefix, filter_string=flt))

    assert ids("tags.team = 'vision'") == [vision]
    assert ids("tags.team LIKE 'nl%'") == [nlp]
    assert ids("tags.team ILIKE 'VISION'") == [vision]
    # An experiment without the tag never matches a tag clause, not even '!='.
    assert ids("tags.team != 'vision'") == [nlp]
    assert ids("tags.`my.key` = 'x'") == [vision]
    assert ids("tags.team = 'vision' AND tags.`my.key` = 'x'") == [vision]
    assert ids("tags.team = 'nobody'") == []


def test_search_filter_creation_time(client, unique_name):
    prefix = unique_name("ctime")
    exp_id = client.create_experiment(f"{prefix}-a")
    created = client.get_experiment(exp_id).creation_time
    assert [e.experiment_id for e in _search_prefix(
        client, prefix, filter_string=f"creation_time >= {created}"
    )] == [exp_id]
    assert _search_prefix(client, prefix, filter_string=f"creation_time > {created}") == []


def test_search_order_by(client, unique_name):
    prefix = unique_name("order")
    # Created in this order, with a pause so creation times differ.
    created = []
    for suffix in ["b", "c", "a"]:
        created.append(f"{prefix}-{suffix}")
        client.create_experiment(created[-1])
        time.sleep(0.02)

    assert _names(_search_prefix(client, prefix, order_by=["name ASC"])) == sorted(created)
    assert _names(_search_prefix(client, prefix, order_by=["name DESC"])) == sorted(
        created, reverse=True
    )
    newest_first = list(reversed(created))
    assert _names(_search_prefix(client, prefix, order_by=["creation_time DESC"])) == newest_first
    assert _names(_search_prefix(client, prefix, order_by=["creation_time ASC"])) == created
    # Default order: creation_time DESC (then experiment_id ASC).
    assert _names(_search_prefix(client, prefix)) == newest_first


def test_search_paging(client, unique_name):
    prefix = unique_name("page")
    names = [f"{prefix}-{i:02d}" for i in range(7)]
    # Create in reverse so that name order differs from creation order.
    for name in reversed(names):
        client.create_experiment(name)

    seen, sizes, token = [], [], None
    for _ in range(10):
        page = client.search_experiments(
            filter_string=f"name LIKE '{prefix}-%'",
            order_by=["name ASC"],
            max_results=3,
            page_token=token,
        )
        sizes.append(len(page))
        seen.extend(_names(page))
        token = page.token
        if not token:
            break
    assert seen == names, "every experiment exactly once, in order"
    assert sizes == [3, 3, 1]

    # A page that is exactly full does not hand out a token to an empty page.
    one_page = client.search_experiments(
        filter_string=f"name LIKE '{prefix}-%'", order_by=["name ASC"], max_results=7
    )
    assert _names(one_page) == names
    assert one_page.token is None


def test_fluent_search_experiments_pages_automatically(unique_name, client):
    prefix = unique_name("fluent")
    names = [f"{prefix}-{i}" for i in range(4)]
    for name in names:
        client.create_experiment(name)
    found = mlflow.search_experiments(
        filter_string=f"name LIKE '{prefix}-%'", order_by=["name ASC"]
    )
    assert _names(found) == names


def test_search_view_type(client, unique_name):
    prefix = unique_name("view")
    alive = client.create_experiment(f"{prefix}-alive")
    dead = client.create_experiment(f"{prefix}-dead")
    client.delete_experiment(dead)

    def ids(view_type):
        return sorted(e.experiment_id for e in _search_prefix(client, prefix, view_type=view_type))

    assert ids(ViewType.ACTIVE_ONLY) == [alive]
    assert ids(ViewType.DELETED_ONLY) == [dead]
    assert ids(ViewType.ALL) == sorted([alive, dead])
    # Default is ACTIVE_ONLY.
    assert sorted(e.experiment_id for e in _search_prefix(client, prefix)) == [alive]


def test_search_invalid_filter(client):
    with pytest.raises(MlflowException) as excinfo:
        client.search_experiments(filter_string="name = 'a' OR name = 'b'")
    assert _error_code(excinfo) == "INVALID_PARAMETER_VALUE"


def test_search_invalid_order_by(client):
    with pytest.raises(MlflowException) as excinfo:
        client.search_experiments(order_by=["not_a_column ASC"])
    assert _error_code(excinfo) == "INVALID_PARAMETER_VALUE"


# --------------------------------------------------------------------------- lifecycle


def test_rename_experiment(client, unique_name):
    old = unique_name("rename-old")
    new = unique_name("rename-new")
    exp_id = client.create_experiment(old)
    before = client.get_experiment(exp_id)
    client.rename_experiment(exp_id, new)

    after = client.get_experiment(exp_id)
    assert after.name == new
    assert after.last_update_time >= before.last_update_time
    assert client.get_experiment_by_name(old) is None
    assert client.get_experiment_by_name(new).experiment_id == exp_id
    # The old name is free again.
    assert client.create_experiment(old) != exp_id


def test_rename_to_existing_name_rejected(client, unique_name):
    a = client.create_experiment(unique_name("ren-a"))
    b_name = unique_name("ren-b")
    client.create_experiment(b_name)
    with pytest.raises(MlflowException) as excinfo:
        client.rename_experiment(a, b_name)
    # Real MLflow surfaces the unique-constraint violation as BAD_REQUEST (HTTP 400);
    # RESOURCE_ALREADY_EXISTS (also 400) would be the more precise code.
    assert _error_code(excinfo) in ("BAD_REQUEST", "RESOURCE_ALREADY_EXISTS")
    assert client.get_experiment(a).name != b_name


def test_delete_experiment(client, unique_name):
    name = unique_name("delete")
    exp_id = client.create_experiment(name)
    client.delete_experiment(exp_id)

    exp = client.get_experiment(exp_id)
    assert exp.lifecycle_stage == "deleted"
    # get-by-name still finds deleted experiments.
    by_name = client.get_experiment_by_name(name)
    assert by_name is not None and by_name.lifecycle_stage == "deleted"

    assert _search_prefix(client, name) == []
    assert [e.experiment_id for e in _search_prefix(client, name, view_type=ViewType.DELETED_ONLY)] == [exp_id]
    assert [e.experiment_id for e in _search_prefix(client, name, view_type=ViewType.ALL)] == [exp_id]

    # The name stays taken while the experiment is soft-deleted.
    with pytest.raises(MlflowException) as excinfo:
        client.create_experiment(name)
    assert _error_code(excinfo) == "RESOURCE_ALREADY_EXISTS"

    # Deleting twice: the experiment is no longer active.
    with pytest.raises(MlflowException) as excinfo:
        client.delete_experiment(exp_id)
    assert _error_code(excinfo) == "RESOURCE_DOES_NOT_EXIST"


def test_set_experiment_on_deleted_experiment_fails(client, unique_name):
    name = unique_name("setdeleted")
    exp_id = client.create_experiment(name)
    client.delete_experiment(exp_id)
    with pytest.raises(MlflowException) as excinfo:
        mlflow.set_experiment(name)
    assert "deleted" in str(excinfo.value)


def test_delete_missing_experiment(client):
    with pytest.raises(MlflowException) as excinfo:
        client.delete_experiment("999999999")
    assert _error_code(excinfo) == "RESOURCE_DOES_NOT_EXIST"


def test_restore_experiment(client, unique_name):
    name = unique_name("restore")
    exp_id = client.create_experiment(name, tags={"keep": "me"})
    client.delete_experiment(exp_id)
    client.restore_experiment(exp_id)

    exp = client.get_experiment(exp_id)
    assert exp.lifecycle_stage == "active"
    assert exp.name == name
    assert exp.tags == {"keep": "me"}
    assert [e.experiment_id for e in _search_prefix(client, name)] == [exp_id]

    # Restoring an active experiment: there is no deleted experiment with that id.
    with pytest.raises(MlflowException) as excinfo:
        client.restore_experiment(exp_id)
    assert _error_code(excinfo) == "RESOURCE_DOES_NOT_EXIST"


def test_deleted_experiment_is_read_only(client, raw, unique_name):
    exp_id = client.create_experiment(unique_name("readonly"))
    client.delete_experiment(exp_id)

    with pytest.raises(MlflowException) as excinfo:
        client.set_experiment_tag(exp_id, "k", "v")
    # "The experiment <id> must be in the 'active' state. Current state is deleted."
    assert _error_code(excinfo) == "INVALID_PARAMETER_VALUE"

    # Renaming a deleted experiment: MLflow answers INVALID_STATE ("Cannot rename a
    # non-active experiment."), which it maps to HTTP 500. Checked over raw HTTP so
    # the client's 5xx retry policy plays no part.
    resp = raw.post("experiments/update", {"experiment_id": exp_id, "new_name": "whatever-x"})
    assert resp.json()["error_code"] == "INVALID_STATE"
    assert resp.status_code in (400, 500)
    assert client.get_experiment(exp_id).name != "whatever-x"


# --------------------------------------------------------------------------- tags


def test_set_experiment_tag_and_overwrite(client, unique_name):
    exp_id = client.create_experiment(unique_name("settag"))
    client.set_experiment_tag(exp_id, "stage", "dev")
    client.set_experiment_tag(exp_id, "owner", "alice")
    assert client.get_experiment(exp_id).tags == {"stage": "dev", "owner": "alice"}

    client.set_experiment_tag(exp_id, "stage", "prod")
    assert client.get_experiment(exp_id).tags == {"stage": "prod", "owner": "alice"}


def test_fluent_set_experiment_tag(unique_name):
    exp = mlflow.set_experiment(unique_name("fluenttag"))
    mlflow.set_experiment_tag("color", "blue")
    assert mlflow.get_experiment(exp.experiment_id).tags["color"] == "blue"


def test_set_experiment_tag_invalid_key(client, unique_name):
    exp_id = client.create_experiment(unique_name("badtag"))
    with pytest.raises(MlflowException) as excinfo:
        client.set_experiment_tag(exp_id, "k" * 251, "v")
    assert _error_code(excinfo) == "INVALID_PARAMETER_VALUE"
    assert client.get_experiment(exp_id).tags == {}


def test_set_experiment_tag_missing_experiment(client):
    with pytest.raises(MlflowException) as excinfo:
        client.set_experiment_tag("999999999", "k", "v")
    assert _error_code(excinfo) == "RESOURCE_DOES_NOT_EXIST"


def test_delete_experiment_tag(client, raw, unique_name):
    exp_id = client.create_experiment(unique_name("deltag"), tags={"a": "1", "b": "2"})
    _delete_experiment_tag(client, raw, exp_id, "a")
    assert client.get_experiment(exp_id).tags == {"b": "2"}

    # Deleting a tag that is not there.
    with pytest.raises(MlflowException) as excinfo:
        _delete_experiment_tag(client, raw, exp_id, "a")
    assert _error_code(excinfo) == "RESOURCE_DOES_NOT_EXIST"

    _delete_experiment_tag(client, raw, exp_id, "b")
    assert client.get_experiment(exp_id).tags == {}
