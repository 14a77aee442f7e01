// Public face of the automation module (layer 3, issue 17): rules and connectors.
export * from './subscriptions/index.ts';
export * from './hl7-out/index.ts';
