import type { Patient } from '@medplum/fhirtypes';
import { absentUnlessUnavailable } from '../../kernel/errors.ts';
import { replaceBlockKeys, type ChangeEvent, type EventHandler } from '../../store/index.ts';
import { isGolden } from '../golden/golden-record.ts';
import { linkRecords } from '../golden/link-records.ts';
import { proposeReview, wasRejected } from '../review/review-queue.ts';
import { matchPatient, samePerson, type IdentityDeps } from './match-patient.ts';

/**
 * Every Patient written by any path (API, HL7, import) is matched after it commits (DESIGN
 * rule 3: identity reacts to change events): its blocking keys are indexed, then the best
 * candidate is auto-linked (one golden record), queued for review, or left alone. Pairs staff
 * rejected are never proposed again; pairs already linked are left as they are, so the writes
 * this handler makes (links) do not cascade.
 */
export function matchOnWrite(deps: IdentityDeps): EventHandler {
  return {
    subscriber: 'identity-match-on-write',
    resourceTypes: () => ['Patient'],
    async handle(event: ChangeEvent) {
      if (event.resourceType !== 'Patient') return;
      if (event.action === 'delete') return replaceBlockKeys(deps.db, event.id, []);
      // Gone or unreadable: no keys. The database away is no answer: the event is read again.
      const patient = await deps.repository.read<Patient>('Patient', event.id).catch(absentUnlessUnavailable);
      if (!patient || isGolden(patient) || patient.active === false)
        return replaceBlockKeys(deps.db, event.id, []);
      await replaceBlockKeys(deps.db, event.id, deps.engine.blockingKeys(patient));
      for (const candidate of await matchPatient(deps, patient, { count: 5 })) {
        if (samePerson(patient, candidate.patient)) continue;
        if (await wasRejected(deps.repository, event.id, candidate.patient.id as string)) continue;
        if (candidate.outcome.band === 'auto-link') {
          await linkRecords(deps.repository, [event.id, candidate.patient.id as string]);
          return;
        }
        // `possible` candidates (below the review band) are answers to `$match`, not work for staff.
        if (candidate.outcome.band !== 'review') continue;
        await proposeReview(deps.repository, {
          a: event.id,
          b: candidate.patient.id as string,
          score: candidate.outcome.score,
          explanation: candidate.outcome.explanation,
        });
      }
    },
  };
}
