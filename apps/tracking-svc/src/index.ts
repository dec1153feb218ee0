export { TrackingServiceModule } from './tracking-svc.module';
export { trackingSchema } from './migrations';
