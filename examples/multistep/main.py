"""The workflow: run load_data, then train on what it logged — each step its own MLflow run,
nested under this one — as MLflow's multistep example does, through mlflow.projects.run."""
import argparse

import mlflow
from mlflow.tracking import MlflowClient

parser = argparse.ArgumentParser()
parser.add_argument("--rows", type=int, required=True)
parser.add_argument("--alpha", type=float, required=True)
args = parser.parse_args()

with mlflow.start_run() as parent:
    client = MlflowClient()
    experiment_id = parent.info.experiment_id
    load = mlflow.projects.run(".", "load_data", parameters={"rows": args.rows}, env_manager="local", experiment_id=experiment_id)
    client.set_tag(load.run_id, "mlflow.parentRunId", parent.info.run_id)
    data_uri = f"runs:/{load.run_id}/data/wine.csv"
    train = mlflow.projects.run(".", "train", parameters={"data_uri": data_uri, "alpha": args.alpha}, env_manager="local", experiment_id=experiment_id)
    client.set_tag(train.run_id, "mlflow.parentRunId", parent.info.run_id)
    mlflow.set_tag("steps", f"{load.run_id},{train.run_id}")
    mlflow.log_metric("rmse", client.get_run(train.run_id).data.metrics["rmse"])
    print(f"workflow done: load_data={load.run_id} train={train.run_id}")
