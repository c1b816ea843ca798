import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Length, MaxLength } from 'class-validator';
import type { User } from '../../libs/contract/src';

export const ROLES = ['user', 'admin'] as const;
export const ACCOUNT_STATUSES = ['ACTIVE', 'DISABLED'] as const;

export class UserDto implements User {
  @ApiProperty({ example: '6c1f0b9e-2d4a-4e8b-b7c3-1a2b3c4d5e6f', format: 'uuid' })
  id: string;

  @ApiProperty({ example: 'ada@example.com', description: 'Lower-cased; unique, case-insensitive' })
  email: string;

  @ApiProperty({ example: 'Ada Lovelace' })
  name: string;

  @ApiProperty({ example: 'user', enum: ROLES })
  role: 'user' | 'admin';

  @ApiProperty({ example: 'ACTIVE', enum: ACCOUNT_STATUSES, description: 'DISABLED: cannot log in, every token answers 401, cannot be paid' })
  status: 'ACTIVE' | 'DISABLED';

  @ApiProperty({ example: '2026-12-03T09:00:00.000Z', format: 'date-time' })
  createdAt: string;
}

/** PATCH /users/:id: an admin changes another account. A change revokes the account's earlier tokens. */
export class UpdateUserDto {
  @ApiPropertyOptional({ example: 'admin', enum: ROLES })
  @IsOptional()
  @IsIn(ROLES)
  role?: 'user' | 'admin';

  @ApiPropertyOptional({ example: 'DISABLED', enum: ACCOUNT_STATUSES })
  @IsOptional()
  @IsIn(ACCOUNT_STATUSES)
  status?: 'ACTIVE' | 'DISABLED';
}

export class ChangePasswordDto {
  @ApiProperty({ example: 'correct horse battery', maxLength: 128 })
  @IsString()
  @MaxLength(128)
  currentPassword: string;

  @ApiProperty({ example: 'a longer passphrase', minLength: 8, maxLength: 128 })
  @IsString()
  @Length(8, 128)
  newPassword: string;
}
