import { RequestSubjects, type BusMessage, type ProfileGetRequest, type ProfileView } from '@cs/contracts';
import { MessageController } from '@cs/platform';
import { MessagePattern, Payload, RpcException } from '@nestjs/microservices';
import { ProfilesService } from './profiles.service';

/** Requests other services send about profiles. */
@MessageController()
export class ProfilesMessagesController {
  constructor(private readonly profiles: ProfilesService) {}

  @MessagePattern(RequestSubjects.ucsProfileGet)
  async get(@Payload() message: BusMessage<ProfileGetRequest>): Promise<ProfileView> {
    const { tenant, customer_id } = message.payload ?? ({} as Partial<ProfileGetRequest>);
    if (typeof tenant !== 'string' || typeof customer_id !== 'string') {
      throw new RpcException({
        status: 400,
        code: 'INVALID_PARAMETER',
        message: 'tenant and customer_id are required',
      });
    }
    return this.profiles.get(tenant, customer_id);
  }
}
