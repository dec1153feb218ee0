import 'reflect-metadata';
import { configOrExit, readServiceConfig } from '@cairn/config';
import { runService } from '@cairn/nest-common';
import { ProjectRunnerModule } from './project-runner.module';

const config = configOrExit(() => readServiceConfig());
void runService('project-runner', ProjectRunnerModule.register(config), config);
