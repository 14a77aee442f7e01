import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Bundle, Observation, Patient } from '@medplum/fhirtypes';
import { openPostgres, postgresBackend, postgresSkipReason } from '../testing/backends.ts';
import { PLAN_ONCE } from '../sql/plan-settings.ts';
import { createFhirRepository } from '../create-repository.ts';
import type { SqlDatabase, SqlExecutor } from '../sql/database.ts';
import { runParts } from '../sql/statement-parts.ts';
import { finishParts } from '../messages/inbound-message-batch.ts';

interface Prepared {
  name: string;
  statement: string;
  parameters: number;
  generic_plans: string;
  custom_plans: string;
}

/** This connection's prepared write statements (`runParts`: data-modifying CTEs, then `SELECT 1`). */
async function writeStatements(tx: SqlExecutor): Promise<Prepared[]> {
  const { rows } = await tx.query<Prepared>(
    `SELECT name, statement, cardinality(parameter_types) AS parameters, generic_plans::text, custom_plans::text
     FROM pg_prepared_statements WHERE statement LIKE 'WITH %' AND statement LIKE '%SELECT 1'`,
  );
  return rows;
}

/** The statement's generic plan, made with the write path's planner settings (`plan-settings.ts`). */
async function genericPlan(tx: SqlExecutor, prepared: Prepared): Promise<string> {
  await tx.query(PLAN_ONCE.text, PLAN_ONCE.values);
  const nulls = Array.from({ length: prepared.parameters }, () => 'NULL').join(', ');
  const { rows } = await tx.query<{ 'QUERY PLAN': string }>(
    `EXPLAIN (COSTS OFF) EXECUTE ${prepared.name}(${nulls})`,
  );
  return rows.map((row) => row['QUERY PLAN']).join('\n');
}

// The write statement is planned once per connection (`QueryOptions.planOnce`): its plan has to
// be right at every table size, also when made on empty tables, as here.
describe('write path: the write statement plan [postgres]', { skip: postgresSkipReason }, () => {
  let db: SqlDatabase;
  let one: SqlDatabase;
  before(async () => {
    db = await postgresBackend.open();
    // One connection: prepared statements are per connection.
    const { rows } = await db.query<{ schema: string }>('SELECT current_schema() AS schema');
    one = openPostgres({
      connectionString: process.env.TEST_DATABASE_URL!,
      schema: rows[0]!.schema,
      maxConnections: 1,
    });
  });
  after(async () => {
    await one.close();
    await db.close();
  });

  test('is generic, made once, and finds rows by index only, even on empty tables', async () => {
    const repo = createFhirRepository(one, { baseUrl: 'http://test/fhir' });
    const bundle = (family: string): Bundle => ({
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [
        {
          resource: { resourceType: 'Patient', id: 'plan-1', name: [{ family }] } as Patient,
          request: { method: 'PUT', url: 'Patient/plan-1' },
        },
        {
          resource: {
            resourceType: 'Observation',
            id: 'plan-obs',
            status: 'final',
            code: { text: family },
            subject: { reference: 'Patient/plan-1' },
            valueQuantity: { value: 1, unit: 'mg' },
          } as Observation,
          request: { method: 'PUT', url: 'Observation/plan-obs' },
        },
      ],
    });
    // New resources (inserts only), then new versions of them (their search rows deleted by
    // key), then a message's outcome (the HL7 batch's update of the message store).
    await repo.processBundle(bundle('Plan'));
    await repo.processBundle(bundle('Planned'));
    const plans = await one.transaction(async (tx) => {
      const outcome = { id: '1', status: 'processed' as const, ack: Buffer.from('MSA|AA'), resources: [] };
      await runParts(tx, finishParts([outcome]));
      const statements = await writeStatements(tx);
      const explained = [];
      for (const each of statements) explained.push({ ...each, plan: await genericPlan(tx, each) });
      return explained;
    });
    assert.equal(plans.length, 3);
    for (const each of plans) {
      assert.equal(each.custom_plans, '0', each.statement);
      assert.notEqual(each.generic_plans, '0', each.statement);
      assert.doesNotMatch(each.plan, /Seq Scan|Hash Join|Merge Join/, each.plan);
    }
    assert.match(plans.map((each) => each.plan).join('\n'), /Index Scan using inbound_message_pkey/);
  });
});
