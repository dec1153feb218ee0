"""Artifacts, driven through the OFFICIAL mlflow client (2.22.x and 3.x) in proxied mode: the
client resolves ``mlflow-artifacts:/<exp>/<run>/artifacts`` to the server's
``/api/2.0/mlflow-artifacts/artifacts/...`` routes and streams bytes through the server.

Covers ``log_artifact`` / ``log_artifacts`` (a nested tree, a unicode file name, an empty file),
``log_text`` / ``log_dict`` / ``log_figure``, ``MlflowClient.list_artifacts``,
``mlflow.artifacts.download_artifacts``, deletes, multipart uploads (or the client's fallback
when the store cannot do them), ``sklearn.log_model`` + ``pyfunc.load_model`` + ``predict``, and
the raw HTTP surface: proxy GET/PUT/DELETE/list, Range, download headers, the tracking
``artifacts/list`` and ``/get-artifact``, and path-traversal shapes from MLflow's CVE history.

Expected behaviour is MLflow's own server (``mlflow/server/handlers.py``), checked against a real
MLflow 3.17.2 server started with ``--artifacts-destination``. Where Cairn deliberately differs
(a directory or missing file downloads as a JSON 404, traversal is always a 400), the test says so
and relaxes to MLflow's answer when ``CAIRN_COMPAT_TARGET=mlflow``.
"""

from __future__ import annotations

import hashlib
import http.client
import os
import posixpath
import urllib.parse

import mlflow
import pytest
import yaml
from mlflow.store.artifact.artifact_repository_registry import get_artifact_repository

pytestmark = pytest.mark.usefixtures("no_active_run")

PROXY = "/api/2.0/mlflow-artifacts/artifacts"
UNICODE_NAME = "ünïcødé 文件.txt"
TREE = {
    "a.txt": b"alpha\n",
    "empty.bin": b"",
    "nested/b.csv": b"x,y\n1,2\n",
    "nested/deeper/c.json": b'{"k": 1}',
    f"nested/deeper/{UNICODE_NAME}": "ünïcødé ✓\n".encode(),
}


@pytest.fixture
def exp_id(client, unique_name) -> str:
    return client.create_experiment(unique_name("artifacts"))


@pytest.fixture
def run(client, exp_id):
    run = client.create_run(exp_id)
    yield run
    client.set_terminated(run.info.run_id)


def _write_tree(root, files: dict[str, bytes]):
    for rel, data in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return root


def _read_tree(root) -> dict[str, bytes]:
    out = {}
    for dirpath, _, names in os.walk(root):
        for name in names:
            full = os.path.join(dirpath, name)
            out[os.path.relpath(full, root).replace(os.sep, "/")] = open(full, "rb").read()
    return out


def _list_recursive(client, run_id, path=None) -> dict[str, int | None]:
    files = {}
    for info in client.list_artifacts(run_id, path):
        if info.is_dir:
            assert info.file_size is None
            files.update(_list_recursive(client, run_id, info.path))
        else:
            files[info.path] = info.file_size
    return files


def _dst(tmp_path, name: str) -> str:
    """A fresh download directory (the 2.x client insists that it exists)."""
    path = tmp_path / name
    path.mkdir(parents=True, exist_ok=True)
    return str(path)


def _run_key(run) -> str:
    """The object key of a run's artifact root: what follows mlflow-artifacts:/ in its URI."""
    uri = run.info.artifact_uri
    assert uri.startswith("mlflow-artifacts:/"), uri
    return urllib.parse.urlparse(uri).path.lstrip("/")


# --------------------------------------------------------------------------- the client


