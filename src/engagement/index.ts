// Public face of the engagement module (layer 3): consent-aware outreach on every channel.
export {
  CHANNELS,
  PURPOSES,
  PURPOSE_SYSTEM,
  DELIVERY_STATE_URL,
  REPLY_ACTION_URL,
  ATTEMPT_KEY_SYSTEM,
  PROVIDER_MESSAGE_SYSTEM,
  ENGAGEMENT_SYSTEM,
  mediumOf,
  channelOf,
  type Channel,
  type Purpose,
  type DeliveryState,
} from './model/outreach-codes.ts';
export {
  outreachRequester,
  outreachRequestOf,
  type OutreachOrder,
  type RequestOutreach,
} from './model/request-outreach.ts';
export { evaluateConsent, type ConsentAnswer } from './consent/evaluate-consent.ts';
export {
  choiceConsent,
  choiceOf,
  consentStates,
  supersededChoices,
  PATIENT_CHOICE_SYSTEM,
  type ConsentChoice,
  type ConsentState,
} from './consent/consent-choices.ts';
export {
  nextSendableAt,
  zoneOf,
  ownQuietHours,
  quietHoursExtension,
  quietHoursOnRecord,
  QUIET_HOURS_EXTENSION,
  type QuietHours,
} from './consent/quiet-hours.ts';
export type { ChannelAdapter, ChannelAdapters, OutboundMessage, SendResult } from './channels/channel.ts';
export { channelsFromConfig, closeChannels } from './channels/channels-from-config.ts';
export { twilioSignature, isTwilioSignatureValid } from './channels/twilio-signature.ts';
export { whatsappSignature, isWhatsappSignatureValid } from './channels/whatsapp-signature.ts';
export {
  DELIVERY_QUEUE,
  type DecisionDeps,
  type EngagementDeps,
  type OutreachPerson,
  type OutreachRules,
} from './engine/engagement-deps.ts';
export { deliveryHandler, deliverRequest } from './engine/deliver-request.ts';
export { DEFERRAL_URL, deferralOf, type Deferral, type DeferralReason } from './engine/deferral.ts';
export { listDeferred, type DeferredRequest } from './engine/list-deferred.ts';
export { coalescedReads } from './engine/coalesced-reads.ts';
export { coalescedConsents } from './engine/coalesced-consents.ts';
export { outreachScheduler, retimeDeliveries } from './engine/schedule-delivery.ts';
export { OUTREACH_FAILURES_WORKLIST } from './engine/dead-letter.ts';
export { renderTemplate, smsSegments } from './templates/outreach-templates.ts';
export { planReminders, REMINDER_KEY_SYSTEM } from './reminders/plan-reminders.ts';
export { receiveReply, type InboundMessage, type ReplyOutcome } from './inbound/receive-reply.ts';
export { recordDeliveryStatus, type DeliveryReport } from './inbound/record-delivery-status.ts';
export { parseReply, type ReplyAction } from './inbound/reply-grammar.ts';
export { RESCHEDULE_WORKLIST } from './inbound/reply-actions.ts';
export {
  receiveCall,
  openCallBack,
  CALL_BACK_WORKLIST,
  type InboundCall,
  type CallOutcome,
} from './inbound/receive-call.ts';
export { callCommunicationOf, missedCallReason, type CallRecord } from './model/call-record.ts';
export { CAMPAIGN_SYSTEM, type CampaignPlan } from './campaigns/campaign.ts';
export {
  launchCampaign,
  previewCampaign,
  type CampaignLaunch,
  type CampaignPreview,
} from './campaigns/run-campaign.ts';
export { campaignReport, type CampaignReport } from './campaigns/campaign-report.ts';
export { planSurveys } from './surveys/plan-surveys.ts';
export { followSurveyRequest } from './surveys/follow-survey-request.ts';
export {
  satisfactionQuestionnaire,
  installSatisfactionQuestionnaire,
} from './surveys/satisfaction-questionnaire.ts';
export {
  SATISFACTION_CANONICAL,
  SATISFACTION_QUESTIONNAIRE_URL,
  SURVEY_CONTEXT_URL,
  SURVEY_KEY_SYSTEM,
} from './surveys/survey-codes.ts';
