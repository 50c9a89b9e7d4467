// Helpers of the component tests: a fake API behind the generated client, and pages in a router stub.
import { type QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { render } from "@testing-library/react";
import { createRoutesStub, useLocation } from "react-router";
import { vi } from "vitest";
import type { UserPublic } from "~/client";
import { client } from "~/client/client.gen";
import { createQueryClient } from "~/lib/query-client";

export type Reply = { status: number; body?: unknown; headers?: Record<string, string> };
type Handler = Reply | ((body: unknown) => Reply | Promise<Reply>);

/**
 * Answers the generated client's requests from `routes` ("POST /api/auth/login" → reply); any other
 * request fails the test. Returns the spy, whose calls are [method and path, parsed JSON body].
 */
export function fakeApi(routes: Record<string, Handler>) {
  const seen = vi.fn<(route: string, body: unknown) => void>();
  client.setConfig({
    baseUrl: "http://app.test",
    fetch: async (input: RequestInfo | URL, init?: RequestInit) => {
      const request = new Request(input, init);
      const route = `${request.method} ${new URL(request.url).pathname}`;
      const text = await request.text();
      const body = text ? JSON.parse(text) : undefined;
      seen(route, body);
      const handler = routes[route];
      if (!handler) throw new Error(`unexpected request ${route}`);
      const reply = typeof handler === "function" ? await handler(body) : handler;
      const payload = reply.body === undefined ? null : JSON.stringify(reply.body);
      return new Response(payload, {
        status: reply.status,
        headers: { "Content-Type": "application/json", ...reply.headers },
      });
    },
  });
  return seen;
}

/** Undo fakeApi: the client talks to its own origin again. */
export function resetApi() {
  client.setConfig({ baseUrl: undefined, fetch: undefined });
}

/** Shows where the router went, for tests that follow a redirect. */
export function Location() {
  const location = useLocation();
  return <p data-testid="location">{`${location.pathname}${location.search}`}</p>;
}

/** Renders `routes` at `url` with the app's own query client (or `queryClient`). */
export function renderRoutes(
  routes: Parameters<typeof createRoutesStub>[0],
  url: string,
  queryClient: QueryClient = createQueryClient(),
) {
  const Stub = createRoutesStub(routes);
  render(
    <QueryClientProvider client={queryClient}>
      <Stub initialEntries={[url]} />
    </QueryClientProvider>,
  );
  return queryClient;
}

/** A logged-in user as GET /api/account returns it. */
export const user: UserPublic = {
  id: "user_01h455vb4pex5vsknk084sn02q",
  email: "ada@example.com",
  email_verified_at: "2026-01-01T00:00:00Z",
  role: "member",
  created_at: "2026-01-01T00:00:00Z",
};
