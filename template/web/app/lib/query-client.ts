// The TanStack Query client: server state cache shared by every page.
import { hashKey, MutationCache, QueryCache, QueryClient } from "@tanstack/react-query";
import { accountReadAccountQueryKey } from "~/client/@tanstack/react-query.gen";
import { isError, isNotAuthenticated } from "~/lib/api-errors";
import { refreshAccount } from "~/lib/session";

export function createQueryClient() {
  const accountHash = hashKey(accountReadAccountQueryKey());
  // A 401 from any request means the session ended (expired, revoked, logged out elsewhere): asking
  // the server who is logged in again makes the pages that need a login send the user to it.
  const onError = (error: unknown, queryHash?: string) => {
    if (isNotAuthenticated(error) && queryHash !== accountHash) {
      void refreshAccount(queryClient);
    }
  };
  const queryClient: QueryClient = new QueryClient({
    queryCache: new QueryCache({ onError: (error, query) => onError(error, query.queryHash) }),
    mutationCache: new MutationCache({ onError: (error) => onError(error) }),
    defaultOptions: {
      queries: {
        staleTime: 10_000,
        // Retry only when the server could not be reached: a 4xx answer will not change.
        retry: (failures, error) => isError(error) && failures < 1,
        refetchOnWindowFocus: false,
      },
    },
  });
  return queryClient;
}
