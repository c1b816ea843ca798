import { applyDecorators } from '@nestjs/common';
import { ApiExtraModels, ApiProperty, ApiPropertyOptional, ApiResponse, getSchemaPath, OpenAPIObject } from '@nestjs/swagger';
import type { Problem } from '../../libs/contract/src';

class FieldErrorDto {
  @ApiProperty({ example: 'amount' })
  field: string;

  @ApiProperty({ example: 'amount must be an integer in minor units' })
  message: string;
}

/** RFC 9457 problem details, served as application/problem+json. */
export class ProblemDto implements Problem {
  @ApiProperty({ example: 'urn:problem-type:wallet:insufficient-funds' })
  type: string;

  @ApiProperty({ example: 'Insufficient funds' })
  title: string;

  @ApiProperty({ example: 422 })
  status: number;

  @ApiProperty({ example: 'Not enough GOLD_COINS in the wallet' })
  detail: string;

  @ApiProperty({ example: 'INSUFFICIENT_FUNDS', description: 'Stable error code (docs/api.md)' })
  code: string;

  @ApiPropertyOptional({ type: [FieldErrorDto], description: 'Field problems of a 400' })
  errors?: FieldErrorDto[];

  @ApiPropertyOptional({ example: 1, description: 'The refused posting of a multi-posting transaction (0-based)' })
  posting?: number;

  @ApiPropertyOptional({ example: 'urn:request:7d0c…', description: 'The request id (also in X-Request-Id)' })
  instance?: string;
}

const DESCRIPTIONS: Record<number, string> = {
  400: 'VALIDATION_FAILED, IDEMPOTENCY_KEY_REQUIRED',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND, RECIPIENT_NOT_FOUND',
  409: 'IDEMPOTENCY_KEY_IN_PROGRESS, ALREADY_REVERSED, HOLD_NOT_PENDING, QUOTE_EXPIRED, QUOTE_USED, TOO_MANY_OPEN_BATCHES',
  413: 'PAYLOAD_TOO_LARGE (a JSON body over BODY_LIMIT_BYTES)',
  415: 'UNSUPPORTED_MEDIA_TYPE (a Content-Encoding or charset the service does not take)',
  422: 'INSUFFICIENT_FUNDS, SAME_WALLET, IDEMPOTENCY_KEY_REUSED, ASSET_NOT_FOUND, BALANCE_LIMIT, CAPTURE_EXCEEDS_HOLD, NOT_REVERSIBLE, RATE_NOT_FOUND, AMOUNT_TOO_SMALL; VALIDATION_FAILED for an admin changing their own account',
  429: 'RATE_LIMITED (Retry-After set)',
  500: 'INTERNAL (a bug: logged with the request id, answered without details)',
  503: 'BUSY (Retry-After set; nothing was applied)',
};

const problemContent = () => ({ 'application/problem+json': { schema: { $ref: getSchemaPath(ProblemDto) } } });

/** Documents the problem responses a route can give, under the media type they are served with. */
export function ApiProblems(...statuses: number[]): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ApiExtraModels(ProblemDto),
    ...statuses.map((status) => ApiResponse({ status, content: problemContent(), description: DESCRIPTIONS[status] ?? 'Problem' })),
  );
}

type Operation = { requestBody?: { content?: Record<string, unknown> }; responses?: Record<string, unknown> };

/**
 * Problems the edge answers before (or around) any controller, documented here once so a route
 * added later cannot miss them: the body parser's 413 and 415 on every route taking JSON, and
 * on every API route a 500 (a bug) and a 503 (the database, reached by every token check, does
 * not answer).
 */
export function documentEdgeProblems(document: OpenAPIObject): OpenAPIObject {
  for (const [path, operations] of Object.entries(document.paths)) {
    for (const operation of Object.values(operations) as Operation[]) {
      const responses = operation?.responses;
      if (responses === undefined) continue;
      const statuses = path.startsWith('/api/') ? [500, 503] : [];
      if (operation.requestBody?.content?.['application/json'] !== undefined) statuses.push(413, 415);
      for (const status of statuses) responses[status] ??= { description: DESCRIPTIONS[status], content: problemContent() };
    }
  }
  return document;
}
