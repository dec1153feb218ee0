import type { DynamicModule } from '@nestjs/common';
import { Module } from '@nestjs/common';
import type { DatabaseConfig, RunnerSettings } from '@cairn/config';
import { DatabaseModule, healthController } from '@cairn/nest-common';
import type { ProjectBackend } from './backends/backend';
import { KubernetesBackend } from './backends/kubernetes/kubernetes.backend';
import { LocalBackend } from './backends/local/local.backend';
import { runnerSchema } from './migrations';
import { PROJECT_BACKENDS, RUNNER_SETTINGS } from './runner.tokens';
import { ProjectRunsController } from './runs/project-runs.controller';
import { ProjectRunsRepository } from './runs/project-runs.repository';
import { ProjectRunsService } from './runs/project-runs.service';

/** The backends a runner offers: local processes always; Kubernetes Jobs when a cluster is reachable. */
export function createBackends(settings: RunnerSettings): Map<string, ProjectBackend> {
  // The Kubernetes client connects on first use, so a runner without a cluster still starts.
  return new Map<string, ProjectBackend>([
    ['local', new LocalBackend()],
    ['kubernetes', new KubernetesBackend({ kubeconfigPath: settings.kubeconfigPath })],
  ]);
}

/** MLproject runs: submissions, their runs on a backend, status, logs, cancellation. */
@Module({})
export class ProjectRunnerModule {
  static register(config: DatabaseConfig, settings: RunnerSettings): DynamicModule {
    return {
      module: ProjectRunnerModule,
      imports: [DatabaseModule.forSchema(runnerSchema, config)],
      controllers: [healthController('runner'), ProjectRunsController],
      providers: [
        { provide: RUNNER_SETTINGS, useValue: settings },
        { provide: PROJECT_BACKENDS, useFactory: () => createBackends(settings) },
        ProjectRunsRepository,
        ProjectRunsService,
      ],
    };
  }
}
