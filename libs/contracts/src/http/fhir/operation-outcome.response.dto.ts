import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** The parts of FHIR R4's OperationOutcome that the FHIR endpoints write (the resource is defined by HL7: http://hl7.org/fhir/R4/operationoutcome.html). */
export class FhirCoding {
  @ApiProperty({ example: 'https://crc-network.example/fhir/CodeSystem/api-error' })
  system!: string;

  @ApiProperty({ example: 'FHIR.EXPORT_NOT_FOUND', description: 'The same machine-readable code as the other routes answer in `error.code`.' })
  code!: string;

  @ApiPropertyOptional({ example: 'No such export' })
  display?: string;
}

export class FhirCodeableConcept {
  @ApiPropertyOptional({
    type: FhirCoding,
    isArray: true,
    description: 'Present when the code is one of the api-error code system (all codes of these routes are).',
  })
  coding?: FhirCoding[];

  @ApiPropertyOptional({ example: 'No such export for this plan.' })
  text?: string;
}

export class FhirOperationOutcomeIssue {
  @ApiProperty({ enum: ['fatal', 'error', 'warning', 'information'] })
  severity!: string;

  @ApiProperty({
    example: 'not-found',
    description: 'R4 IssueType, from the HTTP status (invalid, login, forbidden, not-found, too-long, not-supported, throttled, exception, transient, ...).',
  })
  code!: string;

  @ApiPropertyOptional({ type: FhirCodeableConcept })
  details?: FhirCodeableConcept;

  @ApiPropertyOptional({
    example: 'FHIR.EXPORT_NOT_FOUND',
    description:
      'Starts with the code; then, for a parameter problem, the parameter and the rule it breaks, or for an internal error `errorId=<id>` to quote to support.',
  })
  diagnostics?: string;
}

export class FhirOperationOutcome {
  @ApiProperty({ enum: ['OperationOutcome'] })
  resourceType!: 'OperationOutcome';

  @ApiProperty({ description: 'Narrative: `{ status: "generated", div: "<div xmlns=…>…</div>" }`.', type: 'object', additionalProperties: true })
  text!: Record<string, unknown>;

  @ApiProperty({ type: FhirOperationOutcomeIssue, isArray: true })
  issue!: FhirOperationOutcomeIssue[];
}
