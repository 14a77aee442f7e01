/**
 * Settings for tests of delivery itself: outreach goes as soon as it is due (no quiet hours, no
 * SMS caps) and a failed send is tried again at once, three times in all.
 */
export const DELIVER_AT_ONCE_ENV = {
  QUIET_HOURS: 'off',
  SMS_MAX_PER_DAY: '0',
  SMS_MAX_PER_WEEK: '0',
  OUTREACH_RETRY_BASE_SECONDS: '0',
  OUTREACH_MAX_ATTEMPTS: '3',
};