def test_log_artifact_then_list_and_download(client, run, tmp_path):
    run_id = run.info.run_id
    src = tmp_path / "hello.txt"
    src.write_bytes(b"hello world\n")
    client.log_artifact(run_id, str(src))
    client.log_artifact(run_id, str(src), "sub/dir")

    root = client.list_artifacts(run_id)
    assert [(f.path, f.is_dir, f.file_size) for f in root] == [("hello.txt", False, 12), ("sub", True, None)]
    assert [(f.path, f.is_dir) for f in client.list_artifacts(run_id, "sub")] == [("sub/dir", True)]
    assert [f.path for f in client.list_artifacts(run_id, "sub/dir")] == ["sub/dir/hello.txt"]
    # listing a file (not a directory) is empty, as MLflow's client defines it
    assert client.list_artifacts(run_id, "hello.txt") == []
    assert client.list_artifacts(run_id, "no/such/dir") == []

    local = client.download_artifacts(run_id, "sub/dir/hello.txt", _dst(tmp_path, "dl"))
    assert open(local, "rb").read() == b"hello world\n"


def test_log_artifacts_tree_with_unicode_and_empty_files_round_trips(client, run, tmp_path, target):
    run_id = run.info.run_id
    _write_tree(tmp_path / "src", TREE)
    client.log_artifacts(run_id, str(tmp_path / "src"), "tree")

    listed = _list_recursive(client, run_id)
    # MLflow leaves file_size out for an empty file (the client reads None); Cairn says 0.
    empty_size = 0 if target == "cairn" else None
    assert listed == {f"tree/{k}": len(v) if v else empty_size for k, v in TREE.items()}

    dst = mlflow.artifacts.download_artifacts(run_id=run_id, artifact_path="tree", dst_path=_dst(tmp_path, "dl"))
    assert _read_tree(dst) == TREE
    # a single file by URI, both as runs:/ and as the run's own mlflow-artifacts:/ URI
    one = mlflow.artifacts.download_artifacts(f"runs:/{run_id}/tree/nested/deeper/{UNICODE_NAME}", dst_path=_dst(tmp_path, "one"))
    assert open(one, "rb").read() == TREE[f"nested/deeper/{UNICODE_NAME}"]
    two = mlflow.artifacts.download_artifacts(f"{run.info.artifact_uri}/tree/empty.bin", dst_path=_dst(tmp_path, "two"))
    assert open(two, "rb").read() == b""


def test_log_text_dict_and_figure(exp_id, tmp_path):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    params = {"alpha": 0.5, "layers": [1, 2, 3], "name": "ünï"}
    with mlflow.start_run(experiment_id=exp_id) as active:
        mlflow.log_text("hello ✓\nsecond line\n", "notes/hello.txt")
        mlflow.log_dict(params, "conf/params.json")
        mlflow.log_dict(params, "conf/params.yaml")
        fig, ax = plt.subplots(figsize=(2, 2))
        ax.plot([0, 1, 2], [2, 1, 3])
        mlflow.log_figure(fig, "plots/curve.png")
        plt.close(fig)
    run_id = active.info.run_id

    assert mlflow.artifacts.load_text(f"runs:/{run_id}/notes/hello.txt") == "hello ✓\nsecond line\n"
    assert mlflow.artifacts.load_dict(f"runs:/{run_id}/conf/params.json") == params
    assert yaml.safe_load(mlflow.artifacts.load_text(f"runs:/{run_id}/conf/params.yaml")) == params
    png = mlflow.artifacts.download_artifacts(f"runs:/{run_id}/plots/curve.png", dst_path=str(tmp_path))
    assert open(png, "rb").read(8) == b"\x89PNG\r\n\x1a\n"


def test_delete_artifacts_through_the_proxy(client, run, tmp_path):
    run_id = run.info.run_id
    _write_tree(tmp_path / "src", {"keep.txt": b"k", "gone/x.txt": b"x", "gone/y/z.txt": b"z"})
    client.log_artifacts(run_id, str(tmp_path / "src"))
    repo = get_artifact_repository(run.info.artifact_uri)
    repo.delete_artifacts("gone")
    assert _list_recursive(client, run_id) == {"keep.txt": 1}


