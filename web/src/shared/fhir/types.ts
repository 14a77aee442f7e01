// The few FHIR shapes the app reads. The server speaks full FHIR R4 (@medplum/fhirtypes);
// the browser bundle keeps to what it displays, so no type package ships to the client.
export interface Coding {
  system?: string;
  code?: string;
  display?: string;
}
export interface CodeableConcept {
  coding?: Coding[];
  text?: string;
}
export interface Quantity {
  value?: number;
  unit?: string;
  code?: string;
}
export interface HumanName {
  use?: string;
  family?: string;
  given?: string[];
  text?: string;
}
export interface ContactPoint {
  system?: string;
  value?: string;
  use?: string;
  rank?: number;
}
export interface Identifier {
  system?: string;
  value?: string;
  type?: CodeableConcept;
  assigner?: { display?: string };
}
export interface Address {
  line?: string[];
  city?: string;
  state?: string;
  postalCode?: string;
}
export interface Resource {
  resourceType: string;
  id?: string;
  meta?: { source?: string; lastUpdated?: string; tag?: Coding[]; security?: Coding[] };
  [key: string]: unknown;
}
export interface Patient extends Resource {
  resourceType: 'Patient';
  name?: HumanName[];
  telecom?: ContactPoint[];
  gender?: string;
  birthDate?: string;
  identifier?: Identifier[];
  address?: Address[];
  active?: boolean;
  link?: { other?: { reference?: string }; type?: string }[];
}
export interface Bundle<T extends Resource = Resource> {
  resourceType: 'Bundle';
  total?: number;
  entry?: {
    resource?: T;
    search?: { score?: number; extension?: { url: string; valueCode?: string }[] };
  }[];
}
