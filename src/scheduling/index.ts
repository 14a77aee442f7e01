// Public face of the scheduling module: free times ($find), booking, holds, cancellation and
// rescheduling, race-safe through the store's exclusive identifiers.
export type { SchedulingDeps } from './scheduling-deps.ts';
export { findAppointments, type FindRequest } from './find/find-appointments.ts';
export { bookAppointment, type TakeRequest } from './book/book-appointment.ts';
export { confirmHold } from './book/confirm-hold.ts';
export {
  cancelAppointment,
  rescheduleAppointment,
  type FreedTime,
  type FreedTimeListener,
} from './book/cancel-appointment.ts';
export { DEFAULT_HOLD_MINUTES, HOLD_EXPIRES_EXTENSION } from './model/booking-codes.ts';
export { OVERBOOKING_EXTENSION, RRULE_EXTENSION, TIMEZONE_EXTENSION } from './model/read-hours.ts';
export { SERVICE_TYPE_SYSTEM } from './model/service-types.ts';
export { readNoShowCsv } from './noshow/read-noshow-csv.ts';
export { withHistory, type BookingRecord, type BookingWithHistory } from './noshow/booking-record.ts';
export {
  crossValidateNoShow,
  evaluateNoShow,
  timeSplitNoShow,
  type NoShowEvaluation,
} from './noshow/evaluate-noshow.ts';
export { summarize, type EvaluationSummary } from './noshow/metrics.ts';
export { calibrationLines, groupLines, summaryLines, weightLines } from './noshow/noshow-report.ts';
export {
  scoreBooking,
  scoreBookings,
  trainNoShowModel,
  type NoShowModel,
} from './noshow/train-noshow-model.ts';
export { assessNoShowRisk, RISK_SYSTEM, type NoShowModelSource } from './noshow/assess-noshow-risk.ts';
export { trainFromHistory } from './noshow/train-from-history.ts';
export {
  schedulingReactions,
  cachedNoShowModel,
  type SchedulingReactionDeps,
} from './scheduling-reactions.ts';
export { joinWaitlist, MOST_OPEN_ENTRIES, type WaitlistWish } from './waitlist/join-waitlist.ts';
export { leaveWaitlist, takeWaitlistOffer } from './waitlist/answer-entry.ts';
export { serviceChoices, type ServiceChoice, type ServiceActor } from './find/service-choices.ts';
export { offerOf, type WaitlistOffer } from './waitlist/waitlist-offer.ts';
export {
  OFFER_EXTENSION,
  BOOKED_AS_EXTENSION,
  type SendWaitlistMessage,
  type WaitlistMessage,
} from './waitlist/waitlist-offer.ts';
export { frontDeskToday, type TodayItem } from './today/front-desk-today.ts';
export { checkIn, markNoShow } from './today/check-in.ts';
export { autoNoShowJobs } from './today/auto-noshow.ts';
