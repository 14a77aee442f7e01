import { after, before } from 'node:test';

/**
 * A stand-in for a value that exists only later: every property read and method call goes to
 * what `current()` returns at that moment (methods bound to it, so private fields work).
 */
export function forwardTo<T extends object>(current: () => T): T {
  return new Proxy({} as T, {
    get(_target, key) {
      const target = current();
      const property: unknown = Reflect.get(target, key, target);
      return typeof property === 'function'
        ? (property as (...args: unknown[]) => unknown).bind(target)
        : property;
    },
    has: (_target, key) => Reflect.has(current(), key),
    // So `{ ...proxy }` copies what the value has (configurable: the empty target holds none of it).
    ownKeys: () => Reflect.ownKeys(current()),
    getOwnPropertyDescriptor: (_target, key) => {
      const descriptor = Reflect.getOwnPropertyDescriptor(current(), key);
      return descriptor && { ...descriptor, configurable: true };
    },
  });
}

/**
 * What the tests of one suite share (a store, a platform), opened in the suite's `before` and
 * closed in its `after`, and usable under its own name from the start — instead of the
 * `let x; before(open); after(close)` block every suite repeated. Call it inside `describe`.
 */
export function suiteFixture<T extends object>(open: () => Promise<T>, close: (value: T) => unknown): T {
  let value: T | undefined;
  before(async () => {
    value = await open();
  });
  after(async () => {
    if (value) await close(value);
  });
  return forwardTo(() => {
    if (!value) throw new Error('a suite fixture was used outside its tests (before its before() hook ran)');
    return value;
  });
}
