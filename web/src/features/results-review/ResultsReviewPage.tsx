import { Alert, Button, Table, Text } from '@mantine/core';
import { Link } from 'wouter';
import { formatDateTime } from '../../shared/fhir/format.ts';
import { PageHeader } from '../../shared/ui/PageHeader.tsx';
import { QueryState } from '../../shared/ui/QueryState.tsx';
import { useHeldResults, useRelease, type HeldResult } from './use-results-review.ts';

/**
 * Results to review (issue 20): final results the clinic holds back from the patient
 * (`RESULT_HOLD_*`) until a clinician releases them or the hold ends. Release lets her see the
 * result at once and sends its results-ready notice. Shown to roles granted `results-release`.
 */
export default function ResultsReviewPage() {
  const held = useHeldResults();
  const release = useRelease();
  return (
    <>
      <PageHeader
        title="Results to review"
        description="Results held from the patient's portal until you release them or the hold period ends."
      />
      {release.isError && (
        <Alert color="red" mb="md" title="Not released">
          {release.error.message}
        </Alert>
      )}
      <QueryState
        query={held}
        height={240}
        isEmpty={(data) => data.results.length === 0}
        empty="No results on hold. Results wait here only when the clinic has set a review period; otherwise patients see them as soon as they are final."
      >
        {(data) => (
          <div
            className="tl-scroll-x"
            tabIndex={0}
            role="region"
            aria-label="Results to review (scrolls sideways)"
          >
            <Table verticalSpacing={6} fz="sm" striped>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Patient</Table.Th>
                  <Table.Th>Result</Table.Th>
                  <Table.Th>Released on its own</Table.Th>
                  <Table.Th>Action</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {data.results.map((item) => (
                  <HeldRow
                    key={item.result}
                    item={item}
                    onRelease={() => release.mutate(item.result)}
                    busy={release.isPending && release.variables === item.result}
                  />
                ))}
              </Table.Tbody>
            </Table>
          </div>
        )}
      </QueryState>
    </>
  );
}

function HeldRow(props: { item: HeldResult; onRelease: () => void; busy: boolean }) {
  const { item } = props;
  const patientId = item.patient?.replace(/^Patient\//, '');
  return (
    <Table.Tr>
      <Table.Td>
        {patientId ? <Link to={`/patients/${patientId}`}>{item.patientName ?? item.patient}</Link> : '—'}
      </Table.Td>
      <Table.Td>
        <Text size="sm" fw={600}>
          {item.title}
        </Text>
        {item.issued && <Text size="xs" c="dimmed">{`Issued ${formatDateTime(item.issued)}`}</Text>}
      </Table.Td>
      <Table.Td>{formatDateTime(item.heldUntil)}</Table.Td>
      <Table.Td>
        <Button
          size="xs"
          onClick={props.onRelease}
          loading={props.busy}
          aria-label={`Release ${item.title} for ${item.patientName ?? 'the patient'}`}
        >
          Release
        </Button>
      </Table.Td>
    </Table.Tr>
  );
}
