/**
 * The idempotency lookup (MSH-3, MSH-4, MSH-10) compared MSH-3/MSH-4 with IS NOT DISTINCT FROM,
 * which no index serves: every received message scanned the whole message store. The key
 * treats a missing and an empty MSH-3/MSH-4 alike (`messageKey`), so this index is on exactly
 * what the lookup compares.
 */
export const sql = `
CREATE INDEX inbound_message_lookup_idx ON inbound_message
  ((coalesce(sending_application, '')), (coalesce(sending_facility, '')), control_id)
  WHERE duplicate_of IS NULL;
`;
