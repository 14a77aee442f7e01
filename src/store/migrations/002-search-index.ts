/** Search index tables. Owned by src/store/search (see its README). */
export const sql = `SELECT 1;`;
