import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { z } from 'zod';
import { ENV_MANAGERS, PROJECT_RUN_BACKENDS, RunnerPatterns } from '@cairn/contracts';
import { defineRequest, field } from '@cairn/mlflow-wire';
import { MlflowForwarder } from '../../mlflow/mlflow-forwarder';

const MAX_VALUE = 6000; // MLflow's param value limit
const name = z.string().min(1).max(250);
const value = z.string().max(MAX_VALUE);

const kubernetesConfig = z
  .object({
    image: z.string().min(1).max(1000).optional(),
    namespace: z.string().regex(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, 'a DNS-1123 label').optional(),
    serviceAccountName: z.string().min(1).max(253).optional(),
    resources: z
      .object({ requests: z.record(z.string(), z.string()).optional(), limits: z.record(z.string(), z.string()).optional() })
      .strict()
      .optional(),
    nodeSelector: z.record(z.string(), z.string()).optional(),
    tolerations: z.array(z.record(z.string(), z.unknown())).max(50).optional(),
    ttlSecondsAfterFinished: z.number().int().min(0).optional(),
    backoffLimit: z.number().int().min(0).max(100).optional(),
    activeDeadlineSeconds: z.number().int().positive().optional(),
    imagePullPolicy: z.enum(['Always', 'IfNotPresent', 'Never']).optional(),
    jobTemplate: z.string().max(256 * 1024).optional(),
    trackingUri: z.url({ protocol: /^https?$/ }).optional(),
    projectDir: z.string().startsWith('/').max(1000).optional(),
    gitImage: z.string().min(1).max(1000).optional(),
    imagePullGraceSeconds: z.number().int().min(0).max(3600).optional(),
    kubeContext: z.string().min(1).max(253).optional(),
  })
  .strict();

const SubmitProjectRun = defineRequest(
  {
    uri: z.string().min(1).max(2048),
    version: z.string().min(1).max(256).optional(),
    entry_point: name.optional(),
    parameters: z
      .record(name, value)
      .refine((p) => Object.keys(p).length <= 100, 'at most 100 parameters')
      .optional(),
    experiment_id: field.id().optional(),
    experiment_name: z.string().min(1).max(500).optional(),
    run_name: z.string().min(1).max(250).optional(),
    backend: z.enum(PROJECT_RUN_BACKENDS).optional(),
    backend_config: kubernetesConfig.optional(),
    env_manager: z.enum(ENV_MANAGERS).optional(),
    sweep: z
      .record(name, z.array(value).min(1).max(1000))
      .refine((s) => Object.keys(s).length <= 10, 'at most 10 swept parameters')
      .optional(),
    max_parallel: z.number().int().min(1).max(32).optional(),
    user: z.string().min(1).max(250).optional(),
  },
  ['uri'],
);

/** A submission clones the project and creates its runs (a whole sweep) before it answers. */
const SUBMIT_TIMEOUT_MS = 300_000;

const RunId = defineRequest({ run_id: z.string() }, ['run_id']);
const Logs = defineRequest({ run_id: z.string(), offset: field.int64().optional() }, ['run_id']);
const List = defineRequest({ max_results: field.int64().optional(), page_token: z.string().optional() });

/**
 * Cairn's own API for MLproject runs (beyond MLflow, whose projects run only client-side): submit,
 * follow, read the output of, and cancel runs on the runner's local or Kubernetes backend.
 */
@Controller('api/cairn/v1/project-runs')
export class ProjectRunsController {
  constructor(private readonly mlflow: MlflowForwarder) {}

  @Post()
  @HttpCode(200)
  submit(@Body() body: unknown) {
    return this.mlflow.forward(RunnerPatterns.submit, SubmitProjectRun, body, { timeoutMs: SUBMIT_TIMEOUT_MS });
  }

  @Get()
  list(@Query() query: unknown) {
    return this.mlflow.forwardQuery(RunnerPatterns.list, List, query);
  }

  @Get(':id')
  get(@Param('id') id: string) {
    return this.mlflow.forward(RunnerPatterns.get, RunId, { run_id: id });
  }

  @Get(':id/logs')
  logs(@Param('id') id: string, @Query() query: unknown) {
    const message = query !== null && typeof query === 'object' ? query : {};
    return this.mlflow.forwardQuery(RunnerPatterns.logs, Logs, { ...message, run_id: id });
  }

  @Post(':id/cancel')
  @HttpCode(200)
  cancel(@Param('id') id: string) {
    return this.mlflow.forward(RunnerPatterns.cancel, RunId, { run_id: id });
  }
}
