import { join } from 'node:path';
import { extractFileName } from '../batch/extract-spec.ts';
import { measureExtract } from '../batch/write-extract.ts';
import type { AutomationDeps } from './automation-deps.ts';
import type { DryRunItem } from './dry-run-plan.ts';
import type { Rule } from './rule-model.ts';

/**
 * What an extract rule's next occurrence would write, each extract searched now (as the caller
 * reads) and rendered, but not written: the file it would name, its rows and bytes.
 */
export async function dryRunExtracts(
  deps: AutomationDeps,
  { rule, occurrence }: { rule: Rule; occurrence: string },
): Promise<{ item: DryRunItem; rows: number }> {
  let total = 0;
  const actions: DryRunItem['actions'] = [];
  for (const [index, action] of rule.actions.entries()) {
    const spec = action.extract!;
    const { rows, bytes } = await measureExtract(deps.repository, spec);
    total += rows;
    const file = join(spec.folder, extractFileName(spec, occurrence));
    const unset = deps.extractRoot ? '' : ' (AUTOMATION_EXTRACT_DIR is not set: the live run would fail)';
    actions.push({
      index,
      type: 'extract',
      values: {
        criteria: `${spec.resourceType}?${new URLSearchParams(spec.params).toString()}`,
        format: spec.format,
        file,
        ...Object.fromEntries(spec.columns.map((column) => [`column.${column.header}`, column.expression])),
      },
      note: `would write ${file}: ${rows} rows, ${bytes} bytes${unset}`,
    });
  }
  return { item: { event: `occurrence/${occurrence}`, actions }, rows: total };
}
