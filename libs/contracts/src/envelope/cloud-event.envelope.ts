import { Equals, IsNotEmpty, IsObject, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { IsDateTime } from '../events/common.validators';

/**
 * The envelope of every event on Kafka: CloudEvents 1.0 in structured mode
 * (the whole event is the JSON value; `content-type: application/cloudevents+json`).
 */
export class CloudEventEnvelope<TData extends object = object> {
  @Equals('1.0')
  specversion!: '1.0';

  /** Unique per event; consumers dedupe on it. */
  @IsUUID()
  id!: string;

  /** The producing service, as a URI reference, e.g. `/crc/checkin`. */
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  source!: string;

  /** Equal to the topic name, e.g. `crc.checkin.visit-checked-in.v1`. */
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  type!: string;

  @IsDateTime()
  time!: string;

  /** The entity the event is about: the visit id for every visit event. */
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  subject!: string;

  @Equals('application/json')
  datacontenttype!: 'application/json';

  @IsOptional()
  @IsString()
  dataschema?: string;

  @IsObject()
  data!: TData;
}

export const CLOUD_EVENTS_CONTENT_TYPE = 'application/cloudevents+json; charset=UTF-8';
