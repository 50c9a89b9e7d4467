// Who is logged in, as the server says (GET /api/account), and where the log-in page sends them back.
import { type QueryClient, useQuery } from "@tanstack/react-query";
import {
  accountReadAccountOptions,
  accountReadAccountQueryKey,
} from "~/client/@tanstack/react-query.gen";

/** The logged-in user; `error` is a 401 `not_authenticated` when nobody is. Never retried. */
export function useAccount() {
  return useQuery({ ...accountReadAccountOptions(), retry: false, staleTime: 60_000 });
}

/**
 * Ask the server again who is logged in, after something changed it. A read already on its way may
 * have been answered before the change, and a refetch would only join it: it is dropped first.
 */
export async function refreshAccount(queryClient: QueryClient) {
  const queryKey = accountReadAccountQueryKey();
  await queryClient.cancelQueries({ queryKey });
  await queryClient.invalidateQueries({ queryKey });
}

/** The log-in page, told to come back to `location` afterwards. */
export function loginPath(location: { pathname: string; search: string }): string {
  return `/login?${new URLSearchParams({ next: `${location.pathname}${location.search}` })}`;
}

/** Where to go after logging in: `next` when it is a path of this app, else the home page. */
export function nextPath(next: string | null): string {
  // "//host" and "/\\host" would leave the site: only plain absolute paths are followed.
  return next?.startsWith("/") && !next.startsWith("//") && !next.startsWith("/\\") ? next : "/";
}
