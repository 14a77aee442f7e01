import { Anchor, Badge, Card, CloseButton, Group, Stack, Text, Title } from '@mantine/core';
import { Link } from 'wouter';
import { formatDate, idOf } from '../../shared/fhir/format.ts';
import { displayName, useReferenced } from '../../shared/fhir/use-names.ts';
import type { Patient } from '../../shared/fhir/types.ts';
import { QueryState } from '../../shared/ui/QueryState.tsx';
import { useStageMembers, type CohortFilter, type StageMember } from './use-cohort.ts';

function MemberList({ members }: { members: StageMember[] }) {
  const patients = useReferenced<Patient>(
    'Patient',
    members.map((member) => member.patient),
  );
  return (
    <Stack gap={6} component="ul" p={0} m={0} style={{ listStyle: 'none' }}>
      {members.map((member) => (
        <Group
          key={member.patient}
          component="li"
          justify="space-between"
          wrap="wrap"
          gap="xs"
          data-testid="stage-member"
        >
          <Anchor component={Link} href={`/patients/${idOf(member.patient)}`} size="sm" fw={600}>
            {displayName(patients.data?.get(member.patient)) ?? 'Patient'}
          </Anchor>
          <Group gap="xs">
            <Text size="xs" c="dimmed">
              since {formatDate(member.since)}
            </Text>
            {member.stalled && (
              <Badge color="red" variant="light" size="sm">
                stalled
              </Badge>
            )}
          </Group>
        </Group>
      ))}
    </Stack>
  );
}

/** Who is in the chosen stage now, to call or book: the funnel's numbers one click from people. */
export function StageMembers(props: {
  filter: CohortFilter;
  stage: { code: string; display: string };
  onClose: () => void;
}) {
  const members = useStageMembers(props.filter, props.stage.code);
  return (
    <Card padding="md" data-testid="stage-members">
      <Group justify="space-between" mb="sm">
        <Title order={2} size="h4">
          In “{props.stage.display}” now
        </Title>
        <CloseButton aria-label="Close the patient list" onClick={props.onClose} />
      </Group>
      <QueryState
        query={members}
        height={120}
        isEmpty={(data) => data.length === 0}
        empty="Nobody is in this stage now."
      >
        {(data) => <MemberList members={data} />}
      </QueryState>
    </Card>
  );
}
