// The FHIR Subscriptions connector (issue 17): rest-hook notifications of committed writes.
export { admitSubscription, type Admission } from './admit-subscription.ts';
export { hostPolicyOf, endpointRefusal, LOOPBACK_HOSTS, type HostPolicy } from './allowed-hosts.ts';
export { watchSubscriptions } from './watch-subscriptions.ts';
export { deliverNotifications } from './deliver-notifications.ts';
export { signatureOf } from './send-notification.ts';
export type { SubscriptionDeps, DeliveryPolicy } from './subscription-deps.ts';
export { SECRET_URL, OWNER_URL, NOTIFY_QUEUE } from './subscription-model.ts';
