import { Anchor, Box, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { Link } from 'wouter';
import { idOf } from '../../shared/fhir/format.ts';

/**
 * The patient by name, linked to their 360° page. The server names only a patient the reader
 * may see; another reads as such, never as an id to look up.
 */
export function PatientLink({ reference, name }: { reference?: string; name?: string }) {
  if (!reference)
    return (
      <Text size="sm" c="dimmed">
        No patient
      </Text>
    );
  if (!name)
    return (
      <Text size="sm" c="dimmed">
        A patient your role does not show
      </Text>
    );
  return (
    <Anchor component={Link} href={`/patients/${idOf(reference)}`} size="sm" fw={600}>
      {name}
    </Anchor>
  );
}

/**
 * The technical detail (references, FHIRPath, codes, exact instants) one click away: closed,
 * the line reads in words; open, everything the log holds, for whoever debugs the rule.
 */
export function TechnicalDetail({ label = 'Details', children }: { label?: string; children: ReactNode }) {
  return (
    <Box component="details" className="tl-technical">
      <Text component="summary" size="xs" c="dimmed" style={{ cursor: 'pointer', width: 'max-content' }}>
        {label}
      </Text>
      <Box
        component="dl"
        fz="xs"
        ff="monospace"
        mt={4}
        mb={0}
        style={{ overflowWrap: 'anywhere', whiteSpace: 'pre-wrap' }}
      >
        {children}
      </Box>
    </Box>
  );
}

/** One named value in the technical detail. */
export function Fact({ name, children }: { name: string; children: ReactNode }) {
  return (
    <Box style={{ display: 'flex', gap: '0.5rem', flexWrap: 'wrap' }}>
      <Box component="dt" c="dimmed">{`${name}:`}</Box>
      <Box component="dd" m={0}>
        {children}
      </Box>
    </Box>
  );
}
