export { ArtifactServiceModule } from './artifact-svc.module';
export { artifactsSchema } from './migrations';
