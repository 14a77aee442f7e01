import type { Bundle, Patient, RelatedPerson } from '@medplum/fhirtypes';
import {
  actForPatient,
  grantPatientOf,
  grantScopeCodes,
  isGrantLive,
  isProxyGrant,
  liveGrantsHeldBy,
  mayActForOthers,
  scopeRepository,
  type Principal,
  type RequestContext,
} from '../access/index.ts';
import { absentUnlessUnavailable, ThroughlineError } from '../kernel/errors.ts';
import type { FhirRepository, SqlExecutor } from '../store/index.ts';

/** One person a caregiver may act for, as her portal's person switcher shows it. */
export interface Dependant {
  patient: string;
  name: string;
  /** The grant she acts by (`RelatedPerson/{id}`): she writes as it (a message's sender). */
  grant: string;
  /** What the dependant is to her ("your child"), from the grant's relationship. */
  relation: string;
  scope: string[];
  /** When the grant ends (ISO), if it does. */
  until?: string;
}

/** One grant about the patient herself, as her settings page lists it. */
export interface ProxyOfMine {
  grant: string;
  name: string;
  /** What the caregiver is to her ("Mother"). */
  relationship: string;
  scope: string[];
  until?: string;
  live: boolean;
}

/**
 * What the dependant is to the caregiver, from what the caregiver is to the dependant
 * (`RelatedPerson.relationship`, v3 RoleCode): a mother's dependant is her child.
 */
const DEPENDANT_IS: Record<string, string> = {
  MTH: 'your child',
  FTH: 'your child',
  PRN: 'your child',
  STPPRN: 'your stepchild',
  GRPRN: 'your grandchild',
  GUARD: 'in your care',
  SPS: 'your spouse',
  HUSB: 'your spouse',
  WIFE: 'your spouse',
  DOMPART: 'your partner',
  CHILD: 'your parent',
  SON: 'your parent',
  DAU: 'your parent',
};

const relationshipCodes = (grant: RelatedPerson) =>
  (grant.relationship ?? []).flatMap((concept) => concept.coding ?? []);

function relationOf(grant: RelatedPerson): string {
  const code = relationshipCodes(grant).find((coding) => coding.code && DEPENDANT_IS[coding.code]);
  return (code?.code && DEPENDANT_IS[code.code]) ?? 'in your care';
}

const nameOf = (person: { name?: Patient['name'] } | undefined, fallback: string) => {
  const name = person?.name?.[0];
  return name?.text ?? ([...(name?.given ?? []), name?.family].filter(Boolean).join(' ') || fallback);
};

/**
 * The people a caregiver may act for now (her live grants), each named by reading the
 * dependant's Patient as her proxy — through the checkpoint, so the read is audited as hers
 * on the dependant's behalf, and a grant that lets her read nothing names nobody.
 */
export async function dependantsOf(
  deps: { repository: FhirRepository; db: SqlExecutor; now: Date },
  caller: { principal: Principal; context: RequestContext },
): Promise<Dependant[]> {
  const { principal, context } = caller;
  if (!mayActForOthers(principal)) return [];
  const grants = await liveGrantsHeldBy(deps.repository, { account: principal.id, now: deps.now });
  const byPatient = Map.groupBy(grants, (grant) => grantPatientOf(grant) ?? '');
  const dependants: Dependant[] = [];
  for (const [patient, held] of byPatient) {
    const proxy = await actForPatient(deps.repository, { principal, patient, now: deps.now });
    const store = scopeRepository(deps.repository, { principal: proxy, context, auditDb: deps.db });
    const record = await store.read<Patient>('Patient', patient).catch(absentUnlessUnavailable);
    if (!record) continue;
    dependants.push({
      patient,
      name: nameOf(record, 'Someone in your care'),
      grant: proxy.proxyGrant ?? '',
      relation: relationOf(held[0]!),
      scope: [...new Set(held.flatMap(grantScopeCodes))],
      ...untilOf(held),
    });
  }
  return dependants;
}

/** The latest end of the grants (none when one of them has no end). */
function untilOf(grants: RelatedPerson[]): { until?: string } {
  if (grants.some((grant) => !grant.period?.end)) return {};
  const ends = grants.map((grant) => grant.period!.end!).sort();
  return { until: ends[ends.length - 1]! };
}

/** The grants about her (any of her linked records), read with her own store: her RelatedPersons. */
export async function proxiesOf(
  own: FhirRepository,
  request: { patients: string[]; now: Date },
): Promise<ProxyOfMine[]> {
  const bundle: Bundle = await own.search({
    resourceType: 'RelatedPerson',
    params: [
      ['patient', request.patients.map((id) => `Patient/${id}`).join(',')],
      ['_count', '100'],
    ],
  });
  return (bundle.entry ?? [])
    .map((entry) => entry.resource)
    .filter(isProxyGrant)
    .map((grant) => ({
      grant: grant.id ?? '',
      name: nameOf(grant, 'A caregiver'),
      relationship: relationshipCodes(grant)[0]?.display ?? grant.relationship?.[0]?.text ?? 'Proxy',
      scope: grantScopeCodes(grant),
      ...(grant.period?.end ? { until: grant.period.end } : {}),
      live: isGrantLive(grant, request.now),
    }));
}

/**
 * She ends a grant about herself: read with her own store (so only one of hers, else not
 * found), then ended by the portal's service store — the only writer of grants besides staff
 * (`proxy-grants`) — as `active: false` with `period.end` now, kept for the record.
 */
export async function revokeProxy(
  stores: { own: FhirRepository; service: FhirRepository },
  request: { grant: string; now: Date },
): Promise<RelatedPerson> {
  const grant = await stores.own.read<RelatedPerson>('RelatedPerson', request.grant);
  if (!isProxyGrant(grant))
    throw new ThroughlineError('NOT_FOUND', `RelatedPerson/${request.grant} is not a proxy grant`);
  const period = { ...grant.period, end: request.now.toISOString() };
  const ended = await stores.service.update<RelatedPerson>({ ...grant, active: false, period });
  return ended.resource;
}
