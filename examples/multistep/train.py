"""Step 2: train on the dataset another run logged, given as a runs:/ URI."""
import argparse

import mlflow
import mlflow.sklearn
import numpy as np
import pandas as pd
from sklearn.linear_model import ElasticNet
from sklearn.metrics import mean_squared_error

parser = argparse.ArgumentParser()
parser.add_argument("--data-uri", required=True)
parser.add_argument("--alpha", type=float, required=True)
args = parser.parse_args()

data = pd.read_csv(mlflow.artifacts.download_artifacts(args.data_uri))
x, y = data.drop(columns=["quality"]), data["quality"]
with mlflow.start_run():
    model = ElasticNet(alpha=args.alpha, random_state=42).fit(x, y)
    rmse = float(np.sqrt(mean_squared_error(y, model.predict(x))))
    mlflow.log_metric("rmse", rmse)
    mlflow.sklearn.log_model(model, name="model")
    print(f"trained on {len(data)} rows from {args.data_uri}: rmse={rmse:.4f}")
