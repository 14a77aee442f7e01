// Outbound HL7 v2 over MLLP (issue 17): ADT^A08 and ORU^R01 to configured destinations.
export { watchDestinations } from './watch-destinations.ts';
export { deliverHl7 } from './deliver-hl7.ts';
export { buildAdtA08, buildAdtA31, buildOruR01 } from './build-messages.ts';
export { HL7_OUT_QUEUE, type Hl7OutDeps } from './hl7-out-deps.ts';
export { sendRuleMessage } from './send-rule-message.ts';
export { resendOutbound } from './resend-message.ts';
