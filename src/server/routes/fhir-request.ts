import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Resource } from '@medplum/fhirtypes';
import { ThroughlineError } from '../../kernel/errors.ts';
import { isValidFhirId } from '../../kernel/ids.ts';
import { isResourceType } from '../../fhir/definitions.ts';
import { FHIR_JSON, informational } from '../http-errors.ts';

/** Small request/response helpers shared by the FHIR routes. */
export function queryPairs(request: FastifyRequest): [string, string][] {
  const at = request.url.indexOf('?');
  return at < 0 ? [] : [...new URLSearchParams(request.url.slice(at + 1))];
}

export function queryString(request: FastifyRequest): string {
  const at = request.url.indexOf('?');
  return at < 0 ? '' : request.url.slice(at + 1);
}

export function resourceType(type: string): string {
  if (!isResourceType(type))
    throw new ThroughlineError('UNKNOWN_RESOURCE_TYPE', `Unknown resource type "${type}"`);
  return type;
}

export function resourceId(id: string): string {
  if (!isValidFhirId(id)) throw new ThroughlineError('INVALID_REQUEST', `Invalid id "${id}"`);
  return id;
}

export function isStrict(request: FastifyRequest): boolean {
  return /handling=strict/.test(String(request.headers.prefer ?? ''));
}

export function bodyResource(request: FastifyRequest, type?: string): Resource {
  const body = request.body as Resource | undefined;
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    throw new ThroughlineError('INVALID_RESOURCE', 'The request body must be a FHIR resource');
  }
  if (type && body.resourceType !== type) {
    throw new ThroughlineError('INVALID_RESOURCE', `Expected a ${type}, got ${String(body.resourceType)}`, {
      expression: 'resourceType',
    });
  }
  return body;
}

/** A resource to answer with, its HTTP status, and the base its `Location` is built on. */
export interface ResourceAnswer {
  resource: Resource;
  /** 201 when created (the `Location` header is sent), else 200. */
  status: number;
  /** The FHIR base URL (`…/fhir`). */
  baseUrl: string;
}

/** ETag / Last-Modified / Location, and the body `Prefer: return=` asks for. */
export function sendResource(request: FastifyRequest, reply: FastifyReply, answer: ResourceAnswer) {
  const { resource, status, baseUrl } = answer;
  const versionId = resource.meta?.versionId;
  if (versionId) reply.header('ETag', `W/"${versionId}"`);
  if (resource.meta?.lastUpdated)
    reply.header('Last-Modified', new Date(resource.meta.lastUpdated).toUTCString());
  if (status === 201 || request.method === 'PUT') {
    reply.header('Location', `${baseUrl}/${resource.resourceType}/${resource.id}/_history/${versionId}`);
  }
  reply.status(status).type(FHIR_JSON);
  const prefer = String(request.headers.prefer ?? '');
  if (/return=minimal/.test(prefer)) return reply.send();
  if (/return=OperationOutcome/.test(prefer))
    return reply.send(informational(`${resource.resourceType}/${resource.id} stored`));
  return reply.send(resource);
}
