import { ApiProperty } from '@nestjs/swagger';
import { IsString, ValidateBy } from 'class-validator';
import { parseRate, RATE_DECIMALS_MAX, RATE_SIGNIFICANT_DIGITS_MAX } from '../rate-math';
import type { Rate } from '../../../libs/contract/src';

const RATE_RULE = `a decimal string > 0 with at most ${RATE_SIGNIFICANT_DIGITS_MAX} significant digits and ${RATE_DECIMALS_MAX} decimals`;

/** A rate as the API takes it: a JSON string in plain decimal notation ("0.01", never 0.01 or "1e-2"). */
function IsRate(): PropertyDecorator {
  return ValidateBy({
    name: 'isRate',
    validator: {
      validate: (value: unknown) => typeof value === 'string' && parseRate(value) !== null,
      defaultMessage: () => `rate must be ${RATE_RULE}`,
    },
  });
}

/** Body of PUT /rates/:from/:to. */
export class PutRateDto {
  @ApiProperty({
    type: String,
    example: '0.01',
    pattern: '^\\d+(\\.\\d+)?$',
    description: `Major units of the "to" asset that one major unit of the "from" asset buys: ${RATE_RULE}`,
  })
  @IsString()
  @IsRate()
  rate: string;
}

export class RateDto implements Rate {
  @ApiProperty({ example: 'GOLD_COINS' })
  from: string;

  @ApiProperty({ example: 'DIAMONDS' })
  to: string;

  @ApiProperty({ type: String, example: '0.01', description: 'Canonical decimal string: no leading zeros, no trailing decimal zeros' })
  rate: string;

  @ApiProperty({ example: '2026-12-03T09:00:00.000Z', format: 'date-time' })
  updatedAt: string;
}
