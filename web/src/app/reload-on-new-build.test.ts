import assert from 'node:assert/strict';
import { test } from 'node:test';
import { reloadOnNewBuild } from './reload-on-new-build.ts';

/** A window whose listener, storage and reloads the test can see. */
function fakeWindow() {
  const stored = new Map<string, string>();
  const fake = {
    listener: undefined as ((event: Event) => void) | undefined,
    reloads: 0,
    addEventListener: (_type: string, listener: (event: Event) => void) => (fake.listener = listener),
    sessionStorage: {
      getItem: (key: string) => stored.get(key) ?? null,
      setItem: (key: string, value: string) => void stored.set(key, value),
    },
    location: { reload: () => void (fake.reloads += 1) },
  };
  return fake;
}

const chunkFailed = () => new Event('vite:preloadError', { cancelable: true });

test('a chunk of an older build that fails to load reloads the tab once, not over and over', () => {
  const win = fakeWindow();
  let clock = 1_000_000;
  reloadOnNewBuild(win, () => clock);
  const first = chunkFailed();
  win.listener!(first);
  assert.equal(win.reloads, 1, 'the new build is loaded');
  assert.ok(first.defaultPrevented, 'the failure is not thrown into the page meanwhile');
  clock += 5_000;
  const again = chunkFailed();
  win.listener!(again);
  assert.equal(win.reloads, 1, 'missing from the new build too: no reload loop');
  assert.ok(!again.defaultPrevented, 'the error is left to the page');
  clock += 60_000;
  win.listener!(chunkFailed());
  assert.equal(win.reloads, 2, 'a later rebuild reloads again');
});
