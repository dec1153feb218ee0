import { Injectable } from '@nestjs/common';
import type { LoggedModelResponse, ModelVersionDownloadUriResponse, RunResponse } from '@cairn/contracts';
import { LoggedModelPatterns, RegistryPatterns, TrackingPatterns } from '@cairn/contracts';
import { requireProxiedArtifactRoot } from '@cairn/artifact-path';
import { ServiceClient } from '@cairn/nest-common';

/** Where a run's or a logged model's artifacts live: its URI, and the object-key root behind it. */
export interface ArtifactRoot {
  uri: string;
  key: string;
}

/**
 * Resolves artifact roots through tracking-svc (runs, logged models) and registry-svc (model
 * versions); only proxied (`mlflow-artifacts:`) roots are served.
 */
@Injectable()
export class ArtifactRoots {
  constructor(private readonly services: ServiceClient) {}

  async ofRun(runId: string): Promise<ArtifactRoot> {
    const { run } = await this.services.call<RunResponse>(TrackingPatterns.runs.get, { run_id: runId });
    return rootOf(run.info.artifact_uri);
  }

  async ofLoggedModel(modelId: string): Promise<ArtifactRoot> {
    const { model } = await this.services.call<LoggedModelResponse>(LoggedModelPatterns.get, { model_id: modelId });
    return rootOf(model.info.artifact_uri);
  }

  /** A model version's download URI (its storage location, else its source); registry-svc says what is missing. */
  async ofModelVersion(name: string | undefined, version: string | undefined): Promise<ArtifactRoot> {
    const { artifact_uri } = await this.services.call<ModelVersionDownloadUriResponse>(RegistryPatterns.modelVersions.getDownloadUri, {
      name,
      version,
    });
    return rootOf(artifact_uri);
  }
}

const rootOf = (uri: string): ArtifactRoot => ({ uri, key: requireProxiedArtifactRoot(uri) });
