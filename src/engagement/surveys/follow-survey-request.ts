import type { Bundle, Communication, CommunicationRequest, Task } from '@medplum/fhirtypes';
import { absentUnlessUnavailable } from '../../kernel/errors.ts';
import type { ChangeEvent } from '../../store/index.ts';
import type { EngagementDeps } from '../engine/engagement-deps.ts';
import { channelOf, purposeOf } from '../model/outreach-codes.ts';
import { SURVEY_CONTEXT_URL } from './survey-codes.ts';

/**
 * The survey's Task follows its invitation: once the invitation went (request `completed`) the
 * form is offered (`requested`, `executionPeriod.start` = when it was sent, the channel in its
 * context); when it may not go at all (`revoked`: no consent, deceased, …) the survey is
 * `cancelled` with the reason. A Task no longer a draft is left alone (replays change nothing).
 */
export async function followSurveyRequest(deps: EngagementDeps, event: ChangeEvent): Promise<void> {
  // A request ends by an update; creations (every reminder) need no read here.
  if (event.resourceType !== 'CommunicationRequest' || event.action !== 'update') return;
  const request = await deps.repository
    .read<CommunicationRequest>('CommunicationRequest', event.id)
    .catch(absentUnlessUnavailable);
  if (!request || purposeOf(request.category) !== 'survey') return;
  if (request.status !== 'completed' && request.status !== 'revoked') return;
  const taskId = request.about?.find((r) => r.reference?.startsWith('Task/'))?.reference?.slice(5);
  const task = taskId
    ? await deps.repository.read<Task>('Task', taskId).catch(absentUnlessUnavailable)
    : undefined;
  if (task?.status !== 'draft') return;
  if (request.status === 'revoked')
    return void (await deps.repository.update({
      ...task,
      status: 'cancelled',
      statusReason: { text: `the survey was not sent: ${request.statusReason?.text ?? 'revoked'}` },
    }));
  const attempt = await sentAttempt(deps, event.id);
  await deps.repository.update(
    offeredTask(task, { sent: attempt?.sent ?? deps.clock.now().toISOString(), attempt }),
  );
}

/** The attempt that went (the request is completed by the engine together with it). */
async function sentAttempt(deps: EngagementDeps, requestId: string): Promise<Communication | undefined> {
  const bundle: Bundle = await deps.repository.search({
    resourceType: 'Communication',
    params: [['based-on', `CommunicationRequest/${requestId}`]],
  });
  return (bundle.entry ?? [])
    .map((entry) => entry.resource as Communication)
    .find((attempt) => attempt.sent && attempt.status !== 'not-done');
}

function offeredTask(task: Task, sent: { sent: string; attempt?: Communication }): Task {
  const channel = sent.attempt ? channelOf(sent.attempt.medium) : undefined;
  const extension = (task.extension ?? []).map((each) =>
    each.url === SURVEY_CONTEXT_URL && channel
      ? {
          ...each,
          extension: [
            ...(each.extension ?? []).filter((e) => e.url !== 'channel'),
            { url: 'channel', valueCode: channel },
          ],
        }
      : each,
  );
  return {
    ...task,
    status: 'requested',
    executionPeriod: { start: sent.sent },
    lastModified: sent.sent,
    extension,
  };
}
