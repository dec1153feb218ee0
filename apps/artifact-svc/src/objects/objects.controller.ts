import { MessagePattern, Payload } from '@nestjs/microservices';
import type {
  AbortMultipartUploadRequest,
  CompleteMultipartUploadRequest,
  CreateMultipartUploadRequest,
  CreateMultipartUploadResponse,
  DeleteArtifactsRequest,
  Empty,
  ListArtifactsRequest,
  ListArtifactsResponse,
} from '@cairn/contracts';
import { ArtifactPatterns } from '@cairn/contracts';
import { RpcController } from '@cairn/nest-common';
import { ObjectsService } from './objects.service';

const P = ArtifactPatterns;
const done = (): Empty => ({});

/** The artifact control plane on NATS; bytes travel over the HTTP data plane instead. */
@RpcController()
export class ObjectsController {
  constructor(private readonly objects: ObjectsService) {}

  @MessagePattern(P.list)
  list(@Payload() req: ListArtifactsRequest): Promise<ListArtifactsResponse> {
    return this.objects.list(req.path);
  }

  @MessagePattern(P.delete)
  delete(@Payload() req: DeleteArtifactsRequest): Promise<Empty> {
    return this.objects.delete(req.path).then(done);
  }

  @MessagePattern(P.mpuCreate)
  createMultipartUpload(@Payload() req: CreateMultipartUploadRequest): Promise<CreateMultipartUploadResponse> {
    return this.objects.createMultipartUpload(req);
  }

  @MessagePattern(P.mpuComplete)
  completeMultipartUpload(@Payload() req: CompleteMultipartUploadRequest): Promise<Empty> {
    return this.objects.completeMultipartUpload(req).then(done);
  }

  @MessagePattern(P.mpuAbort)
  abortMultipartUpload(@Payload() req: AbortMultipartUploadRequest): Promise<Empty> {
    return this.objects.abortMultipartUpload(req).then(done);
  }
}