def test_multipart_upload_or_the_clients_fallback(client, run, tmp_path, monkeypatch):
    """With multipart enabled, an S3-backed server hands out part URLs; a disk-backed one answers
    MLflow's "not supported" message and the client falls back to one PUT. Either way the bytes
    arrive whole."""
    monkeypatch.setenv("MLFLOW_ENABLE_PROXY_MULTIPART_UPLOAD", "true")
    monkeypatch.setenv("MLFLOW_MULTIPART_UPLOAD_MINIMUM_FILE_SIZE", "1")
    monkeypatch.setenv("MLFLOW_MULTIPART_UPLOAD_CHUNK_SIZE", str(5 * 1024 * 1024))
    data = os.urandom(11 * 1024 * 1024 + 123)
    big = tmp_path / "big.bin"
    big.write_bytes(data)
    client.log_artifact(run.info.run_id, str(big), "parts")
    assert _list_recursive(client, run.info.run_id) == {"parts/big.bin": len(data)}
    local = client.download_artifacts(run.info.run_id, "parts/big.bin", _dst(tmp_path, "dl"))
    assert hashlib.sha256(open(local, "rb").read()).digest() == hashlib.sha256(data).digest()


def test_sklearn_log_model_then_load_and_predict(exp_id, mlflow_major):
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    X = np.array([[0.0], [1.0], [2.0], [3.0], [4.0], [5.0]])
    y = np.array([0, 0, 0, 1, 1, 1])
    model = LogisticRegression().fit(X, y)
    with mlflow.start_run(experiment_id=exp_id) as active:
        if mlflow_major >= 3:
            info = mlflow.sklearn.log_model(model, name="model")
        else:
            info = mlflow.sklearn.log_model(model, artifact_path="model")
    loaded = mlflow.pyfunc.load_model(f"runs:/{active.info.run_id}/model")
    assert list(loaded.predict(X)) == list(model.predict(X))
    again = mlflow.pyfunc.load_model(info.model_uri)
    assert list(again.predict(X)) == list(model.predict(X))


# --------------------------------------------------------------------------- raw HTTP


def test_proxy_put_get_range_headers_list_and_delete(raw, run, target):
    base = f"{PROXY}/{_run_key(run)}/raw"
    put = raw.request("PUT", f"{base}/hello.txt", data=b"hello world", headers={"Content-Type": "text/plain"})
    assert put.status_code == 200, put.text
    # MLflow answers an empty body here; Cairn answers {} as for every other proto call
    assert put.text == "{}" if target == "cairn" else put.text in ("", "{}")

    got = raw.request("GET", f"{base}/hello.txt")
    assert got.status_code == 200
    assert got.content == b"hello world"
    assert got.headers["Content-Disposition"] == "attachment; filename=hello.txt"
    assert got.headers["X-Content-Type-Options"] == "nosniff"
    assert got.headers["Content-Type"].split(";")[0] == "text/plain"

    part = raw.request("GET", f"{base}/hello.txt", headers={"Range": "bytes=6-"})
    assert part.status_code == 206
    assert part.content == b"world"
    assert part.headers["Content-Range"] == "bytes 6-10/11"

    # an HTML artifact is never served as a page (CVE-2023-6568)
    raw.request("PUT", f"{base}/page.html", data=b"<script>alert(1)</script>")
    html = raw.request("GET", f"{base}/page.html")
    assert html.headers["X-Content-Type-Options"] == "nosniff"
    assert html.headers["Content-Disposition"].startswith("attachment")
    if target == "cairn":
        assert html.headers["Content-Type"].split(";")[0] == "text/plain"

    listing = raw.get(PROXY, params={"path": f"{_run_key(run)}/raw"}).json()
    assert list(listing) == ["files"]
    assert sorted(listing["files"], key=lambda f: f["path"]) == [
        {"path": "hello.txt", "is_dir": False, "file_size": 11},
        {"path": "page.html", "is_dir": False, "file_size": 25},
    ]
    assert raw.get(PROXY, params={"path": f"{_run_key(run)}/nothing-here"}).json() == {}
    top = raw.get(PROXY, params={"path": _run_key(run)}).json()
    assert top == {"files": [{"path": "raw", "is_dir": True}]}

    deleted = raw.request("DELETE", f"{base}/hello.txt")
    assert deleted.status_code == 200 and deleted.json() == {}
    assert raw.request("GET", f"{base}/hello.txt").status_code == 404


