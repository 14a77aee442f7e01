import type { Patient, Resource } from '../../shared/fhir/types.ts';

// The answer of `GET /api/patients/{id}/360` (src/journey/view/build-patient-360.ts), as read here.
export interface ViewItem {
  reference: string;
  resourceType: string;
  date: string;
  source?: string;
  resource: Resource;
}

export interface AttentionItem {
  kind: string;
  text: string;
  date?: string;
  reference: string;
}

export interface LabTrend {
  code: string;
  display: string;
  points: { date: string; value?: number; unit?: string; flag?: string }[];
}

export interface JourneyStage {
  journey: string;
  title: string;
  stage: string;
  display: string;
  since: string;
  daysInStage: number;
}

export interface PossibleDuplicate {
  task: string;
  score: number;
  agreeing: { field: string; level: string; weight: number }[];
  record: string;
  candidate: { reference: string; name?: string; birthDate?: string; telecom: string[]; source?: string };
}

export interface EngagementItem {
  reference: string;
  date: string;
  kind: string;
  channel?: string;
  direction: 'inbound' | 'outbound';
  status: string;
  response?: string;
  text?: string;
}

export interface Patient360 {
  person: {
    golden?: Patient;
    records: { patient: Patient; source?: string }[];
    contact: { language?: string; channel?: string; consent: Record<string, 'permit' | 'deny'> };
  };
  needsAttention: AttentionItem[];
  attentionCounts: Record<string, number>;
  possibleDuplicates: PossibleDuplicate[];
  sections: Record<string, ViewItem[]>;
  labTrends: LabTrend[];
  socialNeeds: { need: string; outreach: string; reference: string }[];
  billing: {
    currency?: string;
    billed: number;
    paidByInsurance: number;
    patientResponsibility: number;
    deniedClaims: number;
  };
  engagement: EngagementItem[];
  journey: { stages: JourneyStage[]; painPoints: { rule: string; text: string; since?: string }[] };
  counts: Record<string, number>;
}

export interface TimelineEvent {
  date: string;
  category: string;
  reference: string;
  source?: string;
  resource: Resource;
}
