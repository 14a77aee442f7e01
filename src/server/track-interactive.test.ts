import { test } from 'node:test';
import assert from 'node:assert/strict';
import fastify from 'fastify';
import { interactiveInFlight } from '../store/index.ts';
import { registerInteractiveTracking } from './track-interactive.ts';

test('a request with a body counts as in flight until its response, not until its body was read', async () => {
  const app = fastify();
  registerInteractiveTracking(app);
  let inHandler = -1;
  app.post('/work', async (request) => {
    // The body has been read by now; the work (a write, say) goes on.
    await new Promise((resolve) => setTimeout(resolve, 20));
    inHandler = interactiveInFlight();
    return { received: request.body };
  });
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  try {
    const response = await fetch(`${url}/work`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ resourceType: 'Basic' }),
    });
    assert.equal(response.status, 200);
    assert.equal(inHandler, 1, 'in flight while the handler works');
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(interactiveInFlight(), 0, 'and no longer once answered');
  } finally {
    await app.close();
  }
});