def test_download_of_a_missing_file_or_a_directory(raw, run, target, expect_error):
    base = f"{PROXY}/{_run_key(run)}"
    raw.request("PUT", f"{base}/dir/file.txt", data=b"x")
    missing = raw.request("GET", f"{base}/no-such-file.txt")
    directory = raw.request("GET", f"{base}/dir")
    if target == "cairn":
        expect_error(missing, 404, "RESOURCE_DOES_NOT_EXIST")
        expect_error(directory, 404, "RESOURCE_DOES_NOT_EXIST")
    else:  # MLflow: Flask's 404 page for a missing file, a 400 for a directory
        assert missing.status_code == 404
        assert directory.status_code == 400


def test_tracking_list_artifacts_and_get_artifact(raw, client, run, expect_error):
    run_id = run.info.run_id
    base = f"{PROXY}/{_run_key(run)}"
    raw.request("PUT", f"{base}/model/MLmodel", data=b"flavors: {}\n")
    raw.request("PUT", f"{base}/model/data/weights.bin", data=b"\x00\x01")
    raw.request("PUT", f"{base}/top.txt", data=b"top")

    top = raw.ok_get("artifacts/list", {"run_id": run_id})
    assert top["root_uri"] == run.info.artifact_uri
    assert sorted((f["path"], f["is_dir"]) for f in top["files"]) == [("model", True), ("top.txt", False)]
    sub = raw.ok_get("artifacts/list", {"run_id": run_id, "path": "model"})
    assert sorted((f["path"], f.get("file_size")) for f in sub["files"]) == [("model/MLmodel", 12), ("model/data", None)]
    assert raw.ok_get("artifacts/list", {"run_uuid": run_id, "path": "model/data"})["files"] == [
        {"path": "model/data/weights.bin", "is_dir": False, "file_size": 2}
    ]
    assert "files" not in raw.ok_get("artifacts/list", {"run_id": run_id, "path": "nothing"})
    expect_error(raw.get("artifacts/list", {"run_id": run_id, "path": "../x"}), 400, "INVALID_PARAMETER_VALUE", "Invalid path")

    got = raw.get("/get-artifact", {"run_uuid": run_id, "path": "model/MLmodel"})
    assert got.status_code == 200 and got.content == b"flavors: {}\n"
    assert got.headers["Content-Disposition"] == "attachment; filename=MLmodel"
    assert got.headers["Content-Type"].split(";")[0] == "text/plain"
    assert got.headers["X-Content-Type-Options"] == "nosniff"
    assert raw.get("/get-artifact", {"run_id": run_id, "path": "top.txt"}).content == b"top"
    expect_error(raw.get("/get-artifact", {"run_id": run_id, "path": "../../etc/passwd"}), 400, "INVALID_PARAMETER_VALUE", "Invalid path")


def test_multipart_create_on_a_store_without_multipart(raw, run, base_url):
    """A disk store answers MLflow's exact message (clients fall back to a PUT); an S3 store
    creates the upload, which is then aborted."""
    url = f"/api/2.0/mlflow-artifacts/mpu/create/{_run_key(run)}/mp"
    resp = raw.post(url, {"path": "/local/dir/file.bin", "num_parts": 2})
    if resp.status_code == 200:
        created = resp.json()
        assert created["upload_id"]
        assert [c["part_number"] for c in created["credentials"]] == [1, 2]
        abort = f"/api/2.0/mlflow-artifacts/mpu/abort/{_run_key(run)}/mp"
        assert raw.post(abort, {"path": "/local/dir/file.bin", "upload_id": created["upload_id"]}).status_code == 200
    else:
        assert resp.status_code == 501, resp.text
        assert resp.json()["error_code"] == "NOT_IMPLEMENTED"
        assert resp.json()["message"].startswith("Multipart upload is not supported for the current artifact repository")


