import type { FuzzInput } from './fuzz-send.ts';

/**
 * Inputs the fuzz test (`fuzz.test.ts`) found answering 5xx, kept verbatim (bodies as the
 * fuzzer made them, or cut down to what triggers the fault) and replayed on every run. Add each
 * new one here with the fix that makes it a 4xx.
 */
const post = (path: string, body: string): FuzzInput => ({
  kind: 'http',
  method: 'POST',
  path,
  body,
  contentType: 'application/fhir+json',
});

/** `POST /fhir`: the access checkpoint planned entries of any shape (check-bundle-shape.ts). */
const BUNDLE_SHAPES: FuzzInput[] = [
  // entry an object, not an array: "entries.entries is not a function" (500)
  post('/fhir', '{"resourceType":"Bundle","type":"batch","entry":{"fullUrl":{"value":false}}}'),
  post(
    '/fhir',
    '{"resourceType":"Bundle","type":"transaction","entry":{"reference":"urn:uuid:00000000-0000-4000-8000-000000000000"}}',
  ),
  // a null entry: "Cannot read properties of null (reading 'request')" (500)
  post('/fhir', '{"resourceType":"Bundle","type":"document","entry":[null]}'),
  post('/fhir', '{"resourceType":"Bundle","type":"batch","entry":[null]}'),
  // request.url not a string: "url.indexOf is not a function" (500)
  post(
    '/fhir',
    '{"resourceType":"Bundle","type":"batch","entry":[{"fullUrl":"urn:uuid:00000000-0000-4000-8000-000000000000","resource":{"resourceType":"Task","intent":"order","for":{"reference":"Patient/fz-patient-1","modifierExtension":{}},"input":[{"type":{"text":"x"},"valueString":"y"}]},"request":{"method":"POST","url":{"value":"Task"}}}]}',
  ),
  // request.method not a string, or not an HTTP verb: "Method POST is not supported" (501)
  post(
    '/fhir',
    '{"resourceType":"Bundle","type":"transaction","entry":[{"fullUrl":"urn:uuid:0000-0000-0000-4000-8000-000000000000","resource":{"resourceType":"Consent","status":"active","scope":{"text":"x"},"patient":{"reference":"Patient/fz-patient-1"}},"request":{"method":["POST"],"url":"Consent"},"extension":null}]}',
  ),
  post(
    '/fhir',
    '{"resourceType":"Bundle","type":"batch","entry":[{"request":{"method":"FOO","url":"Patient"}}]}',
  ),
];

