import { PGlite } from '@electric-sql/pglite';

/** The PGlite data directory at `dataDir` as an uncompressed tarball (`openPglite`'s `loadDataDir`). */
export async function dumpPgliteDataDir(dataDir: string): Promise<Blob> {
  const db = await PGlite.create({ dataDir });
  try {
    return await db.dumpDataDir('none');
  } finally {
    await db.close();
  }
}
