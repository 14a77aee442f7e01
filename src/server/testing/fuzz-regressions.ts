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

export const FUZZ_REGRESSIONS: FuzzInput[] = [...BUNDLE_SHAPES];
