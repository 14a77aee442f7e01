import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseConfig } from './config.ts';
import { isThroughlineError } from './errors.ts';
import fc from 'fast-check';
import {
  depthExceededAt,
  findPath,
  parseUntrustedJson,
  PROTOTYPE_KEYS,
  prototypeKeyPath,
} from './safe-json.ts';

const refusal = (text: string, maxDepth = 64) => {
  try {
    parseUntrustedJson(text, { maxDepth });
    return undefined;
  } catch (error) {
    assert.ok(isThroughlineError(error), String(error));
    return { code: error.code, message: error.message, expression: error.issues[0]?.expression };
  }
};

test('depth counts brackets outside strings, escaped quotes included', () => {
  assert.equal(depthExceededAt('[[1]]', 2), -1);
  assert.equal(depthExceededAt('[[[1]]]', 2), 2);
  assert.equal(depthExceededAt('{"a":{"b":[]}}', 3), -1);
  assert.equal(depthExceededAt('{"a":{"b":[{}]}}', 3), 11);
  assert.equal(depthExceededAt('["[[[[", "\\"[[[[", "\\\\", [1]]', 2), -1);
  assert.equal(depthExceededAt('["\\\\", [[1]]]', 2), 8);
});

test('a document nested 100,000 deep is refused without overflowing anything', () => {
  const deep = '['.repeat(100_000) + ']'.repeat(100_000);
  const refused = refusal(deep);
  assert.equal(refused?.code, 'INVALID_JSON');
  assert.match(refused!.message, /deeper than 64 levels.*MAX_JSON_DEPTH/);
  assert.equal(refusal('['.repeat(64) + ']'.repeat(64)), undefined);
  assert.equal(refusal('['.repeat(65) + ']'.repeat(65))?.code, 'INVALID_JSON');
});

test('prototype keys anywhere are refused at their path, escaped spellings too', () => {
  assert.deepEqual(refusal('{"resourceType":"Patient","__proto__":{"polluted":1}}'), {
    code: 'INVALID_RESOURCE',
    message: 'Invalid additional property "__proto__"',
    expression: 'Patient.__proto__',
  });
  assert.equal(
    refusal('{"resourceType":"Patient","name":[{"family":"x"},{"constructor":1}]}')?.expression,
    'Patient.name[1].constructor',
  );
  assert.equal(refusal('{"resourceType":"Patient","\\u005f_proto__":1}')?.expression, 'Patient.__proto__');
  assert.deepEqual(refusal('{"email":{"prototype":"x"}}'), {
    code: 'INVALID_REQUEST',
    message: 'Invalid additional property "prototype"',
    expression: 'email.prototype',
  });
  // As values they are ordinary text.
  assert.equal(
    refusal('{"resourceType":"Patient","text":{"div":"constructor __proto__ prototype"}}'),
    undefined,
  );
  assert.equal(prototypeKeyPath([{ a: [{ b: 1 }, JSON.parse('{"__proto__":2}')] }]), '[0].a[1].__proto__');
});

test('malformed JSON is a coded INVALID_JSON', () => {
  assert.equal(refusal('{"a":')?.code, 'INVALID_JSON');
  assert.match(refusal('{"a":')!.message, /^Not valid JSON/);
});

test('MAX_JSON_DEPTH is a setting, 64 by default', () => {
  assert.equal(parseConfig({}).maxJsonDepth, 64);
  assert.equal(parseConfig({ MAX_JSON_DEPTH: '128' }).maxJsonDepth, 128);
  assert.throws(() => parseConfig({ MAX_JSON_DEPTH: '0' }), /MAX_JSON_DEPTH must be an integer/);
});

test('prototypeKeyPath answers what the full path walk answers, on generated JSON with and without prototype keys', () => {
  const key = fc.oneof(fc.string({ maxLength: 4 }), fc.constantFrom('__proto__', 'constructor', 'prototype'));
  const json = fc.jsonValue({ maxDepth: 5 }).chain((value) =>
    fc.oneof(
      fc.constant(value),
      // Objects (not arrays) holding prototype keys, at any depth, as JSON.parse makes them.
      fc
        .dictionary(key, fc.jsonValue({ maxDepth: 3 }))
        .map((object) => JSON.parse(JSON.stringify({ value, object })) as unknown),
      fc.constant(
        JSON.parse(`{"resourceType":"Patient","name":[{"given":["a"],"x":{"constructor":1}}]}`) as unknown,
      ),
    ),
  );
  fc.assert(
    fc.property(json, (value) => {
      const full = findPath(value, (name, _child, inArray) => !inArray && PROTOTYPE_KEYS.has(name));
      assert.equal(prototypeKeyPath(value), full);
    }),
    { numRuns: 3000 },
  );
});
