import { ApiProperty } from '@nestjs/swagger';

export class DisclosureRecord {
  @ApiProperty({ format: 'uuid' })
  disclosureId!: string;

  @ApiProperty({ format: 'date-time' })
  at!: string;

  @ApiProperty({ example: 'LA_CARE' })
  plan!: string;

  @ApiProperty({ description: 'The credential, or the Kafka topic, the data went to.', example: 'partner:LA_CARE:0' })
  recipient!: string;

  @ApiProperty({ example: 'FEED_CSV', description: 'FEED_JSON, FEED_NDJSON, FEED_CSV, FHIR_EXPORT, KAFKA_TOPIC or SUMMARY.' })
  channel!: string;

  @ApiProperty({ type: [String], description: 'The fields disclosed.' })
  fields!: string[];

  @ApiProperty({ description: 'Whether member ids were part of it.' })
  containsPhi!: boolean;

  @ApiProperty()
  records!: number;

  @ApiProperty({ description: 'Which part of the feed (positions, publication times) or which period.', example: { afterPosition: 0, throughPosition: 100 } })
  range!: Record<string, unknown>;
}

export class DisclosurePage {
  @ApiProperty({ type: DisclosureRecord, isArray: true })
  items!: DisclosureRecord[];
}
