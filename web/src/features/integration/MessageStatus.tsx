import { Badge } from '@mantine/core';

/** Inbound (processed, failed, rejected, received) and outbound (accepted, pending, error, rejected) states. */
const STATUS_COLORS: Record<string, string> = {
  processed: 'teal',
  accepted: 'teal',
  failed: 'red',
  error: 'red',
  rejected: 'orange',
  received: 'gray',
  pending: 'gray',
};

/** A message's state as a badge that never shrinks into an ellipsis in a narrow table cell. */
export function MessageStatus({ status }: { status: string }) {
  return (
    <Badge color={STATUS_COLORS[status] ?? 'gray'} variant="light" style={{ width: 'max-content' }}>
      {status}
    </Badge>
  );
}

/** MSH PID OBX OBX OBX → "MSH PID OBX×3": the message's shape at a glance. */
export function outline(segments: string[]): string {
  const runs: [string, number][] = [];
  for (const id of segments) {
    const last = runs.at(-1);
    if (last?.[0] === id) last[1] += 1;
    else runs.push([id, 1]);
  }
  return runs.map(([id, count]) => (count > 1 ? `${id}×${count}` : id)).join(' ');
}
