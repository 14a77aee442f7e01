import type { ProviderServer } from '../../engagement/testing/provider-server.ts';
import { startTwilioServer, twilioEnv, type TwilioAccount } from '../../engagement/testing/twilio-server.ts';
import type { TestBackend } from '../../store/testing/backends.ts';
import { platformBesidePerSuite } from './platform-beside.ts';
import type { TestPlatform } from './test-platform.ts';

/**
 * A platform whose SMS and voice provider is the Twilio-compatible fake on `account`, per suite
 * (call inside `describe`, or at the top of a file). `env` adds settings (quiet hours, limits);
 * what the platform sent is in `twilio.accepted`.
 */
export function twilioPlatformPerSuite(
  backend: TestBackend,
  options: { account: TwilioAccount; env?: Record<string, string> },
): { platform: TestPlatform; twilio: ProviderServer } {
  const { platform, fake } = platformBesidePerSuite(backend, {
    start: () => startTwilioServer(options.account),
    env: (twilio) => ({ ...twilioEnv(options.account, twilio.url), ...options.env }),
    stop: (twilio) => twilio.close(),
  });
  return { platform, twilio: fake };
}
