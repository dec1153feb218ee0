"""Step 1: produce the dataset (a seeded wine-quality-like table) and log it as an artifact."""
import argparse
import os
import tempfile

import mlflow
import numpy as np
import pandas as pd

parser = argparse.ArgumentParser()
parser.add_argument("--rows", type=int, required=True)
args = parser.parse_args()

rng = np.random.default_rng(7)
alcohol = rng.normal(10.4, 1.1, args.rows)
acidity = np.clip(rng.normal(0.53, 0.18, args.rows), 0.12, None)
sulphates = np.clip(rng.normal(0.66, 0.17, args.rows), 0.33, None)
quality = np.clip(np.rint(5.6 + 0.3 * (alcohol - 10.4) - 1.1 * (acidity - 0.53) + 0.9 * (sulphates - 0.66)
                          + rng.normal(0, 0.5, args.rows)), 3, 8)
data = pd.DataFrame({"alcohol": alcohol, "volatile_acidity": acidity, "sulphates": sulphates, "quality": quality})

with mlflow.start_run():
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "wine.csv")
        data.to_csv(path, index=False)
        mlflow.log_artifact(path, artifact_path="data")
    mlflow.log_metric("rows", len(data))
    print(f"logged {len(data)} rows as data/wine.csv")
