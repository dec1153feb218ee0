import 'reflect-metadata';
import { configOrExit, readArtifactServiceSettings, readServiceConfig } from '@cairn/config';
import { runService } from '@cairn/nest-common';
import { ArtifactServiceModule } from './artifact-svc.module';

const config = configOrExit(() => readServiceConfig());
const artifacts = configOrExit(() => readArtifactServiceSettings());
void runService('artifact-svc', ArtifactServiceModule.register(config, artifacts), config);
