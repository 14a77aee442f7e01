// For tests of other modules (only src/store/sql/ may import the database driver).
export { countRoundTrips } from '../sql/count-round-trips.ts';
