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
}

/** Context of one request, carried into the audit record. */
export interface RequestContext {
  requestId: string;
  remoteAddress?: string;
}
