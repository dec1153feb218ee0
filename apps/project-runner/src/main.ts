import 'reflect-metadata';
import { configOrExit, readRunnerSettings, readServiceConfig } from '@cairn/config';
import { runService } from '@cairn/nest-common';
import { ProjectRunnerModule } from './project-runner.module';

const config = configOrExit(() => readServiceConfig());
// A shared runner accepts only git URIs unless the operator allows local projects.
const settings = configOrExit(() => readRunnerSettings({ stateDir: '/var/lib/cairn-runner', allowLocalProjects: false }));
void runService('project-runner', ProjectRunnerModule.register(config, settings), config);
