import { systems } from './terminology.ts';

/** A chronic condition with its SNOMED CT and ICD-10-CM codes and what follows from it. */
export interface ConditionDefinition {
  key: string;
  snomed: [code: string, display: string];
  icd10: [code: string, display: string];
  /** Share of adults aged 40+ who have it (younger adults: half of that). */
  prevalence: number;
  medications: string[];
  labs: string[];
  /** Specialty (SNOMED practice setting) a GP refers to when it is not controlled. */
  specialty: [code: string, display: string];
}

export const conditions: ConditionDefinition[] = [
  {
    key: 'diabetes',
    snomed: ['44054006', 'Diabetes mellitus type 2'],
    icd10: ['E11.9', 'Type 2 diabetes mellitus without complications'],
    prevalence: 0.14,
    medications: ['metformin'],
    labs: ['hba1c', 'glucose', 'egfr', 'ldl'],
    specialty: ['394583002', 'Endocrinology'],
  },
  {
    key: 'hypertension',
    snomed: ['38341003', 'Hypertensive disorder, systemic arterial'],
    icd10: ['I10', 'Essential (primary) hypertension'],
    prevalence: 0.3,
    medications: ['lisinopril', 'amlodipine'],
    labs: ['egfr'],
    specialty: ['394579002', 'Cardiology'],
  },
  {
    key: 'asthma',
    snomed: ['195967001', 'Asthma'],
    icd10: ['J45.909', 'Unspecified asthma, uncomplicated'],
    prevalence: 0.08,
    medications: ['albuterol', 'fluticasone'],
    labs: [],
    specialty: ['418112009', 'Pulmonary medicine'],
  },
  {
    key: 'hyperlipidemia',
    snomed: ['55822004', 'Hyperlipidemia'],
    icd10: ['E78.5', 'Hyperlipidemia, unspecified'],
    prevalence: 0.2,
    medications: ['atorvastatin'],
    labs: ['ldl'],
    specialty: ['394579002', 'Cardiology'],
  },
  {
    key: 'ckd',
    snomed: ['433144002', 'Chronic kidney disease stage 3'],
    icd10: ['N18.30', 'Chronic kidney disease, stage 3 unspecified'],
    prevalence: 0.05,
    medications: [],
    labs: ['egfr'],
    specialty: ['394589003', 'Nephrology'],
  },
  {
    key: 'hypothyroidism',
    snomed: ['40930008', 'Hypothyroidism'],
    icd10: ['E03.9', 'Hypothyroidism, unspecified'],
    prevalence: 0.06,
    medications: ['levothyroxine'],
    labs: [],
    specialty: ['394583002', 'Endocrinology'],
  },
];

/** RxNorm clinical drugs with a typical dosage instruction. */
export const medications: Record<string, { rxnorm: string; display: string; dosage: string }> = {
  metformin: {
    rxnorm: '861007',
    display: 'metformin hydrochloride 500 MG Oral Tablet',
    dosage: '500 mg twice daily with meals',
  },
  lisinopril: { rxnorm: '314076', display: 'lisinopril 10 MG Oral Tablet', dosage: '10 mg once daily' },
  amlodipine: { rxnorm: '197361', display: 'amlodipine 5 MG Oral Tablet', dosage: '5 mg once daily' },
  atorvastatin: {
    rxnorm: '617310',
    display: 'atorvastatin 20 MG Oral Tablet',
    dosage: '20 mg once daily at night',
  },
  albuterol: {
    rxnorm: '745679',
    display: '200 ACTUAT albuterol 0.09 MG/ACTUAT Metered Dose Inhaler',
    dosage: '2 puffs as needed',
  },
  fluticasone: {
    rxnorm: '895994',
    display: '120 ACTUAT fluticasone propionate 0.044 MG/ACTUAT Metered Dose Inhaler',
    dosage: '2 puffs twice daily',
  },
  levothyroxine: {
    rxnorm: '966222',
    display: 'levothyroxine sodium 0.05 MG Oral Tablet',
    dosage: '50 mcg once daily before breakfast',
  },
};

/** A lab test: LOINC code, UCUM unit and the reference range that drives the H/L flag. */
export interface LabDefinition {
  loinc: string;
  display: string;
  unit: string;
  low?: number;
  high?: number;
  /** Typical value for a healthy person and for one with the related condition. */
  normal: number;
  affected: number;
  spread: number;
  decimals: number;
}

export const labs: Record<string, LabDefinition> = {
  hba1c: {
    loinc: '4548-4',
    display: 'Hemoglobin A1c/Hemoglobin.total in Blood',
    unit: '%',
    high: 5.7,
    normal: 5.2,
    affected: 7.6,
    spread: 1.2,
    decimals: 1,
  },
  glucose: {
    loinc: '2345-7',
    display: 'Glucose [Mass/volume] in Serum or Plasma',
    unit: 'mg/dL',
    low: 70,
    high: 99,
    normal: 88,
    affected: 150,
    spread: 35,
    decimals: 0,
  },
  ldl: {
    loinc: '13457-7',
    display: 'Cholesterol in LDL [Mass/volume] in Serum or Plasma by calculation',
    unit: 'mg/dL',
    high: 100,
    normal: 92,
    affected: 148,
    spread: 30,
    decimals: 0,
  },
  egfr: {
    loinc: '33914-3',
    display:
      'Glomerular filtration rate/1.73 sq M.predicted [Volume Rate/Area] in Serum or Plasma by Creatinine-based formula (MDRD)',
    unit: 'mL/min/{1.73_m2}',
    low: 60,
    normal: 92,
    affected: 48,
    spread: 14,
    decimals: 0,
  },
  hemoglobin: {
    loinc: '718-7',
    display: 'Hemoglobin [Mass/volume] in Blood',
    unit: 'g/dL',
    low: 12,
    high: 17.5,
    normal: 14,
    affected: 10.9,
    spread: 1.2,
    decimals: 1,
  },
  tsh: {
    loinc: '3016-3',
    display: 'Thyrotropin [Units/volume] in Serum or Plasma',
    unit: 'm[IU]/L',
    low: 0.4,
    high: 4.0,
    normal: 1.9,
    affected: 6.5,
    spread: 1.2,
    decimals: 2,
  },
};

/** The panel the lab reports a visit's tests under (DiagnosticReport.code). */
export const labPanel = {
  system: systems.loinc,
  code: '24323-8',
  display: 'Comprehensive metabolic 2000 panel - Serum or Plasma',
};

/** Visit types a GP bills (CPT) and books (v2-0276 appointment reason). */
export const visitTypes = [
  {
    cpt: '99213',
    display: 'Office or other outpatient visit, established patient, low complexity',
    reason: 'FOLLOWUP',
    fee: 135,
  },
  {
    cpt: '99214',
    display: 'Office or other outpatient visit, established patient, moderate complexity',
    reason: 'ROUTINE',
    fee: 190,
  },
  {
    cpt: '99396',
    display: 'Periodic comprehensive preventive medicine, established patient, 40-64 years',
    reason: 'CHECKUP',
    fee: 240,
  },
] as const;
