import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Bundle, Coding, Resource } from '../../shared/fhir/types.ts';
import { api, post } from '../../shared/api/http.ts';

/** One HL7 v2 message as the console shows it (`/api/integration/messages`): never its raw bytes. */
export interface InboundOutline {
  id: string;
  sendingApplication?: string;
  sendingFacility?: string;
  controlId?: string;
  messageType?: string;
  triggerEvent?: string;
  status: 'received' | 'processed' | 'failed' | 'rejected';
  error?: string;
  attempts: number;
  receivedAt: string;
  processedAt?: string;
  resources: string[];
  segments: string[];
  bytes: number;
}

export interface OutboundOutline {
  id: string;
  destination: string;
  controlId: string;
  messageType: string;
  triggerEvent: string;
  status: 'pending' | 'accepted' | 'error' | 'rejected';
  error?: string;
  attempts: number;
  createdAt: string;
  sentAt?: string;
  segments: string[];
}

export type InboundFilter = 'failed' | 'rejected' | 'all';

export function useInbound(filter: InboundFilter) {
  const status = filter === 'all' ? '' : `&status=${filter}`;
  return useQuery({
    queryKey: ['integration', 'inbound', filter],
    queryFn: () => api<{ messages: InboundOutline[] }>(`/api/integration/messages?limit=100${status}`),
    placeholderData: keepPreviousData,
    refetchInterval: 30_000,
  });
}

export function useOutbound() {
  return useQuery({
    queryKey: ['integration', 'outbound'],
    queryFn: () => api<{ messages: OutboundOutline[] }>('/api/integration/outbound'),
    refetchInterval: 30_000,
  });
}

/** Runs a failed message through ingest again; the lists refresh with its new status. */
export function useReprocess() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) =>
      post<InboundOutline>(`/api/integration/messages/${encodeURIComponent(id)}/reprocess`, {}),
    onSettled: () => client.invalidateQueries({ queryKey: ['integration', 'inbound'] }),
  });
}

/** What the log page reads of an AuditEvent (the server writes the IHE BALP shape). */
export interface AuditEvent extends Resource {
  resourceType: 'AuditEvent';
  recorded: string;
  outcome?: string;
  subtype?: Coding[];
  agent?: { who?: { identifier?: { value?: string }; display?: string } }[];
  entity?: { what?: { reference?: string } }[];
}

export interface AuditFilter {
  patient: string;
  user: string;
}

/** The audit log (`GET /api/audit`, a Bundle of AuditEvents, newest first). */
export function useAuditLog(filter: AuditFilter) {
  const query = new URLSearchParams({ _count: '50' });
  if (filter.patient.trim()) query.set('patient', filter.patient.trim());
  if (filter.user.trim()) query.set('user', filter.user.trim());
  return useQuery({
    queryKey: ['integration', 'audit', filter],
    queryFn: () => api<Bundle<AuditEvent>>(`/api/audit?${query.toString()}`),
    placeholderData: keepPreviousData,
  });
}
