import { applyDecorators } from '@nestjs/common';
import { ApiExtraModels, ApiProperty, ApiPropertyOptional, ApiResponse, getSchemaPath } from '@nestjs/swagger';

class FieldErrorDto {
  @ApiProperty({ example: 'amount' })
  field: string;

  @ApiProperty({ example: 'amount must be an integer in minor units' })
  message: string;
}

/** RFC 9457 problem details, served as application/problem+json. */
export class ProblemDto {
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

  @ApiPropertyOptional({ example: 'urn:request:7d0c…', description: 'The request id (also in X-Request-Id)' })
  instance?: string;
}

const DESCRIPTIONS: Record<number, string> = {
  400: 'VALIDATION_FAILED, IDEMPOTENCY_KEY_REQUIRED',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND, RECIPIENT_NOT_FOUND',
  409: 'IDEMPOTENCY_KEY_IN_PROGRESS, ALREADY_REVERSED, HOLD_NOT_PENDING, QUOTE_EXPIRED, QUOTE_USED, TOO_MANY_OPEN_BATCHES',
  415: 'UNSUPPORTED_MEDIA_TYPE (a Content-Encoding or charset the service does not take)',
  422: 'INSUFFICIENT_FUNDS, SAME_WALLET, IDEMPOTENCY_KEY_REUSED, ASSET_NOT_FOUND, BALANCE_LIMIT, CAPTURE_EXCEEDS_HOLD, NOT_REVERSIBLE, RATE_NOT_FOUND, AMOUNT_TOO_SMALL; VALIDATION_FAILED for an admin changing their own account',
  429: 'RATE_LIMITED (Retry-After set)',
  503: 'BUSY (Retry-After set; nothing was applied)',
};

/** Documents the problem responses a route can give, under the media type they are served with. */
export function ApiProblems(...statuses: number[]): MethodDecorator & ClassDecorator {
  const content = { 'application/problem+json': { schema: { $ref: getSchemaPath(ProblemDto) } } };
  return applyDecorators(
    ApiExtraModels(ProblemDto),
    ...statuses.map((status) => ApiResponse({ status, content, description: DESCRIPTIONS[status] ?? 'Problem' })),
  );
}
