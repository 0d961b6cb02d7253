import { RequestSubjects, type BusMessage, type InteractionRecordReply } from '@cs/contracts';
import { ApiError } from '@cs/platform/core';
import { MessageController } from '@cs/platform';
import { MessagePattern, Payload, RpcException } from '@nestjs/microservices';
import { InteractionsService } from './interactions.service';
import { parseRecordRequest } from './record-request';

/** `ucs.interaction.record`: the only write path for interactions (ARCHITECTURE §6). */
@MessageController()
export class InteractionsMessagesController {
  constructor(private readonly interactions: InteractionsService) {}

  @MessagePattern(RequestSubjects.ucsInteractionRecord)
  async record(@Payload() message: BusMessage<unknown>): Promise<InteractionRecordReply> {
    let request;
    try {
      request = parseRecordRequest(message?.payload);
    } catch (error) {
      if (error instanceof ApiError) {
        throw new RpcException({ status: error.status, code: error.code, message: error.message });
      }
      throw error;
    }
    return this.interactions.record(request);
  }
}
