import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Length, MaxLength } from 'class-validator';
import type { User } from '../../libs/contract/src';

export const ROLES = ['user', 'admin'] as const;
export const ACCOUNT_STATUSES = ['ACTIVE', 'DISABLED'] as const;

export class UserDto implements User {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ description: 'Lower-cased; unique, case-insensitive' })
  email: string;

  @ApiProperty()
  name: string;

  @ApiProperty({ enum: ROLES })
  role: 'user' | 'admin';

  @ApiProperty({ enum: ACCOUNT_STATUSES, description: 'DISABLED: cannot log in, every token answers 401, cannot be paid' })
  status: 'ACTIVE' | 'DISABLED';

  @ApiProperty({ format: 'date-time' })
  createdAt: string;
}

/** PATCH /users/:id: an admin changes another account. A change revokes the account's earlier tokens. */
export class UpdateUserDto {
  @ApiPropertyOptional({ enum: ROLES })
  @IsOptional()
  @IsIn(ROLES)
  role?: 'user' | 'admin';

  @ApiPropertyOptional({ enum: ACCOUNT_STATUSES })
  @IsOptional()
  @IsIn(ACCOUNT_STATUSES)
  status?: 'ACTIVE' | 'DISABLED';
}

export class ChangePasswordDto {
  @ApiProperty({ maxLength: 128 })
  @IsString()
  @MaxLength(128)
  currentPassword: string;

  @ApiProperty({ minLength: 8, maxLength: 128 })
  @IsString()
  @Length(8, 128)
  newPassword: string;
}
