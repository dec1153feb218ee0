import { MessagePattern, Payload } from '@nestjs/microservices';
import type {
  CreateRunRequest,
  DeleteRunTagRequest,
  Empty,
  LogBatchRequest,
  LogMetricRequest,
  LogModelRequest,
  LogParamRequest,
  RunIdRequest,
  RunResponse,
  SetRunTagRequest,
  UpdateRunRequest,
  UpdateRunResponse,
} from '@cairn/contracts';
import { TrackingPatterns } from '@cairn/contracts';
import { RpcController } from '@cairn/nest-common';
import { RunLoggingService } from './run-logging.service';
import { RunsService } from './runs.service';

const P = TrackingPatterns.runs;
const done = (): Empty => ({});

@RpcController()
export class RunsController {
  constructor(
    private readonly runs: RunsService,
    private readonly logging: RunLoggingService,
  ) {}

  @MessagePattern(P.create)
  async create(@Payload() req: CreateRunRequest): Promise<RunResponse> {
    return { run: await this.runs.create(req) };
  }

  @MessagePattern(P.get)
  async get(@Payload() req: RunIdRequest): Promise<RunResponse> {
    return { run: await this.runs.get(req.run_id) };
  }

  @MessagePattern(P.update)
  update(@Payload() req: UpdateRunRequest): Promise<UpdateRunResponse> {
    return this.runs.update(req);
  }

  @MessagePattern(P.delete)
  delete(@Payload() req: RunIdRequest): Promise<Empty> {
    return this.runs.delete(req.run_id).then(done);
  }

  @MessagePattern(P.restore)
  restore(@Payload() req: RunIdRequest): Promise<Empty> {
    return this.runs.restore(req.run_id).then(done);
  }

  @MessagePattern(P.setTag)
  setTag(@Payload() req: SetRunTagRequest): Promise<Empty> {
    return this.runs.setTag(req).then(done);
  }

  @MessagePattern(P.deleteTag)
  deleteTag(@Payload() req: DeleteRunTagRequest): Promise<Empty> {
    return this.runs.deleteTag(req).then(done);
  }

  @MessagePattern(P.logParam)
  logParam(@Payload() req: LogParamRequest): Promise<Empty> {
    return this.logging.logParam(req).then(done);
  }

  @MessagePattern(P.logMetric)
  logMetric(@Payload() req: LogMetricRequest): Promise<Empty> {
    return this.logging.logMetric(req).then(done);
  }

  @MessagePattern(P.logBatch)
  logBatch(@Payload() req: LogBatchRequest): Promise<Empty> {
    return this.logging.logBatch(req).then(done);
  }

  @MessagePattern(P.logModel)
  logModel(@Payload() req: LogModelRequest): Promise<Empty> {
    return this.logging.logModel(req).then(done);
  }
}
