import type { Provider } from '@nestjs/common';
import { ArtifactDataPlane, ARTIFACTS_URL } from './artifact-data-plane';
import { ArtifactProxyController } from './artifact-proxy.controller';
import { ArtifactRoots } from './artifact-roots';
import { ArtifactTransfer } from './artifact-transfer';
import { LoggedModelArtifactsController } from './logged-model-artifacts.controller';
import { ModelVersionArtifactsController } from './model-version-artifacts.controller';
import { RunArtifactsController } from './run-artifacts.controller';

/** The artifact routes: MLflow's proxy, run, logged-model and model-version artifacts. */
export const ARTIFACT_CONTROLLERS = [
  ArtifactProxyController,
  RunArtifactsController,
  LoggedModelArtifactsController,
  ModelVersionArtifactsController,
];

/** `artifactsUrl`: artifact-svc's internal data plane, where bytes are streamed. */
export function artifactProviders(artifactsUrl: string): Provider[] {
  return [{ provide: ARTIFACTS_URL, useValue: artifactsUrl }, ArtifactDataPlane, ArtifactTransfer, ArtifactRoots];
}
