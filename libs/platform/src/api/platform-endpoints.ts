import { z } from 'zod';
import { endpoint } from './endpoint';

const checks = z.record(z.string(), z.enum(['ok', 'failing']));
/** What the service can see but does not gate readiness on, e.g. whether its outbox reaches Kafka. */
const details = z.record(z.string(), z.unknown()).optional();

/** What every service serves besides its own routes. */
export const PLATFORM_ENDPOINTS = [
  endpoint({
    operationId: 'live',
    method: 'get',
    path: '/health/live',
    tag: 'operations',
    summary: 'The process is up',
    responses: { 200: { description: 'alive', body: z.object({ status: z.literal('ok') }) } },
  }),
  endpoint({
    operationId: 'ready',
    method: 'get',
    path: '/health/ready',
    tag: 'operations',
    summary: 'The database answers and the consumer has joined its group',
    responses: {
      200: { description: 'ready', body: z.object({ status: z.literal('ready'), checks, details }) },
      503: { description: 'a check is failing', body: z.object({ status: z.literal('not-ready'), checks, details }) },
    },
  }),
  endpoint({
    operationId: 'metrics',
    method: 'get',
    path: '/metrics',
    tag: 'operations',
    summary: 'Prometheus metrics',
    responses: { 200: { description: 'the text exposition format', contentType: 'text/plain', body: z.string() } },
  }),
  endpoint({
    operationId: 'openapi',
    method: 'get',
    path: '/openapi.json',
    tag: 'operations',
    summary: 'This document',
    responses: { 200: { description: 'OpenAPI 3.1', body: z.object({ openapi: z.string() }).loose() } },
  }),
] as const;
