import { getSearchParameters } from '@medplum/core';
import type {
  CapabilityStatement,
  CapabilityStatementRestResource,
  CapabilityStatementRestResourceSearchParam,
  CapabilityStatementRestSecurity,
} from '@medplum/fhirtypes';
import { loadFhirDefinitions, r4ResourceTypes } from '../fhir/definitions.ts';

const interactions = [
  'read',
  'vread',
  'update',
  'delete',
  'history-instance',
  'history-type',
  'create',
  'search-type',
] as const;

/**
 * What this server supports — and only that: every R4 resource type with the interactions
 * above, its R4 search parameters, conditional create/update, `Patient/$everything`,
 * transaction and batch, system history, SMART on FHIR discovery.
 */
export function capabilityStatement(
  baseUrl: string,
  about: { software: { name: string; version: string }; date: Date },
): CapabilityStatement {
  loadFhirDefinitions();
  return {
    resourceType: 'CapabilityStatement',
    status: 'active',
    date: about.date.toISOString().slice(0, 10),
    kind: 'instance',
    software: about.software,
    implementation: { description: 'Throughline FHIR R4 server', url: `${baseUrl}/fhir` },
    fhirVersion: '4.0.1',
    format: ['application/fhir+json', 'json'],
    rest: [
      {
        mode: 'server',
        security: smartSecurity(baseUrl),
        resource: [...r4ResourceTypes()].sort().map(resourceCapability),
        interaction: [{ code: 'transaction' }, { code: 'batch' }, { code: 'history-system' }],
        searchParam: systemSearchParams(),
      },
    ],
  };
}

/** SMART on FHIR: the service is declared, and the token endpoint named (oauth-uris extension). */
function smartSecurity(baseUrl: string): CapabilityStatementRestSecurity {
  return {
    cors: false,
    service: [
      {
        coding: [
          {
            system: 'http://terminology.hl7.org/CodeSystem/restful-security-service',
            code: 'SMART-on-FHIR',
          },
        ],
      },
    ],
    extension: [
      {
        url: 'http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris',
        extension: [{ url: 'token', valueUri: `${baseUrl}/oauth2/token` }],
      },
    ],
  };
}

/** The search parameters every type shares (system level): `_id`, `_lastUpdated` and the result controls. */
function systemSearchParams(): CapabilityStatementRestResourceSearchParam[] {
  return [
    { name: '_id', type: 'token' },
    { name: '_lastUpdated', type: 'date' },
    { name: '_count', type: 'number' },
    { name: '_sort', type: 'string' },
    { name: '_total', type: 'token' },
    { name: '_summary', type: 'token' },
    { name: '_elements', type: 'string' },
    { name: '_include', type: 'string' },
    { name: '_revinclude', type: 'string' },
  ];
}

function resourceCapability(type: string): CapabilityStatementRestResource {
  const params = Object.values(getSearchParameters(type) ?? {}).filter(
    (param) => !param.code?.startsWith('_'),
  );
  return {
    type: type as CapabilityStatementRestResource['type'],
    interaction: interactions.map((code) => ({ code })),
    versioning: 'versioned',
    readHistory: true,
    updateCreate: true,
    conditionalCreate: true,
    conditionalUpdate: true,
    conditionalDelete: 'not-supported',
    searchInclude: ['*'],
    searchRevInclude: ['*'],
    searchParam: params.map((param) => ({
      name: param.code as string,
      definition: param.url,
      type: param.type,
    })),
    ...(type === 'Patient'
      ? {
          operation: [
            { name: 'everything', definition: 'http://hl7.org/fhir/OperationDefinition/Patient-everything' },
            { name: 'merge', definition: 'http://hl7.org/fhir/OperationDefinition/Patient-merge' },
          ],
        }
      : {}),
  };
}
