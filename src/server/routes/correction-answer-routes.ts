import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ThroughlineError } from '../../kernel/errors.ts';
import {
  answerCorrection,
  CORRECTION_DECISIONS,
  reasonOf,
  type CorrectionDecision,
} from '../answer-correction.ts';
import { correctionView } from '../portal-corrections.ts';
import type { ServerDeps } from '../server-deps.ts';
import { authenticate } from './auth-hook.ts';
import { resourceId } from './fhir-request.ts';

type AnswerRequest = FastifyRequest<{ Params: { taskId: string; decision: string } }>;

function decisionOf(name: string): CorrectionDecision {
  if (CORRECTION_DECISIONS.includes(name as CorrectionDecision)) return name as CorrectionDecision;
  throw new ThroughlineError('INVALID_REQUEST', `Unknown decision "${name}": accept or reject`, {
    expression: 'decision',
  });
}

/**
 * Staff answer a request to correct a record (`src/server/answer-correction.ts`):
 * `POST /api/worklists/corrections/{task}/accept` or `/reject` with `{reason}`. The Task is
 * read and written with the caller's own store (checked and audited as theirs).
 */
export function registerCorrectionAnswerRoutes(app: FastifyInstance, deps: ServerDeps): void {
  app.register(async (routes) => {
    routes.addHook('preHandler', authenticate(deps));
    routes.post('/api/worklists/corrections/:taskId/:decision', async (request: AnswerRequest) => {
      const decision = decisionOf(request.params.decision);
      const answer = {
        taskId: resourceId(request.params.taskId),
        decision,
        reason: reasonOf(request.body, decision),
      };
      const task = await answerCorrection(request.fhir, {
        principal: request.principal,
        answer,
        now: deps.clock.now(),
      });
      return { correction: correctionView(task) };
    });
  });
}
