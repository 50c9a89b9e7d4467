// Error reports from the browser to Sentry: on when the copier answer wires it in and the server
// has SENTRY_DSN set (GET /api/client-config). The SDK is loaded only then, as its own chunk.
// No personal data: no user fields, cookies, headers, bodies or query strings are collected, and
// e-mail addresses are masked anywhere in an event; API errors carry the request id.
import type { ErrorEvent, EventHint } from "@sentry/react";
import { errorTrackingInBrowser } from "~/features";
import { getClientConfig } from "~/lib/client-config";

type SentrySdk = typeof import("@sentry/react");

const EMAIL_ADDRESS = /[\w.%+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}/g;
let sentry: SentrySdk | undefined;

export async function startErrorTracking(): Promise<void> {
  if (!errorTrackingInBrowser || sentry) return;
  const data = await getClientConfig();
  if (!data?.sentry_dsn) return;
  const sdk = await import("@sentry/react");
  sdk.init({
    dsn: data.sentry_dsn,
    release: data.release ?? undefined,
    environment: data.environment,
    dataCollection: {
      userInfo: false,
      cookies: false,
      httpHeaders: false,
      httpBodies: [],
      urlQueryParams: false,
    },
    tracesSampleRate: data.sentry_traces_sample_rate,
    integrations: data.sentry_traces_sample_rate > 0 ? [sdk.browserTracingIntegration()] : [],
    beforeSend: scrubEvent,
  });
  sentry = sdk;
}

/** Errors React caught (error boundaries) never reach window.onerror: report them here. */
export function reportError(error: unknown): void {
  sentry?.captureException(error);
}

export function scrubEvent(event: ErrorEvent, hint: EventHint): ErrorEvent {
  const cause = hint.originalException;
  if (cause && typeof cause === "object" && "request_id" in cause && cause.request_id) {
    event.tags = { ...event.tags, request_id: String(cause.request_id) };
  }
  if (event.request) {
    delete event.request.query_string;
    delete event.request.cookies;
    if (event.request.url) event.request.url = event.request.url.split("?")[0];
  }
  return JSON.parse(JSON.stringify(event).replace(EMAIL_ADDRESS, "[email]"));
}
