import { verifyAuditChain, type ChainVerification } from '../access/index.ts';
import { parseConfig } from '../kernel/config.ts';
import { openDatabase } from '../store/index.ts';

const usage = `usage: throughline audit verify

Recomputes the audit log's hash chain from its first row to its last and reports the first
row that was altered, removed or reordered. Exit code 0 when the chain holds, 1 when not.
Keep the printed head hash outside the database (a ticket, an email): whoever can rewrite the
log can also recompute every hash after the change, and only a copy kept elsewhere shows it.`;

function printVerification(result: ChainVerification): void {
  if (result.broken) {
    console.error(`audit chain BROKEN at row ${result.broken.id}: ${result.broken.reason}`);
    console.error(`${result.rowsChecked} rows checked; the chain holds up to head ${result.headHash}`);
    return;
  }
  console.log(`audit chain intact: ${result.rowsChecked} rows checked, head ${result.headHash}`);
}

/** `throughline audit verify`: the thin edge over verifyAuditChain. */
export async function auditCommand(args: string[]): Promise<number> {
  const [subcommand] = args;
  if (subcommand !== 'verify') {
    console.error(usage);
    return subcommand === '--help' ? 0 : 2;
  }
  const config = parseConfig();
  const db = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    const result = await verifyAuditChain(db);
    printVerification(result);
    return result.broken ? 1 : 0;
  } finally {
    await db.close();
  }
}
