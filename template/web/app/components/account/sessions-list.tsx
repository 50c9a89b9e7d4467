// The account's sessions (browsers logged in): revoke one, or every one but this browser's.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { SessionPublic } from "~/client";
import {
  accountListSessionsOptions,
  accountListSessionsQueryKey,
  accountRevokeOtherSessionsMutation,
  accountRevokeSessionMutation,
} from "~/client/@tanstack/react-query.gen";
import { Alert } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { errorMessage } from "~/lib/api-errors";

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });

export function SessionsList() {
  const queryClient = useQueryClient();
  const sessions = useQuery(accountListSessionsOptions());
  const refresh = () => queryClient.invalidateQueries({ queryKey: accountListSessionsQueryKey() });
  const revokeOthers = useMutation({
    ...accountRevokeOtherSessionsMutation(),
    onSuccess: refresh,
  });

  return (
    <section aria-labelledby="sessions-heading" className="grid gap-4">
      <h2 id="sessions-heading" className="text-lg font-semibold">
        Sessions
      </h2>
      {sessions.isPending ? (
        <p className="text-muted-foreground">Loading sessions…</p>
      ) : sessions.isError ? (
        <Alert variant="destructive">
          Could not load the sessions: {errorMessage(sessions.error)}
        </Alert>
      ) : (
        <>
          <ul className="grid divide-y rounded-md border" aria-label="Sessions">
            {sessions.data.map((session) => (
              <SessionRow key={session.id} session={session} onRevoked={refresh} />
            ))}
          </ul>
          {revokeOthers.isError && (
            <Alert variant="destructive">{errorMessage(revokeOthers.error)}</Alert>
          )}
          {sessions.data.some((session) => !session.current) && (
            <div>
              <Button
                variant="outline"
                disabled={revokeOthers.isPending}
                onClick={() => revokeOthers.mutate({})}
              >
                Log out all other sessions
              </Button>
            </div>
          )}
        </>
      )}
    </section>
  );
}

function SessionRow({
  session,
  onRevoked,
}: {
  session: SessionPublic;
  onRevoked: () => Promise<unknown>;
}) {
  const revoke = useMutation({ ...accountRevokeSessionMutation(), onSuccess: onRevoked });
  const device = session.user_agent || "Unknown browser";
  return (
    <li className="flex items-start justify-between gap-4 p-3 text-sm">
      <div className="min-w-0">
        <p className="font-medium break-words">
          {device}
          {session.current && (
            <span className="ml-2 rounded-sm bg-secondary px-1.5 py-0.5 text-xs text-secondary-foreground">
              This browser
            </span>
          )}
        </p>
        <p className="text-muted-foreground">
          {session.ip ?? "unknown address"} · signed in{" "}
          {dateTime.format(new Date(session.created_at))} · last seen{" "}
          {dateTime.format(new Date(session.last_seen_at))}
        </p>
        {revoke.isError && <p className="text-destructive">{errorMessage(revoke.error)}</p>}
      </div>
      {!session.current && (
        <Button
          variant="outline"
          size="sm"
          disabled={revoke.isPending}
          aria-label={`Log out ${device}, signed in ${dateTime.format(new Date(session.created_at))}`}
          onClick={() => revoke.mutate({ path: { session_id: session.id } })}
        >
          Log out
        </Button>
      )}
    </li>
  );
}
