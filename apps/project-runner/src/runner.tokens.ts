/** Injection tokens of the project runner. */
export const RUNNER_SETTINGS = Symbol('RUNNER_SETTINGS');
export const PROJECT_BACKENDS = Symbol('PROJECT_BACKENDS');
