import type { INestApplication } from '@nestjs/common';
import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiResponse, DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { ServiceConfig } from './service-config';

/** The unified error body (ARCHITECTURE §5), as documented for every error response. */
export class ErrorBodyDto {
  @ApiProperty({ example: 'There are no service found for : 1-abc' })
  message!: string;
  @ApiProperty({ example: 'com.genesyslab.gsg.services.contextservices.exceptions.NotFoundException' })
  exception!: string;
  @ApiProperty({ example: 'SERVICE_NOT_FOUND' })
  code!: string;
  @ApiProperty({ example: 400 })
  status!: number;
  @ApiProperty({ example: 'GET' })
  http_method!: string;
  @ApiProperty({ example: '/genesys/1/cs/services/1-abc' })
  uri!: string;
}

const ERROR_TEXT: Record<number, string> = {
  400: 'Invalid request, tenant or parameter',
  401: 'Credentials missing or wrong (when access control is on)',
  403: 'Role not allowed (when access control is on)',
  404: 'Not found',
  409: 'Conflict',
  413: 'Body over 1 MiB',
  415: 'Body is not JSON',
  500: 'Unexpected failure',
  503: 'Service or dependency unavailable',
  504: 'A dependency did not answer in time',
};

/** Documents error responses with the unified body: `@ApiErrors(400, 409)`. 415/413/500/503 always apply. */
export function ApiErrors(...statuses: number[]): MethodDecorator & ClassDecorator {
  const all = [...new Set([...statuses, 413, 415, 500, 503])];
  return applyDecorators(
    ...all.map((status) =>
      ApiResponse({ status, description: ERROR_TEXT[status] ?? 'Error', type: ErrorBodyDto }),
    ),
  );
}

export const OPENAPI_PATH = '/openapi.json';

/** Builds the service's OpenAPI document and serves it at /openapi.json (the gateway merges both). */
export function serveOpenApi(app: INestApplication, config: ServiceConfig): void {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle(config.title)
      .setDescription('Genesys Context Services compatible API')
      .setVersion('1')
      .addGlobalParameters(
        {
          name: 'ContactCenterId',
          in: 'header',
          required: false,
          schema: { type: 'string' },
          description: 'Tenant id or name',
        },
        {
          name: 'X-Genesys-TenantId',
          in: 'header',
          required: false,
          schema: { type: 'integer' },
          description: 'Tenant id',
        },
      )
      .build(),
    { extraModels: [ErrorBodyDto] },
  );
  app
    .getHttpAdapter()
    .get(OPENAPI_PATH, (_req: unknown, res: { json(body: unknown): void }) => res.json(document));
}
