import { Module } from '@nestjs/common';
import { InteractionsRepository } from './interactions.repository';

/** Interactions (spec §3.7, I1–I4) and their one write path, `ucs.interaction.record` (ARCHITECTURE §6). */
@Module({
  providers: [InteractionsRepository],
  exports: [InteractionsRepository],
})
export class InteractionsModule {}
