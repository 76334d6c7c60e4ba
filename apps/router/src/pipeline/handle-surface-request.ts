import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  type AttemptRecord,
  type GatewayError,
  gatewayError,
  parseTrafficClass,
  STORED_TEXT_LIMITS,
  storableText,
  TRAFFIC_CLASS_HEADER,
  type TrafficClass,
} from '@switchyard/core';
import { authenticate } from '../http/authenticate';
import { readAttribution } from '../http/read-attribution';
import { readBody } from '../http/read-body';
import { mergeRateLimitHeaders } from '../limits/request-rate-limits';
import { adapterFor } from '../providers/provider-registry';
import type { RouterContext } from '../router-context';
import type { PathParams, Surface } from '../surfaces/surface';
import { settleRequest } from '../usage/settle-request';
import { buildUsageEvent, type UsageBase } from './build-usage-event';
import { effectivePolicy } from './effective-policy';
import { forward } from './forward';
import { PayloadCapture } from './payload-capture';
import { routeForKey } from './route-for-key';
import type { Settlement } from './settlement';

const CLOSE: Record<string, string> = Object.freeze({ connection: 'close' }) as Record<string, string>;

/**
 * One request to a surface's route, through the protocol-neutral pipeline: authenticate (the key as the surface
 * reads it) → admit (RPM before the body, body read, parse by the surface, attribution, route, allow-list,
 * traffic class, TPM, budget hold) → forward (the failover ladder, attempts and relay) → settle (one usage row).
 * Every answer and error goes out through the surface, in its protocol's shape.
 */
