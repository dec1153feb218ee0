import 'reflect-metadata';
import { configOrExit, readServiceConfig } from '@cairn/config';
import { runService } from '@cairn/nest-common';
import { ArtifactServiceModule } from './artifact-svc.module';

const config = configOrExit(() => readServiceConfig());
void runService('artifact-svc', ArtifactServiceModule.register(config), config);
