import type { TestBackend } from '../../store/testing/backends.ts';
import { forwardTo, suiteFixture } from '../../store/testing/suite-fixture.ts';
import { startTestPlatform, type TestPlatform } from './test-platform.ts';

/** A local stand-in the platform talks to (an SMS provider, an OpenID provider, a webhook receiver). */
export interface Beside<F> {
  start: () => Promise<F>;
  /** The platform's settings, given the started stand-in (they name its address). */
  env: (fake: F) => Record<string, string | undefined>;
  stop: (fake: F) => Promise<unknown>;
}

/**
 * A platform and the stand-in it talks to, per suite (call inside `describe`, or at the top of
 * a file): the stand-in starts first, since the platform's settings name it; the platform
 * stops first, so nothing it sends meets a closed port.
 */
export function platformBesidePerSuite<F extends object>(
  backend: TestBackend,
  beside: Beside<F>,
): { platform: TestPlatform; fake: F } {
  const world = suiteFixture(
    async () => {
      const fake = await beside.start();
      return { fake, platform: await startTestPlatform(backend, beside.env(fake)) };
    },
    async ({ platform, fake }) => {
      await platform.stop();
      await beside.stop(fake);
    },
  );
  return { platform: forwardTo(() => world.platform), fake: forwardTo(() => world.fake) };
}
