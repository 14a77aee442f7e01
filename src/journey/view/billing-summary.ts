import type { ExplanationOfBenefit, Resource } from '@medplum/fhirtypes';

export interface BillingSummary {
  currency?: string;
  billed: number;
  paidByInsurance: number;
  /** Billed minus what insurers paid: what the patient owes until payments are recorded. */
  patientResponsibility: number;
  deniedClaims: number;
}

/** Totals over the person's explanations of benefit (adjudicated claims). */
export function billingSummary(resources: Resource[]): BillingSummary {
  const summary: BillingSummary = {
    billed: 0,
    paidByInsurance: 0,
    patientResponsibility: 0,
    deniedClaims: 0,
  };
  for (const eob of resources.filter(
    (r): r is ExplanationOfBenefit => r.resourceType === 'ExplanationOfBenefit',
  )) {
    const total = (category: string) =>
      (eob.total ?? []).find((t) => t.category.coding?.some((coding) => coding.code === category))?.amount;
    const billed = total('submitted');
    summary.currency ??= billed?.currency;
    summary.billed += billed?.value ?? 0;
    summary.paidByInsurance += eob.payment?.amount?.value ?? total('benefit')?.value ?? 0;
    if (/denied/i.test(eob.disposition ?? '')) summary.deniedClaims++;
  }
  summary.billed = round(summary.billed);
  summary.paidByInsurance = round(summary.paidByInsurance);
  summary.patientResponsibility = round(Math.max(summary.billed - summary.paidByInsurance, 0));
  return summary;
}

const round = (value: number) => Math.round(value * 100) / 100;
