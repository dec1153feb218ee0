import { MessagePattern, Payload } from '@nestjs/microservices';
import type {
  ListProjectRunsRequest,
  ListProjectRunsResponse,
  ProjectRunIdRequest,
  ProjectRunLogsRequest,
  ProjectRunLogsResponse,
  ProjectRunResponse,
  SubmitProjectRunRequest,
} from '@cairn/contracts';
import { RunnerPatterns as P } from '@cairn/contracts';
import { RpcController } from '@cairn/nest-common';
import { ProjectRunsService } from './project-runs.service';

@RpcController()
export class ProjectRunsController {
  constructor(private readonly runs: ProjectRunsService) {}

  @MessagePattern(P.submit)
  async submit(@Payload() req: SubmitProjectRunRequest): Promise<ProjectRunResponse> {
    return { project_run: await this.runs.submit(req) };
  }

  @MessagePattern(P.get)
  async get(@Payload() req: ProjectRunIdRequest): Promise<ProjectRunResponse> {
    return { project_run: await this.runs.describe(req.run_id) };
  }

  @MessagePattern(P.list)
  list(@Payload() req: ListProjectRunsRequest): Promise<ListProjectRunsResponse> {
    return this.runs.list(req);
  }

  @MessagePattern(P.logs)
  logs(@Payload() req: ProjectRunLogsRequest): Promise<ProjectRunLogsResponse> {
    return this.runs.logs(req.run_id, req.offset ?? 0);
  }

  @MessagePattern(P.cancel)
  async cancel(@Payload() req: ProjectRunIdRequest): Promise<ProjectRunResponse> {
    return { project_run: await this.runs.cancel(req.run_id) };
  }
}
