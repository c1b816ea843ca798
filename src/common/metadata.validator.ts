import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, ValidateBy, ValidationOptions } from 'class-validator';

export const METADATA_KEYS_MAX = 20;
export const METADATA_KEY_PATTERN = /^[A-Za-z0-9_.-]{1,40}$/;
export const METADATA_VALUE_LENGTH_MAX = 500;

/** Why `value` is not valid metadata, or null when it is (docs/api.md "Postings and metadata"). */
export function metadataProblem(value: unknown): string | null {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return 'metadata must be an object of strings';
  const entries = Object.entries(value);
  if (entries.length > METADATA_KEYS_MAX) return `metadata has at most ${METADATA_KEYS_MAX} keys`;
  for (const [key, item] of entries) {
    if (!METADATA_KEY_PATTERN.test(key)) return `metadata key "${key.slice(0, 40)}" must match ${METADATA_KEY_PATTERN.source}`;
    if (typeof item !== 'string') return `metadata.${key} must be a string`;
    if (item.length > METADATA_VALUE_LENGTH_MAX) return `metadata.${key} has at most ${METADATA_VALUE_LENGTH_MAX} characters`;
  }
  return null;
}

/** Optional `metadata` of a money-moving body: at most 20 string values under simple keys. */
export function IsMetadata(options?: ValidationOptions): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({
      type: 'object',
      additionalProperties: { type: 'string', maxLength: METADATA_VALUE_LENGTH_MAX },
      maxProperties: METADATA_KEYS_MAX,
      description: `Up to ${METADATA_KEYS_MAX} keys matching ${METADATA_KEY_PATTERN.source}, string values of at most ${METADATA_VALUE_LENGTH_MAX} characters; stored with the transaction, never changed`,
      example: { orderId: '1042' },
    }),
    IsOptional(),
    ValidateBy(
      {
        name: 'isMetadata',
        validator: {
          validate: (value: unknown) => metadataProblem(value) === null,
          defaultMessage: (args) => metadataProblem(args?.value) ?? 'metadata is not valid',
        },
      },
      options,
    ),
  );
}
