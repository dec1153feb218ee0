import { artifactsSchema } from '@cairn/artifact-svc';
import type { SchemaDefinition } from '@cairn/nest-common';
import { runnerSchema } from '@cairn/project-runner';
import { registrySchema } from '@cairn/registry-svc';
import { trackingSchema } from '@cairn/tracking-svc';

/** Every service's schema, in the order `cairn db upgrade` applies them. */
export const allSchemas: readonly SchemaDefinition[] = [trackingSchema, registrySchema, artifactsSchema, runnerSchema];
