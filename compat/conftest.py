"""Shared fixtures for the Cairn <-> official-mlflow-client compatibility suite.

The suite runs the *official, unmodified* ``mlflow`` Python client (and raw HTTP via
``requests``) against a running tracking server.

Environment:
  CAIRN_COMPAT_URL     tracking server URL (default http://127.0.0.1:5000)
  CAIRN_COMPAT_TARGET  "cairn" (default) or "mlflow". With "mlflow" the few assertions
                       where Cairn deliberately does *better* than MLflow (e.g. a JSON
                       404 body for unknown routes instead of Flask's HTML page) are
                       relaxed to what real MLflow does, so the suite can be validated
                       against a real MLflow server. Every other assertion is identical.

The server keeps its data across tests and runs, so every test makes its own uniquely
named experiments (see ``unique_name``) and never relies on global counts.
"""

from __future__ import annotations

import os
import uuid

# Must be set before mlflow is imported anywhere: mlflow reads these lazily, but being
# early costs nothing and keeps the client from retrying 5xx answers for minutes.
BASE_URL = os.environ.get("CAIRN_COMPAT_URL", "http://127.0.0.1:5000").rstrip("/")
os.environ["MLFLOW_TRACKING_URI"] = BASE_URL
os.environ.setdefault("MLFLOW_HTTP_REQUEST_MAX_RETRIES", "0")
os.environ.setdefault("MLFLOW_HTTP_REQUEST_TIMEOUT", "30")
# No telemetry / usage pings from the client during tests.
os.environ.setdefault("MLFLOW_DISABLE_TELEMETRY", "true")
os.environ.setdefault("DO_NOT_TRACK", "true")

import pytest  # noqa: E402
import requests  # noqa: E402

TARGET = os.environ.get("CAIRN_COMPAT_TARGET", "cairn").strip().lower()
if TARGET not in ("cairn", "mlflow"):
    raise RuntimeError(f"CAIRN_COMPAT_TARGET must be 'cairn' or 'mlflow', got {TARGET!r}")

# One token per pytest session, so everything a run creates can be recognised.
RUN_TOKEN = uuid.uuid4().hex[:8]


def pytest_report_header(config):
    return f"cairn compat: url={BASE_URL} target={TARGET} run={RUN_TOKEN}"


@pytest.fixture(scope="session", autouse=True)
def _server_reachable():
    try:
        resp = requests.get(f"{BASE_URL}/health", timeout=10)
    except requests.RequestException as e:  # pragma: no cover - environment problem
        pytest.exit(f"tracking server not reachable at {BASE_URL}: {e}", returncode=3)
    if resp.status_code != 200:  # pragma: no cover
        pytest.exit(
            f"tracking server at {BASE_URL} /health answered {resp.status_code}", returncode=3
        )
    import mlflow

    mlflow.set_tracking_uri(BASE_URL)
    yield


@pytest.fixture(scope="session")
def base_url() -> str:
    return BASE_URL


@pytest.fixture(scope="session")
def target() -> str:
    """'cairn' or 'mlflow' (see module docstring)."""
    return TARGET


@pytest.fixture(scope="session")
def mlflow_major() -> int:
    import mlflow

    return int(mlflow.__version__.split(".")[0])


@pytest.fixture
def client():
    from mlflow.tracking import MlflowClient

    return MlflowClient(tracking_uri=BASE_URL)


@pytest.fixture
def unique_name():
    """unique_name(label="exp") -> 'cairn-compat-<run>-<label>-<8 hex>'.

    Only [a-z0-9-] characters, so the result can be used as a LIKE prefix safely
    (no '_' or '%' wildcards).
    """

    def make(label: str = "exp") -> str:
        return f"cairn-compat-{RUN_TOKEN}-{label}-{uuid.uuid4().hex[:8]}"

    return make


