import { Alert, SegmentedControl, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { QueryState } from '../../shared/ui/QueryState.tsx';
import { RecordList } from './RecordLists.tsx';
import { ResultCard } from './ResultCard.tsx';
import { seriesOf, type Observation } from './results.ts';
import { useSearch } from './use-health.ts';

function Results({ category }: { category: 'laboratory' | 'vital-signs' }) {
  const query = useSearch<Observation>('Observation', { category, _sort: '-date' });
  return (
    <QueryState
      query={query}
      isEmpty={(data) => data.length === 0}
      empty="No results yet. They appear here once the clinic has them."
    >
      {(observations) => (
        <Stack gap="sm">
          {seriesOf(observations).map((series) => (
            <ResultCard key={series.code} series={series} />
          ))}
        </Stack>
      )}
    </QueryState>
  );
}

/**
 * "My health": results with their reference ranges and flags, trends, and the record's lists.
 * Only what the server lets a patient read arrives; the page is laid out from that.
 */
export function HealthPage() {
  const [category, setCategory] = useState<'laboratory' | 'vital-signs'>('laboratory');
  return (
    <Stack gap="lg">
      <Title order={1} size="h2">
        My health
      </Title>
      <Stack gap="sm" component="section" aria-label="Results">
        <Title order={2} size="h4">
          Results
        </Title>
        <SegmentedControl
          value={category}
          onChange={(value) => setCategory(value as typeof category)}
          data={[
            { value: 'laboratory', label: 'Tests' },
            { value: 'vital-signs', label: 'Measurements' },
          ]}
          aria-label="Which results"
        />
        <Alert color="blue" variant="light">
          <Text size="sm">
            A result outside the reference range is not a diagnosis by itself. Your clinician looks at your
            results together; ask them in a message if you have questions.
          </Text>
        </Alert>
        <Results category={category} />
      </Stack>
      <RecordList
        title="Medications"
        types={['MedicationRequest', 'MedicationStatement']}
        empty="No medications on record."
      />
      <RecordList title="Allergies" types={['AllergyIntolerance']} empty="No allergies on record." />
      <RecordList title="Health problems" types={['Condition']} empty="No health problems on record." />
      <RecordList title="Vaccinations" types={['Immunization']} empty="No vaccinations on record." />
    </Stack>
  );
}
