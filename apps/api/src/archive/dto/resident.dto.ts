import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { RESIDENT_ROLES, type ResidentRole } from '@dispatch/domain';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsInt, IsOptional, IsString, Length, Matches, Max, Min } from 'class-validator';

/** A resident of a unit (POST /api/units/:code/residents). Personal data: never logged. */
export class ResidentDto {
  @ApiProperty({ enum: RESIDENT_ROLES })
  @IsIn(RESIDENT_ROLES)
  role!: ResidentRole;

  @ApiProperty({ example: '王建国', maxLength: 50 })
  @IsString()
  @Length(1, 50)
  name!: string;

  @ApiPropertyOptional({ example: '13800001234' })
  @IsOptional()
  @IsString()
  @Matches(/^\+?[0-9][0-9 -]{4,19}$/, { message: 'must be a phone number (digits, spaces, dashes)' })
  phone?: string;

  @ApiPropertyOptional({ maxLength: 50 })
  @IsOptional()
  @IsString()
  @Length(1, 50)
  wechat?: string;

  @ApiPropertyOptional({ example: '晚上7点后', maxLength: 50 })
  @IsOptional()
  @IsString()
  @Length(1, 50)
  preferredContactTime?: string;

  @ApiPropertyOptional({ type: [String], example: ['粤B12345'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10)
  @IsString({ each: true })
  @Length(2, 12, { each: true })
  vehicles?: string[];

  @ApiPropertyOptional({ maxLength: 200 })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  pets?: string;

  @ApiPropertyOptional({ example: '独居老人，行动不便', maxLength: 500 })
  @IsOptional()
  @IsString()
  @Length(1, 500)
  householdNotes?: string;

  @ApiPropertyOptional({ example: '王小明（儿子）13900005678', maxLength: 100 })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  emergencyContact?: string;

  @ApiPropertyOptional({ description: '重点住户: needs keyOwnerReason' })
  @IsOptional()
  @IsBoolean()
  keyOwner?: boolean;

  @ApiPropertyOptional({ maxLength: 200 })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  keyOwnerReason?: string;

  @ApiPropertyOptional({ example: '王先生', maxLength: 20 })
  @IsOptional()
  @IsString()
  @Length(1, 20)
  greeting?: string;
}

/** An edit: the version the caller saw, and the fields that change (a stale version gets 409). */
export class ResidentEditDto extends PartialType(ResidentDto) {
  @ApiProperty()
  @IsInt()
  @Min(1)
  version!: number;
}

export class RevealReasonDto {
  @ApiProperty({ example: '报警核实，需致电业主', maxLength: 200 })
  @IsString()
  @Length(2, 200)
  reason!: string;
}

export class MoveOutDto {
  @ApiPropertyOptional({ maxLength: 200 })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  reason?: string;
}

export class ResidentSearchQuery {
  @ApiPropertyOptional({ description: 'the whole number, digits compared exactly' })
  @IsOptional()
  @IsString()
  @Matches(/^\+?[0-9][0-9 -]{4,19}$/, { message: 'must be a whole phone number' })
  phone?: string;

  @ApiPropertyOptional({ description: 'the whole plate, exactly' })
  @IsOptional()
  @IsString()
  @Length(2, 12)
  plate?: string;
}

/** `POST /api/archive/import?dryRun=true`: read and report, write nothing. */
export class ArchiveImportQuery {
  @ApiPropertyOptional({ description: 'true: check the file and report what an import would do, changing nothing' })
  @IsOptional()
  @IsIn(['true', 'false'])
  dryRun?: 'true' | 'false';
}

/** The whole archive in full as a spreadsheet: a reveal of every record, logged with its reason. */
export class ArchiveExportDto {
  @ApiProperty({ enum: ['csv', 'xlsx'] })
  @IsIn(['csv', 'xlsx'])
  format!: 'csv' | 'xlsx';

  @ApiPropertyOptional({ enum: ['zh', 'en'], default: 'zh', description: 'the language of the header row and of the words in cells' })
  @IsOptional()
  @IsIn(['zh', 'en'])
  locale?: 'zh' | 'en';

  @ApiProperty({ example: '年度档案核对', maxLength: 200 })
  @IsString()
  @Length(2, 200)
  reason!: string;
}

/** `GET /api/archive/accuracy`: records verified within this many months count as accurate. */
export class ArchiveAccuracyQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: 60, default: 6 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(60)
  months?: number;
}
