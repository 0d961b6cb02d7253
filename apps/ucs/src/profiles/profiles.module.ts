import { Module } from '@nestjs/common';
import { ProfilesController } from './profiles.controller';
import { ProfilesMessagesController } from './profiles.messages';
import { ProfilesRepository } from './profiles.repository';
import { ProfilesService } from './profiles.service';

@Module({
  controllers: [ProfilesController, ProfilesMessagesController],
  providers: [ProfilesService, ProfilesRepository],
})
export class ProfilesModule {}
