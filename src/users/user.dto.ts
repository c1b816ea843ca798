import { ApiProperty } from '@nestjs/swagger';

export class UserDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ description: 'Lower-cased; unique, case-insensitive' })
  email: string;

  @ApiProperty()
  name: string;

  @ApiProperty({ enum: ['user', 'admin'] })
  role: 'user' | 'admin';

  @ApiProperty({ format: 'date-time' })
  createdAt: string;
}