/** `Patient/$match` and `$unmerge`: the identity engine read Parameters of any shape (check-fhir-body.ts). */
const PATIENT_OPERATIONS: FuzzInput[] = [
  // name.family an array of objects: "name.normalize is not a function"
  post(
    '/fhir/Patient/$match',
    '{"resourceType":"Parameters","parameter":[{"name":"resource","resource":{"resourceType":"Patient","identifier":[{"system":"http://hospital.test/mrn","value":"FZ-1"}],"name":[{"family":[{"url":"q8vby","valueString":"zcf81p"}],"given":[null,"J"],"use":"official"}],"telecom":[{"system":"phone","value":"+1 217 555 1234","use":"mobile"}],"gender":"female","birthDate":"1988-04-12","address":[{"line":["12 Elm St"],"city":"Springfield","postalCode":"62701"}],"extension":[{"url":"http://hl7.org/fhir/StructureDefinition/patient-birthPlace","valueAddress":{"city":"Lagos"}}],"link":[{"other":{"reference":"Patient/fz-patient-1"},"type":"seealso"}]}},{"name":"count","valueInteger":3}]}',
  ),
  // name.family []: "name.normalize is not a function" (the validator lets [] through)
  post(
    '/fhir/Patient/$match',
    '{"resourceType":"Parameters","parameter":[{"name":"resource","resource":{"resourceType":"Patient","identifier":[{"system":"http://hospital.test/mrn","value":"FZ-1"}],"name":[{"family":[],"given":["Maya","J"],"use":"official"}],"telecom":[{"system":"phone","value":"+1 217 555 1234","use":"mobile"}],"gender":"female","birthDate":"1988-04-12","address":[{"line":["12 Elm St"],"city":"Springfield","postalCode":"62701"}],"extension":[{"url":"http://hl7.org/fhir/StructureDefinition/patient-birthPlace","valueAddress":{"city":"Lagos"}}],"link":[{"other":{"reference":"Patient/fz-patient-1"},"type":"seealso"}]}},{"name":"count","valueInteger":3}]}',
  ),
  // address.line a string: "address?.line?.join is not a function"
  post(
    '/fhir/Patient/$match',
    '{"resourceType":"Parameters","parameter":[{"name":"resource","resource":{"resourceType":"Patient","identifier":[{"system":"http://hospital.test/mrn","value":"FZ-1"}],"name":[{"family":"Okafor","given":["Maya","J"],"use":"official"}],"telecom":[{"system":"phone","value":"+1 217 555 1234","use":"mobile"}],"gender":"female","birthDate":"1988-04-12","address":[{"line":"9999-99-99bmcsjxeryjhttp://\\\\X00\\\\","city":"Springfield","postalCode":"62701"}],"extension":[{"url":"http://hl7.org/fhir/StructureDefinition/patient-birthPlace","valueAddress":{"meta":[]}}],"link":[{"value":{"other":{"reference":"Patient/fz-patient-1"},"type":"seealso"}}]}},{"name":"count","valueInteger":3}]}',
  ),
  // a null parameter: "Cannot read properties of null (reading 'name')"
  post(
    '/fhir/Patient/$unmerge',
    '{"resourceType":"Parameters","parameter":[null,"http://evil.test/fhir/Patient/1"]}',
  ),
  // name [null]: "Cannot read properties of null (reading 'use')"
  post(
    '/fhir/Patient/$match',
    '{"resourceType":"Parameters","parameter":[{"name":"resource","resource":{"resourceType":"Patient","identifier":[{"system":"http://hospital.test/mrn","value":"FZ-1"}],"name":[null],"telecom":[{"system":"phone","value":"+1 217 555 1234","use":"mobile"}],"gender":"female","birthDate":"1988-04-12","address":[{"line":["12 Elm St"],"city":"Springfield","postalCode":"62701"}],"extension":[{"url":"http://hl7.org/fhir/StructureDefinition/patient-birthPlace","valueAddress":{"city":"Lagos"}}],"link":[{"other":{"reference":"Patient/fz-patient-1"},"type":"seealso"}]}},{"name":"count","valueInteger":3}]}',
  ),
  // a null parameter
  post(
    '/fhir/Patient/$match',
    '{"resourceType":"Parameters","parameter":[null,{"name":["count"],"valueInteger":3}]}',
  ),
  // telecom [[…]]
  post(
    '/fhir/Patient/$match',
    '{"resourceType":"Parameters","parameter":[{"name":"resource","resource":{"resourceType":"Patient","identifier":[{"system":"http://hospital.test/mrn","value":"FZ-1"}],"name":[{"family":"Okafor","given":["Maya","J"],"use":"official"}],"telecom":[[{"system":"phone","value":"+1 217 555 1234","use":"mobile"}]],"gender":"female","birthDate":"1988-04-12","address":[{"line":"*","city":"Springfield","postalCode":"62701"}],"extension":[{"url":"http://hl7.org/fhir/StructureDefinition/patient-birthPlace","valueAddress":{"city":"Lagos"}}],"link":[{"other":{"reference":"Patient/fz-patient-1"},"type":"seealso"}]}},{"name":"count","valueInteger":3}]}',
  ),
  // telecom [..., null]: "Cannot read properties of null (reading 'system')"
  post(
    '/fhir/Patient/$match',
    '{"resourceType":"Parameters","parameter":[{"name":"resource","resource":{"resourceType":"Patient","identifier":[{"system":"http://hospital.test/mrn","value":"FZ-1"}],"name":[{"family":"Okafor","given":["Maya","J"],"use":"official"}],"telecom":[{"system":"phone","value":"+1 217 555 1234","use":"mobile"},null],"gender":"female","birthDate":"1988-04-12","address":[{"line":["12 Elm St"],"city":"Springfield","postalCode":"62701"}],"extension":[{"url":"http://hl7.org/fhir/StructureDefinition/patient-birthPlace","valueAddress":{"city":"Lagos"}}],"link":[{"other":{"reference":"Patient/fz-patient-1"},"type":"seealso"}]}},{"name":"count","valueInteger":3}]}',
  ),
  // given [["Maya"], "J"]
  post(
    '/fhir/Patient/$match',
    '{"resourceType":"Parameters","parameter":[{"name":"resource","resource":{"resourceType":"Patient","identifier":[{"system":"http://hospital.test/mrn","value":"FZ-1"}],"name":[{"family":"Okafor","given":[["Maya"],"J"],"use":"official"}],"telecom":[{"system":"phone","value":"+1 217 555 1234","use":"mobile"}],"gender":"female","birthDate":"1988-04-12","address":[{"line":["12 Elm St"],"city":"Springfield","postalCode":"62701"}],"extension":[{"url":"http://hl7.org/fhir/StructureDefinition/patient-birthPlace","valueAddress":{"city":"Lagos"}}],"link":[{"other":{"reference":"Patient/fz-patient-1"},"type":"seealso"}]}},{"name":"count","valueInteger":3}]}',
  ),
  // parameter.name an array, a null parameter
  post(
    '/fhir/Patient/$unmerge',
    '{"resourceType":"Parameters","parameter":[{"name":[{"url":":\\u001f","valueString":"kah46v5:"},[]],"valueReference":{"reference":{"value":"Provenance/x"}}},null]}',
  ),
  // parameter an empty object (seed 7): "input.find is not a function" (the validator lets {} through)
  post('/fhir/Patient/$merge', '{"resourceType":"Parameters","parameter":{},"id":"patient"}'),
  // identifier [null] in a batch (seed 1304): the exclusive-claim lock keys read null.system
  post(
    '/fhir',
    '{"resourceType":"Bundle","type":"batch","entry":[{"resource":{"resourceType":"Patient","identifier":[null],"name":[{"given":["Maya"]}]},"request":{"method":"PUT","url":"Patient?identifier=http://hospital.test/mrn|FZ-1"}},{"resource":{"resourceType":"Patient","identifier":[null]},"request":{"method":"POST","url":"Patient"}}]}',
  ),
];

export const FUZZ_REGRESSIONS: FuzzInput[] = [...BUNDLE_SHAPES, ...PATIENT_OPERATIONS];
