/**
 * HL7 v2 enhanced acknowledgment mode (issue 3): besides the accept ACK (`ack`), the
 * application ACK sent after processing, kept so a resend is answered with both, byte for byte.
 */
export const sql = `
ALTER TABLE inbound_message ADD COLUMN application_ack bytea;
`;
