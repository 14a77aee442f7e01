import { Badge, Card, Group, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { formatDate } from '../../shared/fhir/format.ts';
import { ItemList } from './ItemList.tsx';
import { LabsSection } from './LabsSection.tsx';
import type { Patient360, ViewItem } from './view-types.ts';

/** Directory entries (organisations, locations, practitioners) ride along in "clinical": not summary. */
const CLINICAL_TYPES = [
  'Condition',
  'MedicationRequest',
  'MedicationStatement',
  'AllergyIntolerance',
  'Procedure',
  'Immunization',
  'CarePlan',
];

const only = (items: ViewItem[] | undefined, types: string[]) =>
  (items ?? []).filter((item) => types.includes(item.resourceType));

function Money({ label, amount, currency }: { label: string; amount: number; currency?: string }) {
  const formatted = new Intl.NumberFormat('en-US', { style: 'currency', currency: currency ?? 'USD' }).format(
    amount,
  );
  return (
    <Stack gap={0}>
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        {label}
      </Text>
      <Text fw={600}>{formatted}</Text>
    </Stack>
  );
}

function BillingCard({ view }: { view: Patient360 }) {
  const { billing } = view;
  if (!view.sections.billing?.length) return null;
  return (
    <Card component="section" aria-labelledby="billing-title">
      <Title order={2} size="h4" id="billing-title" mb="sm">
        Billing and insurance
      </Title>
      <SimpleGrid cols={{ base: 2, sm: 4 }}>
        <Money label="Billed" amount={billing.billed} currency={billing.currency} />
        <Money label="Paid by insurance" amount={billing.paidByInsurance} currency={billing.currency} />
        <Money label="Patient owes" amount={billing.patientResponsibility} currency={billing.currency} />
        <Stack gap={0}>
          <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
            Denied claims
          </Text>
          <Text fw={600} c={billing.deniedClaims > 0 ? 'red.9' : undefined}>
            {billing.deniedClaims}
          </Text>
        </Stack>
      </SimpleGrid>
    </Card>
  );
}

function SocialCard({ view }: { view: Patient360 }) {
  if (view.socialNeeds.length === 0) return null;
  return (
    <Card component="section" aria-labelledby="social-title">
      <Title order={2} size="h4" id="social-title" mb="sm">
        Social factors
      </Title>
      <Stack gap="xs">
        {view.socialNeeds.map((need) => (
          <Group key={need.reference} gap="sm" wrap="nowrap" align="flex-start">
            <Badge variant="light" color="violet" style={{ flexShrink: 0 }}>
              {need.need}
            </Badge>
            <Text size="sm">{need.outreach}</Text>
          </Group>
        ))}
      </Stack>
    </Card>
  );
}

function EngagementCard({ view }: { view: Patient360 }) {
  if (view.engagement.length === 0) return null;
  return (
    <Card component="section" aria-labelledby="engagement-title">
      <Title order={2} size="h4" id="engagement-title" mb="sm">
        Engagement
      </Title>
      <Stack gap={8}>
        {view.engagement.slice(0, 5).map((item) => (
          <Stack key={item.reference} gap={0}>
            <Group gap={6}>
              <Badge size="xs" variant="light">
                {item.channel ?? item.kind}
              </Badge>
              <Text size="xs" c="dimmed">
                {item.direction === 'inbound' ? 'from patient' : 'to patient'} · {item.status} ·{' '}
                {formatDate(item.date)}
              </Text>
            </Group>
            {(item.text || item.response) && (
              <Text size="sm" lineClamp={2}>
                {item.text}
                {item.response && ` — replied “${item.response}”`}
              </Text>
            )}
          </Stack>
        ))}
      </Stack>
    </Card>
  );
}

/** The 360° sections, each shown only when the caller's answer has it (no empty holes). */
export function SummarySections({ view }: { view: Patient360 }) {
  const { sections } = view;
  return (
    <Stack>
      <ItemList title="Clinical summary" items={only(sections.clinical, CLINICAL_TYPES)} />
      <LabsSection view={view} />
      <ItemList title="Appointments" items={sections.appointments ?? []} limit={4} />
      <BillingCard view={view} />
      <ItemList title="Patient-reported" items={sections['patient-reported'] ?? []} limit={4} />
      <SocialCard view={view} />
      <EngagementCard view={view} />
    </Stack>
  );
}
