import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'node:tls';
import { createMllpDecoder, encodeFrame } from '../hl7v2/index.ts';
import { pgliteBackend } from '../store/testing/backends.ts';
import { startTestPlatform } from './testing/test-platform.ts';

const openssl = ['/usr/bin/openssl', '/usr/local/bin/openssl'].find((path) => existsSync(path));

test(
  'MLLP over TLS: a message sent on a TLS connection is acknowledged',
  { skip: openssl ? undefined : 'openssl is not installed (needed to make a test certificate)' },
  async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mllp-tls-'));
    const [cert, key] = [join(dir, 'cert.pem'), join(dir, 'key.pem')];
    execFileSync(
      openssl!,
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-keyout',
        key,
        '-out',
        cert,
        '-days',
        '1',
        '-subj',
        '/CN=localhost',
      ],
      { stdio: 'ignore' },
    );
    const platform = await startTestPlatform(pgliteBackend, {
      MLLP_TLS_CERT_FILE: cert,
      MLLP_TLS_KEY_FILE: key,
    });
    try {
      const socket = connect({ port: platform.mllpPort, host: '127.0.0.1', rejectUnauthorized: false });
      const decoder = createMllpDecoder(1 << 20);
      const ack = await new Promise<string>((resolve, reject) => {
        socket.on('secureConnect', () =>
          socket.write(
            encodeFrame(
              'MSH|^~\\&|REG|RIV|TL|C|20261123||ADT^A04^ADT_A01|TLS-1|P|2.5\rPID|1||TLS-MRN^^^RIV^MR||Okafor^Maya\r',
            ),
          ),
        );
        socket.on('data', (chunk: Buffer) =>
          decoder.push(chunk).forEach((event) => event.kind === 'frame' && resolve(event.payload.toString())),
        );
        socket.on('error', reject);
      });
      socket.end();
      assert.match(ack, /MSA\|AA\|TLS-1/);
    } finally {
      await platform.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  },
);
