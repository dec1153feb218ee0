export { ProjectRunnerModule } from './project-runner.module';
export { runnerSchema } from './migrations';
