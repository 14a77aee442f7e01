import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { backgroundYield } from './background-duty.ts';
import { beginInteractive, runAsBackground } from './work-priority.ts';
import { burn, busyRequests } from '../testing/busy-loop.ts';

/** Background work that burns the loop in small pieces with yield points; the time it burned. */
async function backgroundBurning(until: () => boolean): Promise<number> {
  let burned = 0;
  await runAsBackground(async () => {
    while (!until()) {
      const from = performance.now();
      burn(0.5);
      burned += performance.now() - from;
      await backgroundYield();
    }
  });
  return burned;
}

/** Runs background work that burns for `ms` of wall time: its share of the wall time. */
async function backgroundShareOver(ms: number): Promise<number> {
  const from = performance.now();
  const burned = await backgroundBurning(() => performance.now() - from >= ms);
  return burned / (performance.now() - from);
}

describe('background duty cycle', () => {
  it('takes about its share (10%) of a loop kept busy by requests in flight, and keeps moving', async () => {
    const requests = busyRequests();
    try {
      const share = await backgroundShareOver(1_000);
      assert.ok(share <= 0.18, `background took ${(share * 100).toFixed(1)}% of the loop`);
      assert.ok(share >= 0.03, `background still moved: ${(share * 100).toFixed(1)}%`);
    } finally {
      requests.stop();
    }
  });

  it('runs unthrottled when no request is in flight', async () => {
    const share = await backgroundShareOver(300);
    assert.ok(share >= 0.6, `background took ${(share * 100).toFixed(1)}% of an idle loop`);
  });

  it('a request in flight that leaves the loop idle (a screen polling) does not stall background work', async () => {
    const end = beginInteractive();
    try {
      const share = await backgroundShareOver(500);
      assert.ok(share >= 0.15, `background took ${(share * 100).toFixed(1)}% of a loop otherwise idle`);
    } finally {
      end();
    }
  });

  it('after a long turn, the next waits 200 ms at most under a busy loop', async () => {
    const requests = busyRequests();
    try {
      let waited = 0;
      await runAsBackground(async () => {
        await backgroundYield();
        burn(100);
        const from = performance.now();
        await backgroundYield();
        waited = performance.now() - from;
      });
      assert.ok(waited >= 150 && waited < 300, `waited ${waited.toFixed(0)} ms after a 100 ms turn`);
    } finally {
      requests.stop();
    }
  });

  it('with no request in flight, a long loop still lets the event loop read its sockets at each yield point', async () => {
    let firedAfter: number | undefined;
    const from = performance.now();
    // A timer due in 5 ms stands for a request's socket becoming readable.
    setTimeout(() => (firedAfter = performance.now() - from), 5);
    await backgroundBurning(() => performance.now() - from >= 400);
    assert.ok(firedAfter !== undefined && firedAfter < 150, `the timer ran ${firedAfter?.toFixed(0)} ms in`);
  });

  it('work outside runAsBackground never waits at a yield point', async () => {
    const requests = busyRequests();
    try {
      assert.equal(backgroundYield(), undefined);
    } finally {
      requests.stop();
    }
  });
});
