/** Every service answers its `<svc>.health.ping.v1` pattern after checking its own dependencies. */
export interface PingResponse {
  service: string;
  database: 'ok';
}

export const ServiceNames = ['tracking', 'registry', 'artifacts', 'runner'] as const;
export type ServiceName = (typeof ServiceNames)[number];

export const HealthPatterns: Record<ServiceName, string> = {
  tracking: 'tracking.health.ping.v1',
  registry: 'registry.health.ping.v1',
  artifacts: 'artifacts.health.ping.v1',
  runner: 'runner.health.ping.v1',
};

/** Header that carries the request id from the gateway to the services. */
export const REQUEST_ID_HEADER = 'x-request-id';

/** The MLflow server version Cairn reports at /version: clients gate features on it. */
export const MLFLOW_API_LEVEL = '3.6.0';
