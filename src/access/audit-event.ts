import type { AuditEvent, AuditEventEntity, Coding } from '@medplum/fhirtypes';
import type { AuditRow } from './audit-rows.ts';

const DCM = 'http://dicom.nema.org/resources/ontology/DCM';
const REST_INTERACTION = 'http://hl7.org/fhir/restful-interaction';
const THROUGHLINE_ACTION = 'https://throughline.dev/fhir/CodeSystem/audit-action';
const ENTITY_TYPE = 'http://terminology.hl7.org/CodeSystem/audit-entity-type';

const restType: Coding = {
  system: 'http://terminology.hl7.org/CodeSystem/audit-event-type',
  code: 'rest',
  display: 'RESTful Operation',
};
const authenticationType: Coding = { system: DCM, code: '110114', display: 'User Authentication' };

/** Sign-ins and token requests: DICOM 110114 User Authentication. */
export const AUTHENTICATION_ACTIONS: readonly string[] = ['login', 'token'];

/** Our action → the FHIR restful interaction it is (IHE BALP subtypes). */
export const ACTION_INTERACTIONS: Record<string, string> = {
  create: 'create',
  read: 'read',
  vread: 'vread',
  update: 'update',
  delete: 'delete',
  history: 'history',
  search: 'search-type',
  everything: 'operation',
  import: 'operation',
  'bundle-transaction': 'transaction',
  'bundle-batch': 'batch',
  'audit-read': 'search-type',
};

export const CRUD_ACTIONS: Record<string, AuditEvent['action']> = {
  create: 'C',
  read: 'R',
  vread: 'R',
  update: 'U',
  delete: 'D',
};
/** success 0, denied 4 (minor failure: the request was refused), failure 8 (serious failure). */
const outcomes: Record<string, AuditEvent['outcome']> = { success: '0', denied: '4', failure: '8' };

function typeOf(action: string): { type: Coding; subtype: Coding[] } {
  const ours = { system: THROUGHLINE_ACTION, code: action };
  if (AUTHENTICATION_ACTIONS.includes(action)) {
    return { type: authenticationType, subtype: [{ system: DCM, code: '110122', display: 'Login' }, ours] };
  }
  const interaction = ACTION_INTERACTIONS[action];
  return {
    type: restType,
    subtype: interaction ? [{ system: REST_INTERACTION, code: interaction }, ours] : [ours],
  };
}

function agentOf(row: AuditRow): NonNullable<AuditEvent['agent']>[number] {
  const human = row.principalKind === 'user';
  return {
    type: {
      coding: [
        human
          ? { system: 'http://terminology.hl7.org/CodeSystem/extra-security-role-type', code: 'humanuser' }
          : { system: DCM, code: '110150', display: 'Application' },
      ],
    },
    who: {
      identifier: {
        system: `https://throughline.dev/fhir/NamingSystem/${human ? 'staff-user' : 'oauth-client'}`,
        value: row.principal,
      },
      display: row.principalDisplay ?? undefined,
    },
    requestor: true,
    network: row.remoteAddress ? { address: row.remoteAddress, type: '2' } : undefined,
  };
}

/** `proxy for Patient/x (RelatedPerson/y)` at the start of a row's detail (`detailOf` in audit.ts). */
const PROXY = /^proxy for Patient\/([^ ]+) \((RelatedPerson\/[^ )]+)\)/;

/**
 * The agents: who acted; when a caregiver acted for a dependant, she is the requestor and the
 * grant that let her is her agent `policy`, and the dependant on whose behalf she acted follows
 * as a second agent (role PAT, not the requestor) — R4 has no `onBehalfOf`, so BALP's reading.
 */
function agentsOf(row: AuditRow): NonNullable<AuditEvent['agent']> {
  const agent = agentOf(row);
  const proxy = PROXY.exec(row.detail ?? '');
  if (!proxy) return [agent];
  const dependant = {
    type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-RoleClass', code: 'PAT' }] },
    who: { reference: `Patient/${proxy[1] ?? ''}` },
    requestor: false,
  };
  return [{ ...agent, policy: [proxy[2] ?? ''] }, dependant];
}

function entitiesOf(row: AuditRow): AuditEventEntity[] {
  const entities: AuditEventEntity[] = row.patients.map((id) => ({
    what: { reference: `Patient/${id}` },
    type: { system: ENTITY_TYPE, code: '1', display: 'Person' },
    role: { system: 'http://terminology.hl7.org/CodeSystem/object-role', code: '1', display: 'Patient' },
  }));
  if (
    row.resourceType &&
    row.resourceId &&
    !(row.resourceType === 'Patient' && row.patients.includes(row.resourceId))
  ) {
    entities.push({
      what: { reference: `${row.resourceType}/${row.resourceId}` },
      type: { system: ENTITY_TYPE, code: '2', display: 'System Object' },
    });
  }
  if (row.requestId) {
    entities.push({
      what: { identifier: { value: row.requestId } },
      type: {
        system: 'https://profiles.ihe.net/ITI/BALP/CodeSystem/BasicAuditEntityType',
        code: 'XrequestId',
      },
    });
  }
  return entities;
}

/**
 * One audit row as an R4 AuditEvent shaped after IHE BALP: who (agent, with network address),
 * what patients and resource (entity), what action (type/subtype/action), outcome, when, and
 * the request id (entity of type XrequestId). Our own action code is kept as a subtype.
 */
export function toAuditEvent(row: AuditRow): AuditEvent {
  // An event another system posted is kept as it was sent (in the chain, as the row's detail).
  if (row.action === 'external' && row.detail)
    return { ...(JSON.parse(row.detail) as AuditEvent), resourceType: 'AuditEvent', id: row.id };
  return {
    resourceType: 'AuditEvent',
    id: row.id,
    ...typeOf(row.action),
    action: CRUD_ACTIONS[row.action] ?? 'E',
    recorded: row.recordedUtc,
    outcome: outcomes[row.outcome] ?? '8',
    outcomeDesc: row.detail ?? undefined,
    agent: agentsOf(row),
    source: {
      observer: { display: 'Throughline' },
      type: [
        {
          system: 'http://terminology.hl7.org/CodeSystem/security-source-type',
          code: '4',
          display: 'Application Server',
        },
      ],
    },
    entity: entitiesOf(row),
  };
}
