// The account's sessions (browsers logged in): revoke one, or every one but this browser's
// (`readOnly` while an admin acts as the user: only the owner may log their sessions out).
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { SessionPublic } from "~/client";
import {
  accountListSessionsOptions,
  accountListSessionsQueryKey,
  accountRevokeOtherSessionsMutation,
  accountRevokeSessionMutation,
} from "~/client/@tanstack/react-query.gen";
import { Moment } from "~/components/moment";
import { Alert } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { errorMessage } from "~/lib/api-errors";
import { deviceName } from "~/lib/user-agent";

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });

export function SessionsList({ readOnly = false }: { readOnly?: boolean }) {
  const queryClient = useQueryClient();
  const sessions = useQuery(accountListSessionsOptions());
  const refresh = () => queryClient.invalidateQueries({ queryKey: accountListSessionsQueryKey() });
  const revokeOthers = useMutation({
    ...accountRevokeOtherSessionsMutation(),
    onSuccess: refresh,
  });

  return (
    <section aria-labelledby="sessions-heading" className="grid grid-cols-1 gap-4">
      <h2 id="sessions-heading" className="text-lg font-semibold">
        Sessions
      </h2>
      {sessions.isPending ? (
        <p className="text-muted-foreground">Loading sessions…</p>
      ) : sessions.isError ? (
        <Alert variant="destructive">
          Could not load the sessions: {errorMessage(sessions.error)}
        </Alert>
      ) : sessions.data.length === 0 ? (
        // Only while an admin acts as this user: their session is the admin's, not listed here.
        <p className="text-muted-foreground">This account is not logged in anywhere.</p>
      ) : (
        <>
          <ul className="grid grid-cols-1 divide-y rounded-md border" aria-label="Sessions">
            {sessions.data.map((session) => (
              <SessionRow
                key={session.id}
                session={session}
                onRevoked={refresh}
                readOnly={readOnly}
              />
            ))}
          </ul>
          {revokeOthers.isError && (
            <Alert variant="destructive">{errorMessage(revokeOthers.error)}</Alert>
          )}
          {!readOnly && sessions.data.some((session) => !session.current) && (
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
  readOnly,
}: {
  session: SessionPublic;
  onRevoked: () => Promise<unknown>;
  readOnly: boolean;
}) {
  const revoke = useMutation({ ...accountRevokeSessionMutation(), onSuccess: onRevoked });
  const device = deviceName(session.user_agent);
  return (
    <li className="flex items-start justify-between gap-4 p-3 text-sm">
      <div className="min-w-0 flex-1">
        <p className="font-medium break-words" title={session.user_agent ?? undefined}>
          {device}
          {session.current && (
            <span className="ml-2 rounded-sm bg-secondary px-1.5 py-0.5 text-xs text-secondary-foreground">
              This browser
            </span>
          )}
        </p>
        <p className="text-muted-foreground">
          {session.ip ?? "unknown address"} · signed in{" "}
          <Moment value={session.created_at} format={dateTime} /> · last seen{" "}
          <Moment value={session.last_seen_at} format={dateTime} />
        </p>
        {revoke.isError && <p className="text-destructive">{errorMessage(revoke.error)}</p>}
      </div>
      {!readOnly && !session.current && (
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
