import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';

export const DESCRIPTION_LENGTH_MAX = 500;

/** Optional free-text `description` of a money movement: at most 500 characters. */
export function IsDescription(): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({ maxLength: DESCRIPTION_LENGTH_MAX, example: 'order 1042' }),
    IsOptional(),
    IsString(),
    MaxLength(DESCRIPTION_LENGTH_MAX),
  );
}
