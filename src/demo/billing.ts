import type {
  Claim,
  CodeableConcept,
  Coverage,
  Encounter,
  ExplanationOfBenefit,
  Money,
  Organization,
} from '@medplum/fhirtypes';
import { dateOf, emit, ref, type ClinicContext, type Stored } from './clinic-context.ts';
import type { Journey } from './journey-state.ts';
import type { Visit } from './visits.ts';
import { visitTypes } from './vocabulary/clinical-codes.ts';
import { concept, systems } from './vocabulary/terminology.ts';

const usd = (value: number): Money => ({ value: Math.round(value * 100) / 100, currency: 'USD' });

/** The person's health plan; about one in twelve has none and pays themselves (no claims). */
export function recordCoverage(ctx: ClinicContext, journey: Journey): Stored<Coverage> | undefined {
  if (ctx.random.chance(0.08)) return undefined;
  const payor = ctx.random.weighted([
    [ctx.directory.insurers[0]!, 50],
    [ctx.directory.insurers[1]!, 30],
    [ctx.directory.insurers[2]!, 20],
  ]);
  return emit<Coverage>(ctx, {
    resourceType: 'Coverage',
    status: 'active',
    type: concept(systems.actCode, 'HIP', 'health insurance plan policy'),
    subscriberId: `${payor.name?.slice(0, 2).toUpperCase()}${ctx.random.int(10_000_000, 99_999_999)}`,
    beneficiary: ref(journey.gp),
    relationship: concept(systems.subscriberRelationship, 'self', 'Self'),
    period: { start: `${ctx.now.getUTCFullYear() - ctx.random.int(0, 4)}-01-01` },
    payor: [ref(payor, payor.name)],
    costToBeneficiary: [
      {
        type: concept(systems.copayType, 'gpvisit', 'GP Office Visit'),
        valueMoney: usd(ctx.random.pick([0, 10, 20, 25])),
      },
    ],
  });
}

const adjudication = (code: string, display: string, value: number) => ({
  category: concept(systems.adjudication, code, display),
  amount: usd(value),
});

interface Billed {
  coverage: Stored<Coverage>;
  payer: Stored<Organization>;
  service: CodeableConcept;
  fee: number;
  at: string;
  common: Pick<Claim, 'status' | 'type' | 'use' | 'patient' | 'created' | 'provider' | 'billablePeriod'>;
}

/** The GP's claim for a visit and the payer's ExplanationOfBenefit with what it paid. */
export function recordClaim(ctx: ClinicContext, journey: Journey, visit: Visit): void {
  const { encounter, start: at } = visit;
  const coverage = journey.coverage;
  if (!coverage) return;
  const visitType = ctx.random.pick(visitTypes);
  const payer =
    ctx.directory.insurers.find((insurer) => coverage.payor[0]?.reference === `Organization/${insurer.id}`) ??
    (ctx.directory.insurers[0] as Stored<Organization>);
  const common: Billed['common'] = {
    status: 'active',
    type: concept(systems.claimType, 'professional', 'Professional'),
    use: 'claim',
    patient: ref(journey.gp),
    created: at,
    provider: ref(ctx.directory.organizations.gp),
    billablePeriod: { start: dateOf(at), end: dateOf(at) },
  };
  const service = concept(systems.cpt, visitType.cpt, visitType.display);
  const billed: Billed = { coverage, payer, service, fee: visitType.fee, at, common };
  recordExplanationOfBenefit(ctx, billed, emitClaim(ctx, billed, encounter));
}

function emitClaim(ctx: ClinicContext, billed: Billed, encounter: Stored<Encounter>): Stored<Claim> {
  const line = { sequence: 1, productOrService: billed.service, servicedDate: dateOf(billed.at) };
  return emit<Claim>(ctx, {
    resourceType: 'Claim',
    ...billed.common,
    priority: concept(systems.processPriority, 'normal', 'Normal'),
    insurer: ref(billed.payer),
    insurance: [{ sequence: 1, focal: true, coverage: ref(billed.coverage) }],
    item: [{ ...line, encounter: [ref(encounter)], unitPrice: usd(billed.fee), net: usd(billed.fee) }],
    total: usd(billed.fee),
  });
}

/** The payer's answer: allowed amount, the patient's copay, and the benefit paid (none if denied). */
function recordExplanationOfBenefit(ctx: ClinicContext, billed: Billed, claim: Stored<Claim>): void {
  const copay = billed.coverage.costToBeneficiary?.[0]?.valueMoney?.value ?? 0;
  const allowed = Math.round(billed.fee * ctx.random.around(0.8, 0.1));
  const denied = ctx.random.chance(0.05);
  const benefit = denied ? 0 : Math.max(allowed - copay, 0);
  emit<ExplanationOfBenefit>(ctx, {
    resourceType: 'ExplanationOfBenefit',
    ...billed.common,
    insurer: ref(billed.payer),
    claim: ref(claim),
    outcome: 'complete',
    disposition: denied ? 'Denied: service not covered under plan' : 'Claim settled as per contract',
    insurance: [{ focal: true, coverage: ref(billed.coverage) }],
    item: [
      {
        sequence: 1,
        productOrService: billed.service,
        servicedDate: dateOf(billed.at),
        adjudication: [
          adjudication('submitted', 'Submitted Amount', billed.fee),
          adjudication('eligible', 'Eligible Amount', denied ? 0 : allowed),
          adjudication('copay', 'CoPay', copay),
          adjudication('benefit', 'Benefit Amount', benefit),
        ],
      },
    ],
    total: [
      adjudication('submitted', 'Submitted Amount', billed.fee),
      adjudication('benefit', 'Benefit Amount', benefit),
    ],
    payment: { amount: usd(benefit) },
  });
}
