import { Anchor, List, Modal, SegmentedControl, Select, Stack, Text } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { useState } from 'react';
import { Link } from 'wouter';
import { QueryState } from '../../shared/ui/QueryState.tsx';
import { useKpiPatients } from './use-kpi-choices.ts';
import { formatFigure, type Kpi, type KpiBucket } from './use-kpis.ts';

/** What each set is, in the manager's words, per kind of KPI (a median's members are those measured). */
function setLabels(kind: Kpi['kind']) {
  if (kind === 'rate')
    return [
      { value: 'numerator', label: 'Counted in the rate' },
      { value: 'denominator', label: 'All considered' },
    ];
  return [{ value: 'numerator', label: kind === 'median' ? 'Measured' : 'Counted' }];
}

/** The dialog's title says which list it shows: a rate's numerator, or all it considered. */
const whoseList = { numerator: 'the patients behind', denominator: 'all the patients considered for' };

/**
 * The patients behind one figure (its bucket's drill-down link, which carries the page's filters),
 * each a link to their 360 view. The server reads them as the caller: whom they may not see is
 * left out, so the list can be shorter than the figure's total, and it shows at most 200.
 */
export function KpiPatients(props: { kpi: Kpi; bucket?: string; onBucket: (key?: string) => void }) {
  const { kpi, onBucket } = props;
  const [set, setSet] = useState<'numerator' | 'denominator'>('numerator');
  const phone = useMediaQuery('(max-width: 36em)');
  const bucket: KpiBucket | undefined = kpi.buckets.find((each) => each.bucket === props.bucket);
  const labels = setLabels(kpi.kind);
  return (
    <Modal
      opened={bucket !== undefined}
      onClose={() => onBucket(undefined)}
      fullScreen={phone}
      closeButtonProps={{ 'aria-label': 'Close the list' }}
      title={`${kpi.title}: ${whoseList[set]} ${formatFigure(kpi.kind, bucket?.value)}`}
    >
      <Stack gap="sm" data-testid="kpi-patients">
        <Select
          label="Period"
          allowDeselect={false}
          data={kpi.buckets.map((each) => ({
            value: each.bucket,
            label: `${each.bucket}: ${formatFigure(kpi.kind, each.value)}`,
          }))}
          value={bucket?.bucket ?? null}
          onChange={(key) => onBucket(key ?? undefined)}
        />
        {labels.length > 1 && (
          <SegmentedControl
            aria-label="Which patients"
            value={set}
            onChange={(value) => setSet(value as typeof set)}
            data={labels}
          />
        )}
        <PatientList link={bucket?.patients} set={set} />
      </Stack>
    </Modal>
  );
}

/** The patients of one set, each a link to their 360 view; how many the figure counts in all. */
function PatientList({ link, set }: { link?: string; set: 'numerator' | 'denominator' }) {
  const patients = useKpiPatients(link, set);
  return (
    <QueryState query={patients} isEmpty={(data) => data.total === 0} empty="No patients behind this figure.">
      {(data) => (
        <>
          <Text size="sm" data-testid="kpi-patients-total">
            {data.total} {data.total === 1 ? 'patient' : 'patients'}
            {data.patients.length < data.total
              ? ` (${data.patients.length} shown: those you may see, at most 200)`
              : ''}
          </Text>
          <List spacing={4} size="sm" listStyleType="none">
            {data.patients.map((patient) => (
              <List.Item key={patient.id}>
                <Anchor component={Link} href={`/patients/${patient.id}`}>
                  {patient.name ?? patient.id}
                </Anchor>
                {patient.birthDate && (
                  <Text span size="xs" c="dimmed">
                    {' '}
                    · born {patient.birthDate}
                  </Text>
                )}
              </List.Item>
            ))}
          </List>
        </>
      )}
    </QueryState>
  );
}
