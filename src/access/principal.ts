/** Who is calling: a system (client credentials) or a person (staff sign-in). */
export interface Principal {
  kind: 'system' | 'user';
  /** client_id for systems, user id for staff. */
  id: string;
  display: string;
  roles: string[];
  /** Granted SMART scopes, e.g. `system/*.cruds`, `user/Observation.rs`. */
  scopes: string[];
  /**
   * SMART launch context: the patient a patient (or their proxy) acts for. With it, the
   * checkpoint limits every interaction to that patient's compartment.
   */
  patient?: string;
  /**
   * A caregiver acting for a dependant (`proxy/act-for-patient.ts`): the grant that lets her
   * (`RelatedPerson/{id}`), read again on every request. `id` stays the caregiver's account, so
   * audit names her as the agent; `patient` is the dependant's, whose record she acts on.
   * Never put into a token: a grant revoked or expired must stop access at once.
   */
  proxyGrant?: string;
}

/** Context of one request, carried into the audit record. */
export interface RequestContext {
  requestId: string;
  remoteAddress?: string;
}

/** Who makes a request, and the request: what every audit record names. */
export interface Caller {
  principal: Principal;
  context: RequestContext;
}

/** Identifier systems for who acted: a signed-in user, or an OAuth client. */
export const USER_SYSTEM = 'https://throughline.dev/fhir/sid/user';
export const CLIENT_SYSTEM = 'https://throughline.dev/fhir/sid/client';

/**
 * Who did it, for a Provenance agent, a Task owner or a decision: always the authenticated
 * principal (the user, or the client acting on its own), never something the request says.
 */
export function actorOf(principal: Principal): {
  display: string;
  identifier: { system: string; value: string };
} {
  const system = principal.kind === 'system' ? CLIENT_SYSTEM : USER_SYSTEM;
  return { display: principal.display, identifier: { system, value: principal.id } };
}

/**
 * The platform's own workers (identity, journey, the HL7 v2 listener, the privacy service) as
 * principals: system clients with the integration role, audited under their own id.
 */
export function servicePrincipal(service: { id: string; display: string }): Principal {
  return {
    kind: 'system',
    id: service.id,
    display: service.display,
    roles: ['integration'],
    scopes: ['system/*.cruds'],
  };
}

/** The principal of a stored account row (`staff_user`): a patient account carries its patient. */
export function userPrincipal(
  id: string,
  row: { display_name: string; roles: string[]; scopes: string; patient_id?: string | null },
): Principal {
  return {
    kind: 'user',
    id,
    display: row.display_name,
    roles: row.roles,
    scopes: row.scopes.split(' ').filter(Boolean),
    ...(row.patient_id ? { patient: row.patient_id } : {}),
  };
}

/** The principal of a stored OAuth client row (`oauth_client`). */
export function clientPrincipal(
  clientId: string,
  row: { name: string; roles: string[]; scopes: string },
): Principal {
  return {
    kind: 'system',
    id: clientId,
    display: row.name,
    roles: row.roles,
    scopes: row.scopes.split(' ').filter(Boolean),
  };
}
