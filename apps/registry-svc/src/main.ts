import 'reflect-metadata';
import { configOrExit, readServiceConfig } from '@cairn/config';
import { runService } from '@cairn/nest-common';
import { RegistryServiceModule } from './registry-svc.module';

const config = configOrExit(() => readServiceConfig());
void runService('registry-svc', RegistryServiceModule.register(config), config);
