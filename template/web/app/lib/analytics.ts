// Product analytics with PostHog: on when the copier answer wires it in and the server has
// POSTHOG_KEY set (GET /api/client-config). The SDK is loaded only then, as its own chunk.
// Sent: page views (each client-side navigation too) and, on log-in, the user's id. Not sent:
// the email address (unless POSTHOG_IDENTIFY_WITH_EMAIL), clicks and their text (no
// autocapture), session recordings, query strings; nothing is stored in cookies.
import type { CaptureResult, PostHog } from "posthog-js";
import { productAnalytics } from "~/features";
import { getClientConfig } from "~/lib/client-config";

const EMAIL_ADDRESS = /[\w.%+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}/g;
const URL_PROPERTIES = ["$current_url", "$referrer", "$initial_current_url", "$pathname"];

let started: Promise<{ posthog: PostHog; withEmail: boolean } | undefined> | undefined;

function startAnalytics() {
  started ??= (async () => {
    if (!productAnalytics) return undefined;
    const config = await getClientConfig();
    if (!config?.posthog_key) return undefined;
    const { default: posthog } = await import("posthog-js");
    posthog.init(config.posthog_key, {
      api_host: config.posthog_host,
      capture_pageview: "history_change",
      autocapture: false,
      disable_session_recording: true,
      disable_surveys: true,
      disable_external_dependency_loading: true, // no scripts from PostHog: the CSP allows none
      persistence: "localStorage",
      person_profiles: "identified_only",
      before_send: scrubEvent,
    });
    return { posthog, withEmail: config.posthog_identify_with_email };
  })();
  return started;
}

/** The logged-in user (or nobody): identify by id on log-in, forget the identity on log-out. */
export async function identifyUser(user: { id: string; email: string } | undefined) {
  const analytics = await startAnalytics();
  if (!analytics) return;
  const { posthog, withEmail } = analytics;
  if (user) {
    posthog.identify(user.id, withEmail ? { email: user.email } : undefined);
  } else if (posthog.get_property("$user_state") === "identified") {
    posthog.reset();
  }
}

export function scrubEvent(event: CaptureResult | null): CaptureResult | null {
  if (!event) return null;
  for (const name of URL_PROPERTIES) {
    const value = event.properties[name];
    if (typeof value === "string") event.properties[name] = value.split(/[?#]/)[0];
  }
  if (event.$set?.email) return event; // the project opted in (POSTHOG_IDENTIFY_WITH_EMAIL)
  return JSON.parse(JSON.stringify(event).replace(EMAIL_ADDRESS, "[email]"));
}
