import { Badge, NativeSelect, Tabs } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import type { WorklistSummary } from './use-worklists.ts';

interface PickerProps {
  worklists: WorklistSummary[];
  active: string;
  onChange: (name: string) => void;
}

/**
 * Which list is open, each with its count: tabs on a wide screen; on a phone one select, since
 * the ten tabs filled the first screen and pushed the work itself below it. Decided on the first
 * render (not in an effect), so a phone never flashes the tabs.
 */
export function WorklistPicker({ worklists, active, onChange }: PickerProps) {
  const phone = useMediaQuery('(max-width: 48em)', undefined, { getInitialValueInEffect: false });
  if (phone)
    return (
      <NativeSelect
        label="Worklist"
        mb="sm"
        value={active}
        onChange={(event) => onChange(event.currentTarget.value)}
        data={worklists.map((list) => ({ value: list.name, label: `${list.title} (${list.count})` }))}
      />
    );
  return (
    <Tabs value={active} onChange={(value) => value && onChange(value)}>
      <Tabs.List mb="sm">
        {worklists.map((list) => (
          <Tabs.Tab
            key={list.name}
            value={list.name}
            rightSection={
              <Badge size="sm" variant="light">
                {list.count}
              </Badge>
            }
          >
            {list.title}
          </Tabs.Tab>
        ))}
      </Tabs.List>
    </Tabs>
  );
}