# Traversal shapes from MLflow's CVE history, sent byte for byte (http.client: requests and
# urllib3 would collapse '..' segments before sending). Nothing may be read or written.
TRAVERSALS = [
    "../../../../etc/passwd",  # CVE-2023-1177 / -2356
    "%2e%2e/%2e%2e/%2e%2e/etc/passwd",  # CVE-2023-30172 / -6730
    "%252e%252e/%252e%252e/etc/passwd",  # CVE-2024-1560 (double decoding)
    "..%5c..%5c..%5cetc%5cpasswd",  # CVE-2023-2780 / -6909 (backslashes)
    "%2fetc%2fpasswd",  # CVE-2023-1176 (absolute)
    "/etc/passwd",  # CVE-2023-1176 (absolute, '//' after the route)
    "x%23/../../etc/passwd",  # CVE-2024-1483 (fragment)
    "x;/../../etc/passwd",  # CVE-2024-1593 (path parameter)
]


def _raw_request(base_url, method, target, body=None):
    parsed = urllib.parse.urlparse(base_url)
    conn = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=30)
    try:
        headers = {"Content-Length": str(len(body))} if body is not None else {}
        conn.request(method, target, body=body, headers=headers)
        resp = conn.getresponse()
        return resp.status, resp.read()
    finally:
        conn.close()


@pytest.mark.parametrize("shape", TRAVERSALS)
def test_path_traversal_shapes_are_refused(base_url, target, shape):
    for method, body in (("GET", None), ("PUT", b"pwned"), ("DELETE", None)):
        status, body_read = _raw_request(base_url, method, f"{PROXY}/{shape}", body)
        assert b"root:" not in body_read
        # MLflow on POSIX stores '..\\x' as one harmless file name, and redirects '//' with a 308;
        # Cairn refuses every one of these shapes outright.
        if target == "cairn":
            assert status == 400, (method, shape, status, body_read[:200])
            assert b"Invalid path" in body_read
    listing_target = f"{PROXY}?path={urllib.parse.quote(shape, safe='')}"
    status, body_read = _raw_request(base_url, "GET", listing_target)
    assert b"root:" not in body_read
    if target == "cairn":
        assert status == 400 and b"Invalid path" in body_read, (shape, status, body_read[:200])


def test_artifact_location_on_the_servers_file_system_is_refused(raw, unique_name, target, expect_error):
    """CVE-2024-3573 / -1483: an experiment must not point the server at its own disk."""
    if target == "mlflow":
        pytest.skip("MLflow accepts file:// artifact locations (the server never reads them in proxied mode)")
    for location in ("file:///etc", "/etc", "file:///tmp#frag", "mlflow-artifacts:/../../etc"):
        resp = raw.post("experiments/create", {"name": unique_name("evil"), "artifact_location": location})
        expect_error(resp, 400, "INVALID_PARAMETER_VALUE")


def test_posix_names_are_kept(client, run, tmp_path):
    """Names with spaces, '%', '+' and '=' survive the URL round trip unchanged."""
    names = ["a b.txt", "100%.txt", "x+y=z.txt"]
    for name in names:
        (tmp_path / name).write_bytes(name.encode())
        client.log_artifact(run.info.run_id, str(tmp_path / name), "odd")
    assert sorted(posixpath.basename(f.path) for f in client.list_artifacts(run.info.run_id, "odd")) == sorted(names)
    for name in names:
        local = client.download_artifacts(run.info.run_id, f"odd/{name}", _dst(tmp_path, "dl"))
        assert open(local, "rb").read() == name.encode()
