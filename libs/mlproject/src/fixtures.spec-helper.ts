// MLflow's own example MLproject files (mlflow/mlflow examples/), verbatim.
export const SKLEARN_ELASTICNET_WINE = `name: tutorial

python_env: python_env.yaml

entry_points:
  main:
    parameters:
      alpha: {type: float, default: 0.5}
      l1_ratio: {type: float, default: 0.1}
    command: "python train.py {alpha} {l1_ratio}"
`;

export const SKLEARN_PYTHON_ENV = `python: "3.8"
build_dependencies:
  - pip
dependencies:
  - scikit-learn==1.2.0
  - mlflow>=1.0
  - pandas
`;

export const DOCKER_EXAMPLE = `name: docker-example

docker_env:
  image:  mlflow-docker-example
  namespace: marcusrehm
  registry:

kubernetes_env:
  job_namespace: mlflow

entry_points:
  main:
    parameters:
      alpha: float
      l1_ratio: {type: float, default: 0.1}
    command: "python train.py --alpha {alpha} --l1-ratio {l1_ratio}"
`;

export const MULTISTEP_WORKFLOW = `name: multistep_example

conda_env: conda.yaml

entry_points:
  load_raw_data:
    command: "python load_raw_data.py"

  etl_data:
    parameters:
      ratings_csv: path
      max_row_limit: {type: int, default: 100000}
    command: "python etl_data.py --ratings-csv {ratings_csv} --max-row-limit {max_row_limit}"

  als:
    parameters:
      ratings_data: path
      max_iter: {type: int, default: 10}
      reg_param: {type: float, default: 0.1}
      rank: {type: int, default: 12}
    command: "python als.py --ratings-data {ratings_data} --max-iter {max_iter} --reg-param {reg_param} --rank {rank}"

  train_keras:
    parameters:
      ratings_data: path
      als_model_uri: string
      hidden_units: {type: int, default: 20}
    command: "python train_keras.py --ratings-data {ratings_data} --als-model-uri {als_model_uri} --hidden-units {hidden_units}"

  main:
    parameters:
      als_max_iter: {type: int, default: 10}
      keras_hidden_units: {type: int, default: 20}
      max_row_limit: {type: int, default: 100000}
    command: "python main.py --als-max-iter {als_max_iter} --keras-hidden-units {keras_hidden_units}
                             --max-row-limit {max_row_limit}"

`;

/** A `ProjectDirectory` over a fixed set of project-relative file names. */
export function dirWith(...files: string[]) {
  return { directory: '/proj', exists: (rel: string) => files.includes(rel) };
}
