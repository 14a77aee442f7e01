import { relative, resolve, sep } from 'node:path';
import { isThroughlineError } from '../../kernel/errors.ts';
import type { ExtractSpec } from '../batch/extract-spec.ts';
import { writeExtract, type ExtractWritten } from '../batch/write-extract.ts';
import type { AutomationDeps } from './automation-deps.ts';
import type { Rule } from './rule-model.ts';
import { saveRun } from './run-log.ts';
import type { ActionOutcome, RuleRun } from './run-record.ts';

/**
 * One occurrence of an extract rule: each extract written once, as the rules' principal reads
 * (through the checkpoint), then the occurrence recorded with each file, its rows and bytes.
 * The record is the ledger (the occurrence job finds it and does nothing); an attempt that
 * died before it finds its files already written and records them without writing again.
 */
export async function runExtracts(
  deps: AutomationDeps,
  work: { rule: Rule; record: Omit<RuleRun, 'status'>; occurrence: string; when: string },
): Promise<void> {
  const actions: ActionOutcome[] = [];
  let reason: string | undefined;
  for (const [index, action] of work.rule.actions.entries()) {
    const at = deps.clock.now().toISOString();
    try {
      const written = await extractOnce(deps, { spec: action.extract!, occurrence: work.occurrence });
      actions.push({ index, type: 'extract', outcome: 'done', at, ...describe(deps, written) });
    } catch (error) {
      if (!isRecordable(error)) throw error;
      const message = (error as Error).message;
      actions.push({ index, type: 'extract', outcome: 'failed', detail: message, at });
      reason ??= `action ${index + 1} (extract) failed: ${message}`;
    }
  }
  const wrote = actions.filter((action) => action.outcome === 'done').length;
  await saveRun(deps.repository, {
    ...work.record,
    actions,
    status: reason ? 'failure' : 'success',
    reason: `occurrence ${work.when}: ${reason ?? `${wrote} extract${wrote === 1 ? '' : 's'} written`}`,
  });
}

async function extractOnce(
  deps: AutomationDeps,
  { spec, occurrence }: { spec: ExtractSpec; occurrence: string },
): Promise<ExtractWritten> {
  if (!deps.extractRoot)
    throw new ExtractRefused('AUTOMATION_EXTRACT_DIR is not set: extracts have no folder');
  const folder = insideRoot(deps.extractRoot, spec.folder);
  return writeExtract(deps.repository, { spec, folder, occurrence });
}

/**
 * The rule's sub-folder resolved inside the extract folder. The rule was checked when written
 * (no `..`, nothing absolute); checked again here, so a rule written around the API cannot
 * write elsewhere either.
 */
export function insideRoot(root: string, folder: string): string {
  const base = resolve(root);
  const target = resolve(base, folder);
  if (target !== base && !target.startsWith(`${base}${sep}`))
    throw new ExtractRefused(`folder "${folder}" is outside AUTOMATION_EXTRACT_DIR`);
  return target;
}

function describe(deps: AutomationDeps, written: ExtractWritten): Partial<ActionOutcome> {
  const file = relative(resolve(deps.extractRoot!), written.file);
  const rows = written.rows === undefined ? '' : `${written.rows} rows, `;
  return {
    file,
    ...(written.rows === undefined ? {} : { rows: written.rows }),
    bytes: written.bytes,
    detail: written.existing
      ? `${file}: already written by an earlier attempt (${written.bytes} bytes), kept`
      : `wrote ${file}: ${rows}${written.bytes} bytes`,
  };
}

/** A refusal that a retry would meet again: recorded on the run, not retried. */
class ExtractRefused extends Error {}

/**
 * What the run records as the extract's failure rather than retrying the job: a search the store
 * refuses (4xx), a folder refused, a file-system error (a full disk, no permission). A store that
 * is unavailable (5xx, anything else) throws on, and the occurrence job is retried.
 */
function isRecordable(error: unknown): boolean {
  if (error instanceof ExtractRefused) return true;
  if (isThroughlineError(error)) return error.httpStatus < 500;
  return typeof (error as NodeJS.ErrnoException).syscall === 'string';
}
