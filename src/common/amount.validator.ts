import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { IsInt, Max, Min } from 'class-validator';

const AMOUNT_MAX = 9_007_199_254_740_991;

/** `amount`: a JSON integer in minor units, 1 <= amount <= 2^53 - 1 (docs/api.md "Money"). */
export function IsAmount(): PropertyDecorator {
  return applyDecorators(
    ApiProperty({ description: 'Integer amount in the asset minor unit', minimum: 1, maximum: AMOUNT_MAX, example: 1500 }),
    IsInt({ message: 'amount must be an integer in minor units' }),
    Min(1, { message: 'amount must be at least 1' }),
    Max(AMOUNT_MAX, { message: `amount must not exceed ${AMOUNT_MAX}` }),
  );
}
