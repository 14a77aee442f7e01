import { Box, Group, Progress, Table, Text, Tooltip, UnstyledButton } from '@mantine/core';
import type { Cohort, StageFunnel } from './use-cohort.ts';

const percent = (value: number) => `${Math.round(value * 100)}%`;

function StageLine(props: { stage: StageFunnel; patients: number; onSelect: (stage: StageFunnel) => void }) {
  const { stage, patients, onSelect } = props;
  const top = Math.max(patients, 1);
  return (
    <Table.Tr>
      <Table.Td>
        <UnstyledButton
          onClick={() => onSelect(stage)}
          aria-label={`${stage.display}: list the ${stage.current} patients in it now`}
        >
          <Text size="sm" fw={600} c="teal.9" td="underline">
            {stage.display}
          </Text>
        </UnstyledButton>
      </Table.Td>
      <Table.Td>
        <Group gap="xs" wrap="nowrap">
          <Box w={180}>
            <Tooltip label={`${stage.reached} of ${patients} patients`}>
              <Progress
                value={(stage.reached / top) * 100}
                size="lg"
                color="teal"
                aria-label={`${stage.display}: ${stage.reached} reached`}
              />
            </Tooltip>
          </Box>
          <Text size="sm">{stage.reached}</Text>
        </Group>
      </Table.Td>
      <Table.Td ta="right">{stage.current}</Table.Td>
      <Table.Td ta="right">{percent(stage.conversion)}</Table.Td>
      <Table.Td ta="right">
        <Text size="sm" c={stage.stalled > 0 ? 'red.9' : undefined} fw={stage.stalled > 0 ? 600 : 400}>
          {stage.stalled}
        </Text>
      </Table.Td>
      <Table.Td ta="right">
        {Math.round(stage.daysInStage.median)} / {Math.round(stage.daysInStage.p90)}
      </Table.Td>
    </Table.Tr>
  );
}

/** Stage by stage: how many reached it, are in it now, moved on, or are stalled, and for how long. */
export function Funnel({ cohort, onSelect }: { cohort: Cohort; onSelect: (stage: StageFunnel) => void }) {
  return (
    // Six columns do not fit a phone: the funnel scrolls sideways in a focusable region.
    <div className="tl-scroll-x" tabIndex={0} role="region" aria-label="Funnel (scrolls sideways)">
      <Table verticalSpacing="sm" aria-label="Journey funnel by stage" data-testid="funnel" miw={640}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th w="28%">Stage</Table.Th>
            <Table.Th>Reached</Table.Th>
            <Table.Th ta="right">In stage now</Table.Th>
            <Table.Th ta="right">Moved on</Table.Th>
            <Table.Th ta="right">Stalled</Table.Th>
            <Table.Th ta="right">Days in stage (median / p90)</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {cohort.stages.map((stage) => (
            <StageLine key={stage.stage} stage={stage} patients={cohort.patients} onSelect={onSelect} />
          ))}
        </Table.Tbody>
      </Table>
    </div>
  );
}
