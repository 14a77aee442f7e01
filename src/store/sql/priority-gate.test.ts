import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { priorityGate } from './priority-gate.ts';
import { beginInteractive, runAsBackground } from './work-priority.ts';

const tick = () => new Promise((resolve) => setTimeout(resolve, 1));

/** Work that holds the gate until a turn of the event loop has passed, and records its name. */
function step(log: string[], name: string) {
  return async () => {
    await tick();
    log.push(name);
  };
}

describe('priority gate (the embedded database connection)', () => {
  it('serves a waiting interactive query before queued background work, each in its own order', async () => {
    const gate = priorityGate({ quietMs: 0, maxDeferMs: 10_000 });
    const log: string[] = [];
    const background = runAsBackground(() =>
      Promise.all(['b1', 'b2', 'b3', 'b4'].map((name) => gate.run(step(log, name)))),
    );
    await new Promise((resolve) => setImmediate(resolve)); // the background work is queued
    await Promise.all([gate.run(step(log, 'i1')), gate.run(step(log, 'i2'))]);
    await background;
    assert.deepEqual(log.slice(0, 3), ['b1', 'i1', 'i2'], 'only the slice already running went first');
    assert.deepEqual(log.slice(3), ['b2', 'b3', 'b4']);
  });

  it('starts background work only after the quiet period without interactive work', async () => {
    const gate = priorityGate({ quietMs: 30, maxDeferMs: 10_000 });
    const log: string[] = [];
    await gate.run(step(log, 'i1'));
    const started = performance.now();
    await runAsBackground(() => gate.run(step(log, 'b1')));
    assert.ok(performance.now() - started >= 25, 'background waited for the quiet period');
  });

  it('holds background work back while a request is in flight, but not past maxDeferMs', async () => {
    const gate = priorityGate({ quietMs: 5, maxDeferMs: 60 });
    const log: string[] = [];
    const end = beginInteractive();
    const started = performance.now();
    await runAsBackground(() => gate.run(step(log, 'b1')));
    end();
    assert.ok(performance.now() - started >= 55, 'held back by the request in flight');
    assert.deepEqual(log, ['b1'], 'and still ran while the request was in flight');
  });

  it('lets overdue background work go before a steady stream of interactive work', async () => {
    const gate = priorityGate({ quietMs: 5, maxDeferMs: 30 });
    const log: string[] = [];
    let streaming = true;
    const stream = (async () => {
      for (let i = 0; streaming; i++) await gate.run(step(log, `i${i}`));
    })();
    const background = runAsBackground(() => gate.run(step(log, 'b1')));
    await background;
    streaming = false;
    await stream;
    assert.ok(log.includes('b1'), 'background ran during the stream');
    assert.ok(log.indexOf('b1') < log.length - 1, 'before the stream ended');
  });

  it('releases the gate when work throws', async () => {
    const gate = priorityGate({ quietMs: 0, maxDeferMs: 10 });
    await assert.rejects(
      gate.run(async () => {
        throw new Error('boom');
      }),
      /boom/,
    );
    assert.equal(await gate.run(async () => 'next'), 'next');
  });
});
