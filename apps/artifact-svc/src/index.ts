export { ArtifactServiceModule } from './artifact-svc.module';
export { DataPlaneServer } from './data-plane/data-plane.server';
export { artifactsSchema } from './migrations';
export type { ArtifactStore, ObjectRead, ObjectStat } from './store/artifact-store';
export { createArtifactStore } from './store/create-artifact-store';
