import assert from 'node:assert/strict';
import type { Resource } from '@medplum/fhirtypes';

/** IG v2 §5.3.4: the complete-status body, as a client reads it. */
export interface Manifest {
  transactionTime: string;
  request: string;
  requiresAccessToken: boolean;
  output: { type: string; url: string; count: number }[];
  deleted?: { type: string; url: string; count: number }[];
  error: { type: string; url: string; count: number }[];
}

/** Kick-off (`Prefer: respond-async`): the status URL of the Content-Location. */
export async function kickOffExport(url: string, token: string): Promise<string> {
  const kick = await fetch(url, {
    headers: { authorization: `Bearer ${token}`, accept: 'application/fhir+json', prefer: 'respond-async' },
  });
  assert.equal(kick.status, 202, await kick.clone().text());
  return kick.headers.get('content-location')!;
}

/** Polls the status URL until it is no longer 202; the last answer. */
export async function pollExport(statusUrl: string, token: string, options: { timeoutMs?: number } = {}) {
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  for (;;) {
    const poll = await fetch(statusUrl, { headers: { authorization: `Bearer ${token}` } });
    if (poll.status !== 202) return poll;
    assert.ok(poll.headers.get('retry-after'));
    assert.match(poll.headers.get('x-progress') ?? '', /types/);
    if (Date.now() > deadline) throw new Error(`export still running: ${poll.headers.get('x-progress')}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The lines of one file of a manifest, downloaded with the token; their number checked against its count. */
export async function downloadFile<T = Resource>(
  file: { url: string; count: number },
  token: string,
): Promise<T[]> {
  const download = await fetch(file.url, {
    headers: { authorization: `Bearer ${token}`, accept: 'application/fhir+ndjson' },
  });
  assert.equal(download.status, 200);
  const lines = (await download.text())
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as T);
  assert.equal(lines.length, file.count);
  return lines;
}

/**
 * An independent Bulk Data client (IG v2): plain fetch — kick off with `Prefer: respond-async`,
 * poll the Content-Location until 200, download each output file with the token.
 */
export async function bulkExport(url: string, token: string) {
  const statusUrl = await kickOffExport(url, token);
  const poll = await pollExport(statusUrl, token);
  assert.equal(poll.status, 200, await poll.clone().text());
  const manifest = (await poll.json()) as Manifest;
  const byType = new Map<string, Resource[]>();
  for (const file of manifest.output)
    byType.set(file.type, [...(byType.get(file.type) ?? []), ...(await downloadFile(file, token))]);
  return { manifest, byType, statusUrl };
}