export async function handleSurfaceRequest(
  ctx: RouterContext,
  surface: Surface,
  req: IncomingMessage,
  res: ServerResponse,
  requestId: string,
  url: string,
  params: PathParams,
): Promise<void> {
  const startedAt = performance.now();
  const createdAt = ctx.now();
  const auth = authenticate(ctx, surface.readKey, req, url);
  if (!auth.ok) {
    req.resume();
    return surface.sendError(res, requestId, auth.error);
  }
  const { key, table } = auth.value;

  const base: UsageBase = {
    requestId,
    keyId: key.id,
    teamId: key.teamId,
    environment: key.environment,
    createdAt,
    ownerId: key.ownerId,
    tags: key.tags,
    endUser: null,
    metadata: null,
  };
  // Set once the class is read, so a refusal after that point (limits, budget) is recorded under it.
  let admittedClass: TrafficClass | null = null;
  const reject = (
    error: GatewayError,
    requestedModel: string,
    routeId: string | null = null,
    headers?: Record<string, string>,
  ) => {
    surface.sendError(res, requestId, error, headers);
    // A refused request may have been refused FOR its model (NUL, 6,000 characters): store a bounded, clean one.
    const model = storableText(requestedModel, STORED_TEXT_LIMITS.model);
    ctx.usage.record(
      buildUsageEvent(
        base,
        surface.protocol,
        null,
        admittedClass,
        model,
        routeId,
        false,
        [],
        startedAt,
        table,
        {
          status: 'rejected',
          httpStatus: error.status,
          errorClass: error.code,
          served: null,
          usage: null,
          ttftMs: null,
        },
      ),
    );
    ctx.metrics.refused(surface, error.status, startedAt);
  };

  // The key's RPM before its body is read: a flood from a limited key costs no body buffering or parsing.
  let requestLimit = ctx.rateLimits.admitRequest(key, createdAt);
  if (requestLimit instanceof Promise) requestLimit = await requestLimit;
  if (!requestLimit.ok) return reject(requestLimit.error, '', null, requestLimit.headers);

  const raw = await readBody(req, ctx.limits.maxBodyBytes, ctx.limits.bodyIdleTimeoutMs);
  if (!raw.ok) {
    // A client that stopped sending its body gets its connection closed, not kept for another request.
    return reject(raw.error, '', null, raw.error.code === 'request_timeout' ? CLOSE : undefined);
  }
  let json: unknown;
  try {
    json = JSON.parse(raw.value.toString('utf8'));
  } catch {
    return reject(gatewayError('invalid_json', 'The request body is not valid JSON.', 'body'), '');
  }
  const parsed = surface.parse(json, params, { keyId: key.id, requestId });
  if (!parsed.ok) return reject(parsed.error, surface.requestedModel(json, params));
  const inbound = parsed.value;
  if (surface.readNativeHeaders !== undefined) {
    const nativeHeaders = surface.readNativeHeaders(req);
    if (nativeHeaders !== null) inbound.nativeHeaders = nativeHeaders;
  }
  const attribution = readAttribution(req, inbound.body);
  if (!attribution.ok) return reject(attribution.error, inbound.model);
  base.endUser = attribution.value.endUser;
  base.metadata = attribution.value.metadata;
  const resolved = routeForKey(table, key, inbound.model);
  if (!resolved.ok) return reject(resolved.error, inbound.model, resolved.routeId);
  const route = resolved.value;

  const trafficClass = parseTrafficClass(
    headerValue(req.headers[TRAFFIC_CLASS_HEADER]),
    key.allowedTrafficClasses,
    key.defaultTrafficClass,
  );
  if (!trafficClass.ok) return reject(trafficClass.error, inbound.model, route.route.id);
  admittedClass = trafficClass.value;

  if (!ctx.usage.accepting()) {
    return reject(
      gatewayError(
        'service_unavailable',
        'Usage cannot be recorded right now (the database is away and the local spill is full); retry later.',
        null,
        5,
      ),
      inbound.model,
      route.route.id,
    );
  }

  let rateLimit = ctx.rateLimits.admit(key, inbound, createdAt);
  if (rateLimit instanceof Promise) rateLimit = await rateLimit;
  if (!rateLimit.ok) {
    const limitHeaders = mergeRateLimitHeaders(requestLimit.headers, rateLimit.headers);
    return reject(rateLimit.error, inbound.model, route.route.id, limitHeaders ?? undefined);
  }

  const policy = effectivePolicy(route, trafficClass.value, ctx.limits.maxAttempts);
  const bodyBytes = raw.value.length;
  let admitted = ctx.billing.admit({
    key,
    table,
    route,
    chat: inbound,
    bodyBytes,
    policy,
    at: createdAt,
  });
  if (admitted instanceof Promise) admitted = await admitted;
  if (!admitted.ok) {
    ctx.rateLimits.settle(rateLimit, null, false, ctx.now());
    return reject(admitted.error, inbound.model, route.route.id);
  }
  const billing = admitted.value;

  const attempts: AttemptRecord[] = [];
  const trace =
    ctx.tracing === null
      ? null
      : ctx.tracing.request(
          headerValue(req.headers.traceparent),
          headerValue(req.headers.tracestate),
          createdAt,
          requestId,
          surface.protocol,
        );
  // Opt-in per key or route; everyone else pays one branch here.
  const capture =
    key.capturePayloads === true || route.route.capturePayloads === true
      ? PayloadCapture.attach(res, raw.value, ctx.limits.payloadCaptureBytes)
      : null;
  let settlement: Settlement;
  try {
    settlement = await forward(ctx, res, {
      requestId,
      surface,
      inbound,
      billing,
      requestLimitHeaders: requestLimit.headers ?? null,
      tokenLimitHeaders: rateLimit.headers,
      route,
      table,
      trafficClass: trafficClass.value,
      policy,
      attempts,
      startedAt,
      trace,
    });
  } catch (error) {
    // try/catch rather than .catch(): no extra promise per request on the hot path.
    settlement = forwardFailed(ctx, surface, res, requestId, error);
  }
  const served = settlement.served;
  // The protocol the serving attempt was sent in: its adapter's for this surface's family.
  const upstreamProtocol =
    served === null ? null : (adapterFor(served.provider.kind, surface)?.protocols[surface.family] ?? null);
  const event = buildUsageEvent(
    base,
    surface.protocol,
    upstreamProtocol,
    trafficClass.value,
    inbound.model,
    route.route.id,
    inbound.stream,
    attempts,
    startedAt,
    table,
    settlement,
    capture === null ? null : capture.payload(),
  );
  settleRequest(ctx, event, billing, rateLimit, settlement.usage, settlement.served !== null);
  if (trace !== null) trace.end(event, trafficClass.value, route.route.publicModel);
  ctx.metrics.request(surface, event, trafficClass.value, route.route.publicModel);
}

/** A bug inside the ladder: answers if nothing was sent yet, so the request can still be settled. */
function forwardFailed(
  ctx: RouterContext,
  surface: Surface,
  res: ServerResponse,
  requestId: string,
  error: unknown,
): Settlement {
  ctx.logger.error('chat: forwarding failed', {
    requestId,
    error: error instanceof Error ? error.message : String(error),
  });
  if (!res.headersSent) {
    surface.sendError(
      res,
      requestId,
      gatewayError('upstream_error', 'The gateway failed while forwarding this request.'),
    );
  } else res.destroy();
  return {
    status: 'error',
    httpStatus: res.statusCode,
    errorClass: 'internal_error',
    served: null,
    usage: null,
    ttftMs: null,
  };
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
