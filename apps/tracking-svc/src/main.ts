import 'reflect-metadata';
import { configOrExit, readServiceConfig } from '@cairn/config';
import { runService } from '@cairn/nest-common';
import { TrackingServiceModule } from './tracking-svc.module';

const config = configOrExit(() => readServiceConfig());
void runService('tracking-svc', TrackingServiceModule.register(config), config);
