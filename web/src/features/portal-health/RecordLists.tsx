import { Card, List, Stack, Text, Title } from '@mantine/core';
import { conceptText, formatDate } from '../../shared/fhir/format.ts';
import type { CodeableConcept, Resource } from '../../shared/fhir/types.ts';
import { CorrectThisLink } from '../../shared/ui/CorrectThisLink.tsx';
import { QueryState } from '../../shared/ui/QueryState.tsx';
import { useSearch } from './use-health.ts';

interface Line {
  id: string;
  title: string;
  detail?: string;
}

const get = <T,>(resource: Resource, name: string) => resource[name] as T | undefined;
const text = (resource: Resource, name: string) => conceptText(get<CodeableConcept>(resource, name));

/** How each kind of record reads as one line: what it is, and the detail a patient looks for. */
const LINES: Record<string, (r: Resource) => Omit<Line, 'id'>> = {
  MedicationRequest: (r) => ({
    title: text(r, 'medicationCodeableConcept') ?? 'Medication',
    detail: get<{ text?: string }[]>(r, 'dosageInstruction')?.[0]?.text ?? get<string>(r, 'status'),
  }),
  MedicationStatement: (r) => ({
    title: text(r, 'medicationCodeableConcept') ?? 'Medication',
    detail: get<{ text?: string }[]>(r, 'dosage')?.[0]?.text ?? get<string>(r, 'status'),
  }),
  AllergyIntolerance: (r) => ({
    title: text(r, 'code') ?? 'Allergy',
    detail: conceptText(get<{ manifestation?: CodeableConcept[] }[]>(r, 'reaction')?.[0]?.manifestation?.[0]),
  }),
  Immunization: (r) => ({
    title: text(r, 'vaccineCode') ?? 'Vaccination',
    detail: formatDate(get<string>(r, 'occurrenceDateTime')),
  }),
  Condition: (r) => ({
    title: text(r, 'code') ?? 'Health problem',
    detail: [
      text(r, 'clinicalStatus'),
      formatDate(get<string>(r, 'recordedDate') ?? get<string>(r, 'onsetDateTime')),
    ]
      .filter((part) => part && part !== '—')
      .join(' · '),
  }),
};

function linesOf(resources: Resource[]): Line[] {
  return resources.map((r) => ({ id: `${r.resourceType}/${r.id}`, ...LINES[r.resourceType]!(r) }));
}

/** A list of one or two kinds of record (medications are requests and statements). */
export function RecordList({ title, types, empty }: { title: string; types: string[]; empty: string }) {
  const first = useSearch(types[0]!, {});
  const second = useSearch(types[1] ?? types[0]!, {});
  const query = {
    isPending: first.isPending || second.isPending,
    error: first.error ?? second.error,
    data: first.data && second.data ? [...first.data, ...(types[1] ? second.data : [])] : undefined,
  };
  return (
    <Stack gap="xs" component="section" aria-label={title}>
      <Title order={2} size="h4">
        {title}
      </Title>
      <QueryState query={query} height={60} isEmpty={(data) => data.length === 0} empty={empty}>
        {(resources) => (
          <Card padding="md">
            <List spacing="xs" listStyleType="none">
              {linesOf(resources).map((line) => (
                <List.Item key={line.id}>
                  <Text fw={600}>{line.title}</Text>
                  {line.detail && (
                    <Text size="sm" c="dimmed">
                      {line.detail}
                    </Text>
                  )}
                  <CorrectThisLink focus={line.id} what={line.title} />
                </List.Item>
              ))}
            </List>
          </Card>
        )}
      </QueryState>
    </Stack>
  );
}
