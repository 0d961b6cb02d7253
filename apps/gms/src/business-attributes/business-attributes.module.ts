import { Global, Module } from '@nestjs/common';
import { GMS_OPTIONS, type GmsOptions } from '../config/gms-options';
import { BusinessAttributes } from './business-attributes';

/** Makes BusinessAttributes injectable everywhere in gms. */
@Global()
@Module({
  providers: [
    {
      provide: BusinessAttributes,
      useFactory: (options: GmsOptions) => new BusinessAttributes(options.businessAttributes),
      inject: [GMS_OPTIONS],
    },
  ],
  exports: [BusinessAttributes],
})
export class BusinessAttributesModule {}
