// Admin: one user, their sessions and recent audit events, and what an admin can do for them.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Link, useNavigate, useParams } from "react-router";
import type { UserDetail } from "~/client";
import {
  adminChangeRoleMutation,
  adminDeactivateUserMutation,
  adminImpersonateUserMutation,
  adminListAuditEventsOptions,
  adminReactivateUserMutation,
  adminReadUserOptions,
  adminSendUserPasswordResetMutation,
} from "~/client/@tanstack/react-query.gen";
import { AuditEventsTable } from "~/components/admin/audit-events-table";
import { ConfirmButton } from "~/components/confirm-button";
import { Moment } from "~/components/moment";
import { Alert } from "~/components/ui/alert";
import { Card } from "~/components/ui/card";
import { errorMessage } from "~/lib/api-errors";
import { useAccount } from "~/lib/session";
import { deviceName } from "~/lib/user-agent";
import { projectName } from "~/project";

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });
const RECENT_EVENTS = 10;

export function meta() {
  return [{ title: `User · Admin · ${projectName}` }];
}

export default function AdminUserPage() {
  const { userId = "" } = useParams();
  const user = useQuery(adminReadUserOptions({ path: { user_id: userId } }));
  const events = useQuery(
    adminListAuditEventsOptions({ query: { user_id: userId, limit: RECENT_EVENTS } }),
  );

  if (user.isPending) return <p className="text-muted-foreground">Loading user…</p>;
  if (user.isError) {
    return <Alert variant="destructive">Could not load the user: {errorMessage(user.error)}</Alert>;
  }
  return (
    <section className="grid grid-cols-1 gap-6">
      <div>
        <Link to="/admin" className="text-sm underline">
          All users
        </Link>
        <h1 className="mt-2 text-2xl font-semibold break-words">{user.data.email}</h1>
        <p className="text-muted-foreground">
          {user.data.role} · {user.data.is_active ? "active" : "deactivated"} ·{" "}
          {user.data.email_verified_at ? "email verified" : "email not verified"} ·{" "}
          {user.data.item_count} items · last login{" "}
          {user.data.last_login_at ? (
            <Moment value={user.data.last_login_at} format={dateTime} />
          ) : (
            "unknown"
          )}
        </p>
      </div>
      <Card>
        <UserActions user={user.data} />
      </Card>
      <Card className="grid grid-cols-1 gap-3">
        <h2 className="text-lg font-semibold">Sessions</h2>
        {user.data.sessions.length === 0 ? (
          <p className="text-muted-foreground">Not logged in anywhere.</p>
        ) : (
          <ul className="grid grid-cols-1 divide-y rounded-md border text-sm" aria-label="Sessions">
            {user.data.sessions.map((session) => (
              <li key={session.id} className="p-3">
                <p className="break-words" title={session.user_agent ?? undefined}>
                  {deviceName(session.user_agent)}
                </p>
                <p className="text-muted-foreground">
                  {session.ip ?? "unknown address"} · since{" "}
                  <Moment value={session.created_at} format={dateTime} /> · last seen{" "}
                  <Moment value={session.last_seen_at} format={dateTime} />
                  {session.impersonator_id && " · an admin acting as this user"}
                </p>
              </li>
            ))}
          </ul>
        )}
      </Card>
      <Card className="grid grid-cols-1 gap-3">
        <div className="flex items-center justify-between gap-4">
          <h2 className="text-lg font-semibold">Recent events</h2>
          <Link to={`/admin/audit?user_id=${userId}`} className="text-sm underline">
            All events
          </Link>
        </div>
        {events.isPending ? (
          <p className="text-muted-foreground">Loading events…</p>
        ) : events.isError ? (
          <Alert variant="destructive">{errorMessage(events.error)}</Alert>
        ) : (
          <AuditEventsTable events={events.data.items} />
        )}
      </Card>
    </section>
  );
}

function UserActions({ user }: { user: UserDetail }) {
  const account = useAccount();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  // Any change shows in the user, their events and the users table: refetch all admin queries.
  const refresh = () => queryClient.invalidateQueries();
  const path = { user_id: user.id };
  const deactivate = useMutation({ ...adminDeactivateUserMutation(), onSuccess: refresh });
  const reactivate = useMutation({ ...adminReactivateUserMutation(), onSuccess: refresh });
  const changeRole = useMutation({ ...adminChangeRoleMutation(), onSuccess: refresh });
  const sendReset = useMutation({ ...adminSendUserPasswordResetMutation(), onSuccess: refresh });
  const impersonate = useMutation({
    ...adminImpersonateUserMutation(),
    onSuccess: async () => {
      queryClient.clear(); // from now on every answer is about the user
      await navigate("/", { replace: true });
    },
  });
  const failed = [deactivate, reactivate, changeRole, sendReset, impersonate].find(
    (mutation) => mutation.isError,
  );
  const isSelf = account.data?.id === user.id;
  const otherRole = user.role === "admin" ? "member" : "admin";

  return (
    <div className="grid grid-cols-1 gap-3">
      <h2 className="text-lg font-semibold">Actions</h2>
      <div className="flex flex-wrap gap-2">
        {user.role !== "admin" && user.is_active && (
          <ConfirmButton
            label="Log in as this user"
            title={`Log in as ${user.email}?`}
            description="You will see and do what they can, until you return to admin. Both the start and the end go in the audit log."
            onConfirm={() => impersonate.mutate({ path })}
          />
        )}
        <ConfirmButton
          label="Send password reset"
          title={`Send ${user.email} a password-reset link?`}
          description="They get an email with a link to choose a new password."
          onConfirm={() => sendReset.mutate({ path })}
        />
        {!isSelf && (
          <ConfirmButton
            label={otherRole === "admin" ? "Make admin" : "Make member"}
            title={`Make ${user.email} ${otherRole === "admin" ? "an admin" : "a member"}?`}
            description={
              otherRole === "admin"
                ? "Admins manage every user and can log in as members."
                : "They lose access to the admin area."
            }
            onConfirm={() => changeRole.mutate({ path, body: { role: otherRole } })}
          />
        )}
        {!isSelf &&
          (user.is_active ? (
            <ConfirmButton
              label="Deactivate"
              variant="destructive"
              title={`Deactivate ${user.email}?`}
              description="They are logged out everywhere at once and cannot log in until reactivated."
              onConfirm={() => deactivate.mutate({ path })}
            />
          ) : (
            <ConfirmButton
              label="Reactivate"
              title={`Reactivate ${user.email}?`}
              description="They can log in again."
              onConfirm={() => reactivate.mutate({ path })}
            />
          ))}
      </div>
      {sendReset.isSuccess && <p className="text-sm">A password-reset link is on its way.</p>}
      {failed && <Alert variant="destructive">{errorMessage(failed.error)}</Alert>}
    </div>
  );
}
