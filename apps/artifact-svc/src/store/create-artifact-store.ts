import type { ArtifactDestination } from '@cairn/config';
import type { ArtifactStore } from './artifact-store';
import { DiskArtifactStore } from './disk/disk-artifact-store';
import { S3ArtifactStore } from './s3/s3-artifact-store';

/** The backend for the configured destination: file:///root or s3://bucket/prefix. */
export function createArtifactStore(destination: ArtifactDestination): ArtifactStore {
  switch (destination.kind) {
    case 'file':
      return new DiskArtifactStore(destination.root);
    case 's3':
      return new S3ArtifactStore(destination.bucket, destination.prefix, destination.s3);
  }
}
