/**
 * artifact-svc's control plane (NATS request/reply). Bytes never ride NATS: they stream over
 * artifact-svc's internal HTTP data plane (see ArtifactDataPlane below). Every `path` here is an
 * object key relative to the configured destination, already canonicalized by
 * `canonicalArtifactPath` (libs/artifact-path) at the gateway and checked again by the service.
 */
export const ArtifactPatterns = {
  list: 'artifacts.objects.list.v1',
  delete: 'artifacts.objects.delete.v1',
  mpuCreate: 'artifacts.multipart.create.v1',
  mpuComplete: 'artifacts.multipart.complete.v1',
  mpuAbort: 'artifacts.multipart.abort.v1',
  health: { ping: 'artifacts.health.ping.v1' },
} as const;

/** MLflow's FileInfo; `path` is a basename in the proxy's listing; `file_size` is absent for directories. */
export interface FileInfo {
  path: string;
  is_dir: boolean;
  file_size?: number;
}

export interface ListArtifactsRequest {
  path: string;
}
export interface ListArtifactsResponse {
  files: FileInfo[];
}
export interface DeleteArtifactsRequest {
  path: string;
}

export interface MultipartCredential {
  url: string;
  part_number: number;
  headers?: Record<string, string>;
}
export interface CreateMultipartUploadRequest {
  /** Object key of the file to create (directory + basename of the client's `path`). */
  path: string;
  num_parts: number;
}
export interface CreateMultipartUploadResponse {
  upload_id: string;
  credentials: MultipartCredential[];
}
export interface CompleteMultipartUploadRequest {
  path: string;
  upload_id: string;
  parts: { part_number: number; etag: string; url?: string }[];
}
export interface AbortMultipartUploadRequest {
  path: string;
  upload_id: string;
}

/** MLflow's message when the store cannot do multipart: clients then fall back to one PUT. */
export const MULTIPART_NOT_SUPPORTED = 'Multipart upload is not supported for the current artifact repository';

/**
 * The internal HTTP data plane of artifact-svc, reached only by the gateway:
 *   PUT    {base}/objects/{key}   body = the bytes (streamed; Content-Length when known)
 *   GET    {base}/objects/{key}   streams the bytes; honours Range; 404 when missing or a directory
 *   HEAD   {base}/objects/{key}
 *   GET    {base}/health         200 when the store answers, else the WireError of why not
 * Keys are URL-encoded segment by segment. Errors answer with the WireError JSON `{code, message}`.
 */
export const ARTIFACT_OBJECTS_PATH = '/objects/';
export const ARTIFACT_DATA_PLANE_HEALTH_PATH = '/health';
