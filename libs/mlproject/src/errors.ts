/** MLflow's `ExecutionException`: a project could not be loaded or its command computed. */
export class ExecutionException extends Error {
  override readonly name = 'ExecutionException';
}

/** MLflow's `MlflowException` (used for Databricks-only checks and python_env validation). */
export class MlflowException extends Error {
  override readonly name = 'MlflowException';
}

/** Python's `TypeError`, as raised by MLflow's `_PythonEnv` for ill-typed python_env.yaml fields. */
export class PythonEnvTypeError extends TypeError {
  override readonly name = 'TypeError';
}
