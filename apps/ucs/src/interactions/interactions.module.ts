import { Module } from '@nestjs/common';
import { InteractionsController } from './interactions.controller';
import { InteractionsMessagesController } from './interactions.messages';
import { InteractionsRepository } from './interactions.repository';
import { InteractionsService } from './interactions.service';

/** Interactions (spec §3.7, I1–I4) and their one write path, `ucs.interaction.record` (ARCHITECTURE §6). */
@Module({
  controllers: [InteractionsController, InteractionsMessagesController],
  providers: [InteractionsRepository, InteractionsService],
  exports: [InteractionsRepository, InteractionsService],
})
export class InteractionsModule {}
