import type { FastifyInstance } from 'fastify';
import {
  decideCell,
  loadRoleMatrix,
  mayPerform,
  type Interaction,
  type PlatformOperation,
  scopesAllow,
  type Principal,
} from '../../access/index.ts';
import type { ServerDeps } from '../server-deps.ts';
import { authenticate } from './auth-hook.ts';

/** The resource types whose actions the staff app offers or withholds. */
const TYPES = [
  'Appointment',
  'Slot',
  'Encounter',
  'Communication',
  'Task',
  'Observation',
  'Condition',
  'Patient',
];
const INTERACTIONS: Interaction[] = ['c', 'r', 'u', 'd', 's'];

/**
 * The interaction letters the caller has on a type for any patient: granted to one of their
 * roles by the matrix and within their SMART scopes (which narrow, never widen).
 */
function lettersOf(principal: Principal, resourceType: string): string {
  const matrix = loadRoleMatrix();
  return INTERACTIONS.filter(
    (interaction) =>
      scopesAllow(principal.scopes, resourceType, interaction) &&
      principal.roles.some(
        (role) =>
          decideCell(matrix, role, { resourceType, interaction, relation: 'any', patientData: true }) !==
          'deny',
      ),
  ).join('');
}

/**
 * `GET /api/me`: who is signed in and what their roles let them do — the platform operations
 * and the interactions per resource type — so the web app offers only what the server would
 * allow (it still decides every call: this is a courtesy, not the check).
 */
export function registerMeRoutes(app: FastifyInstance, deps: ServerDeps): void {
  app.register(async (routes) => {
    routes.addHook('preHandler', authenticate(deps));
    routes.get('/api/me', async (request) => {
      const { principal } = request;
      const matrix = loadRoleMatrix();
      const operations = Object.keys(matrix.operations).filter((operation) =>
        mayPerform(principal, operation as PlatformOperation),
      );
      return {
        id: principal.id,
        display: principal.display,
        roles: principal.roles,
        // As the clinic names them ("Front desk"), in the order of `roles`.
        roleDisplays: principal.roles.map((role) => matrix.roles[role]?.display ?? role),
        operations,
        resources: Object.fromEntries(TYPES.map((type) => [type, lettersOf(principal, type)])),
      };
    });
  });
}
