import { testStorePerSuite } from './testing/open-test-store.ts';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachBackend } from './testing/backends.ts';
import { findByBlockKeys, replaceBlockKeys } from './identity-keys.ts';

describeEachBackend('identity blocking-key index', (backend) => {
  const { db } = testStorePerSuite(backend);

  const countOf = async (key: string) =>
    (
      await db.query<{ patients: number }>('SELECT patients FROM identity_block_key_count WHERE key = $1', [
        key,
      ])
    ).rows[0]?.patients ?? 0;

  test('the key counts follow every replace, including repeated keys and removals', async () => {
    await replaceBlockKeys(db, 'p1', ['g:maya', 'f:okafor', 'g:maya']);
    await replaceBlockKeys(db, 'p2', ['g:maya', 'f:lee']);
    await replaceBlockKeys(db, 'p2', ['g:maya', 'f:lee']);
    assert.equal(await countOf('g:maya'), 2);
    assert.equal(await countOf('f:lee'), 1);
    await replaceBlockKeys(db, 'p1', ['f:okafor']);
    assert.equal(await countOf('g:maya'), 1);
    await replaceBlockKeys(db, 'p2', []);
    assert.equal(await countOf('g:maya'), 0);
    assert.equal(await countOf('f:okafor'), 1);
  });

  test('candidates: rarest shared keys first, at most `limit`, keys held by too many skipped', async () => {
    for (let i = 0; i < 5; i++) await replaceBlockKeys(db, `c${i}`, ['g:common', `d:day${i % 2}`]);
    await replaceBlockKeys(db, 'rare', ['g:common', 'd:day1', 'ph:555']);
    assert.deepEqual(await findByBlockKeys(db, ['ph:555', 'd:day1'], { limit: 2 }), ['rare', 'c1']);
    // `g:common` is held by 6 records, over a limit of 5: it no longer brings in the day-0 ones.
    assert.deepEqual(await findByBlockKeys(db, ['g:common', 'd:day1'], { limit: 10, maxKeyFrequency: 5 }), [
      'c1',
      'c3',
      'rare',
    ]);
    assert.equal(
      (await findByBlockKeys(db, ['g:common', 'd:day0'], { limit: 10, maxKeyFrequency: 7 })).length,
      6,
    );
    assert.deepEqual(await findByBlockKeys(db, ['nobody'], { limit: 10 }), []);
    // One shared phone (held by 1) outweighs a shared name and day (held by 6 and 3); ties by id.
    await replaceBlockKeys(db, 'phone-only', ['ph:777']);
    const ranked = await findByBlockKeys(db, ['ph:777', 'g:common', 'd:day1'], {
      limit: 2,
      maxKeyFrequency: 10,
    });
    assert.deepEqual(ranked, ['phone-only', 'c1']);
  });
});
