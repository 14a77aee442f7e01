import { Anchor } from '@mantine/core';
import { Link } from 'wouter';

/** Where Settings' correction form reads what to prefill: the item (`focus`) and its name. */
export const CORRECT_PARAM = 'correct';
export const CORRECT_WHAT_PARAM = 'what';

/**
 * "Correct this" under an item of her record (a result, a medicine, an allergy, a problem): it
 * opens the correction request in Settings about that item, so the clinic knows which one she
 * means (`Task.focus`). The label names the item, since a page holds many of these links.
 */
export function CorrectThisLink({ focus, what }: { focus: string; what: string }) {
  const search = new URLSearchParams({ [CORRECT_PARAM]: focus, [CORRECT_WHAT_PARAM]: what });
  return (
    <Anchor component={Link} href={`/preferences?${search}`} size="sm" aria-label={`Correct this: ${what}`}>
      Correct this
    </Anchor>
  );
}