class Raw:
    """Direct HTTP against the server, bypassing the mlflow client.

    ``path`` arguments are relative to the MLflow REST root, e.g. ``"experiments/get"``;
    ``prefix`` selects ``/api/2.0/mlflow`` (default) or e.g. ``/ajax-api/2.0/mlflow``.
    Absolute paths (starting with ``/``) are used as they are.
    """

    API = "/api/2.0/mlflow"
    AJAX = "/ajax-api/2.0/mlflow"

    def __init__(self, base_url: str):
        self.base_url = base_url
        self.session = requests.Session()

    def url(self, path: str, prefix: str | None = None) -> str:
        if path.startswith("/"):
            return self.base_url + path
        return f"{self.base_url}{prefix or self.API}/{path}"

    def get(self, path, params=None, prefix=None, **kw) -> requests.Response:
        return self.session.get(self.url(path, prefix), params=params, timeout=30, **kw)

    def post(self, path, json=None, prefix=None, **kw) -> requests.Response:
        return self.session.post(self.url(path, prefix), json=json, timeout=30, **kw)

    def request(self, method, path, prefix=None, **kw) -> requests.Response:
        kw.setdefault("timeout", 30)
        return self.session.request(method, self.url(path, prefix), **kw)

    # Convenience wrappers that insist on success and return the JSON body.
    def ok_get(self, path, params=None, prefix=None) -> dict:
        resp = self.get(path, params=params, prefix=prefix)
        assert resp.status_code == 200, f"GET {path} -> {resp.status_code}: {resp.text[:500]}"
        return resp.json()

    def ok_post(self, path, json=None, prefix=None) -> dict:
        resp = self.post(path, json=json, prefix=prefix)
        assert resp.status_code == 200, f"POST {path} -> {resp.status_code}: {resp.text[:500]}"
        return resp.json()

    def create_experiment(self, name: str, **fields) -> str:
        return self.ok_post("experiments/create", {"name": name, **fields})["experiment_id"]


@pytest.fixture
def raw(base_url) -> Raw:
    r = Raw(base_url)
    yield r
    r.session.close()


def assert_error(resp: requests.Response, status: int | None, error_code: str, message=None):
    """Assert that ``resp`` is an MLflow error envelope.

    ``{"error_code": <str>, "message": <str>, ...}`` with a JSON content type; extra keys
    (MLflow 3.x adds ``sqlstate``/``error_class``) are allowed. ``message`` may be a str
    (must be a prefix of the message) or a callable predicate.
    """
    ctx = f"{resp.request.method} {resp.request.url} -> {resp.status_code}: {resp.text[:500]}"
    if status is not None:
        assert resp.status_code == status, ctx
    assert resp.headers.get("Content-Type", "").split(";")[0].strip() == "application/json", ctx
    body = resp.json()
    assert isinstance(body, dict), ctx
    assert isinstance(body.get("error_code"), str), ctx
    assert isinstance(body.get("message"), str), ctx
    assert body["error_code"] == error_code, ctx
    if isinstance(message, str):
        assert body["message"].startswith(message), ctx
    elif callable(message):
        assert message(body["message"]), ctx
    return body


@pytest.fixture(scope="session")
def expect_error():
    """expect_error(resp, status, error_code, message=None) -> body; see ``assert_error``."""
    return assert_error


# --------------------------------------------------------------------------- runs slice
# Additive helpers for test_runs / test_metrics / test_search_runs / test_logged_models.


def pytest_configure(config):
    config.addinivalue_line(
        "markers",
        "slow: long-running scale test (e.g. paging through 10,000 runs); runs by default, "
        "deselect with -m 'not slow', select alone with -m slow",
    )


@pytest.fixture
def experiment_id(client, unique_name) -> str:
    """A fresh, empty, active experiment (created through the official client)."""
    return client.create_experiment(unique_name("runs"))


@pytest.fixture
def no_active_run():
    """Make sure no fluent run leaks into (or out of) a test that uses mlflow.start_run."""
    import mlflow

    while mlflow.active_run() is not None:
        mlflow.end_run()
    yield
    while mlflow.active_run() is not None:
        mlflow.end_run()
