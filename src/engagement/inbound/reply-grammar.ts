/** What a reply asks for. */
export type ReplyAction = 'confirm' | 'reschedule' | 'opt-out' | 'opt-in';

/**
 * The reply grammar: `C`, `1` or `YES` confirm; `R` or `2` reschedule; the carriers' opt-out
 * words (STOP, STOPALL, UNSUBSCRIBE, CANCEL, END, QUIT, OPTOUT, REVOKE) opt out of SMS and
 * START, UNSTOP opt back in. CANCEL is an opt-out, never "cancel my appointment": carriers treat
 * it so. Anything else is a message for a person (the unanswered-messages worklist).
 */
export function parseReply(text: string): ReplyAction | undefined {
  const word = text
    .trim()
    .toUpperCase()
    .replace(/[.!]+$/, '')
    .replace(/\s+/g, ' ');
  if (['C', '1', 'YES', 'Y', 'CONFIRM'].includes(word)) return 'confirm';
  if (['R', '2', 'RESCHEDULE'].includes(word)) return 'reschedule';
  if (OPT_OUT.includes(word)) return 'opt-out';
  if (['START', 'UNSTOP'].includes(word)) return 'opt-in';
  return undefined;
}

const OPT_OUT = [
  'STOP',
  'STOP ALL',
  'STOPALL',
  'UNSUBSCRIBE',
  'CANCEL',
  'END',
  'QUIT',
  'OPTOUT',
  'OPT OUT',
  'REVOKE',
];
