import { z } from 'zod';
import { defineRequest, field } from '@cairn/mlflow-wire';

// The artifact proxy (mlflow_artifacts.proto) and the tracking routes that read run and
// logged-model artifacts (service.proto, server/handlers.py).
export const ListProxyArtifacts = defineRequest({ path: field.string().optional() });
export const ListRunArtifacts = defineRequest(
  { run_id: field.string(), path: field.string().optional(), page_token: field.string().optional() },
  ['run_id'],
);
export const GetRunArtifact = defineRequest({ run_id: field.string(), path: field.string() }, ['run_id', 'path']);
/** handlers.py upload_artifact_handler checks its own arguments, with its own messages. */
export const UploadRunArtifact = defineRequest({ run_id: field.string().optional(), path: field.string().optional() });
/** get_model_version_artifact_handler: name and version go to the registry, which reports what is missing. */
export const GetModelVersionArtifact = defineRequest(
  { name: field.string().optional(), version: field.id().optional(), path: field.string() },
  ['path'],
);
export const ListModelArtifacts = defineRequest({
  artifact_directory_path: field.string().optional(),
  page_token: field.string().optional(),
});

export const CreateMultipartUpload = defineRequest({ path: field.string(), num_parts: field.int64().optional() }, ['path']);
export const CompleteMultipartUpload = defineRequest(
  {
    path: field.string(),
    upload_id: field.string().optional(),
    parts: field.repeated(z.object({ part_number: field.int64(), etag: field.string(), url: field.string().optional() })),
  },
  ['path', 'parts'],
);
export const AbortMultipartUpload = defineRequest({ path: field.string(), upload_id: field.string().optional() }, ['path']);
