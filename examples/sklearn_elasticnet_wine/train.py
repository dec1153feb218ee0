"""Trains an ElasticNet on a wine-quality-like dataset and logs params, metrics, the dataset and
the model to the tracking server the runner names in MLFLOW_TRACKING_URI / MLFLOW_RUN_ID."""
import argparse
import sys

import mlflow
import mlflow.sklearn
import numpy as np
import pandas as pd
from sklearn.linear_model import ElasticNet
from sklearn.metrics import mean_absolute_error, mean_squared_error, r2_score
from sklearn.model_selection import train_test_split


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--alpha", type=float, required=True)
    parser.add_argument("--l1-ratio", type=float, required=True)
    parser.add_argument("--data", required=True)
    args = parser.parse_args()
    if args.alpha < 0:
        print(f"alpha must be >= 0, got {args.alpha}", file=sys.stderr)
        return 3

    data = pd.read_csv(args.data)
    train, test = train_test_split(data, test_size=0.25, random_state=42)
    x_train, y_train = train.drop(columns=["quality"]), train["quality"]
    x_test, y_test = test.drop(columns=["quality"]), test["quality"]

    with mlflow.start_run():
        mlflow.log_input(mlflow.data.from_pandas(data, source=args.data, name="wine-quality"), context="training")
        model = ElasticNet(alpha=args.alpha, l1_ratio=args.l1_ratio, random_state=42)
        model.fit(x_train, y_train)
        predicted = model.predict(x_test)
        rmse = float(np.sqrt(mean_squared_error(y_test, predicted)))
        mae = float(mean_absolute_error(y_test, predicted))
        r2 = float(r2_score(y_test, predicted))
        print(f"ElasticNet(alpha={args.alpha}, l1_ratio={args.l1_ratio}): rmse={rmse:.4f} mae={mae:.4f} r2={r2:.4f}")
        mlflow.log_metrics({"rmse": rmse, "mae": mae, "r2": r2})
        mlflow.sklearn.log_model(model, name="model", input_example=x_train.head(3))
    return 0


if __name__ == "__main__":
    sys.exit(main())
