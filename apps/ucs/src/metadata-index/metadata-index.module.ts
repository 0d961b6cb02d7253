import { Module } from '@nestjs/common';
import { MetadataIndexController } from './metadata-index.controller';

/** S8: the metadata index (spec §4.17). */
@Module({ controllers: [MetadataIndexController] })
export class MetadataIndexModule {}
