import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isTwilioSignatureValid, twilioSignature } from './twilio-signature.ts';
import { isWhatsappSignatureValid, whatsappSignature } from './whatsapp-signature.ts';

test("X-Twilio-Signature matches the example of Twilio's security documentation", () => {
  const url = 'https://mycompany.com/myapp.php?foo=1&bar=2';
  const params: [string, string][] = [
    ['CallSid', 'CA1234567890ABCDE'],
    ['Caller', '+12349013030'],
    ['Digits', '1234'],
    ['From', '+12349013030'],
    ['To', '+18005551212'],
  ];
  assert.equal(twilioSignature('12345', url, params), '0/KCTR6DLpKmkAf8muzZqo1nDgQ=');
  const reordered = [...params].reverse();
  assert.equal(
    isTwilioSignatureValid('12345', { url, params: reordered, signature: '0/KCTR6DLpKmkAf8muzZqo1nDgQ=' }),
    true,
  );
  assert.equal(
    isTwilioSignatureValid('12345', { url: `${url}&x=1`, params, signature: '0/KCTR6DLpKmkAf8muzZqo1nDgQ=' }),
    false,
  );
  assert.equal(isTwilioSignatureValid('12345', { url, params, signature: undefined }), false);
});

test('X-Hub-Signature-256 is sha256= and the hex HMAC-SHA256 of the raw body', () => {
  assert.equal(
    whatsappSignature('secret', 'test'),
    'sha256=0329a06b62cd16b33eb6792be8c60b158d89a2ee3a876fce9a881ebb488c0914',
  );
  const rawBody = Buffer.from('{"object":"whatsapp_business_account"}');
  const signature = whatsappSignature('app-secret', rawBody);
  assert.equal(isWhatsappSignatureValid('app-secret', { rawBody, signature }), true);
  assert.equal(isWhatsappSignatureValid('other', { rawBody, signature }), false);
  assert.equal(isWhatsappSignatureValid('app-secret', { rawBody: Buffer.from(' '), signature }), false);
});
