// The layout of every page that needs a logged-in user (files named `_authenticated.*.tsx`): without a
// session it sends the visitor to the log-in page, which brings them back here afterwards.
import { useMutation } from "@tanstack/react-query";
import { Navigate, Outlet, useLocation } from "react-router";
import type { UserPublic } from "~/client";
import { authRequestEmailVerificationMutation } from "~/client/@tanstack/react-query.gen";
import { Alert } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { errorMessage, isNotAuthenticated } from "~/lib/api-errors";
import { loginPath, useAccount } from "~/lib/session";

export default function AuthenticatedLayout() {
  const location = useLocation();
  const account = useAccount();

  if (isNotAuthenticated(account.error)) return <Navigate to={loginPath(location)} replace />;
  if (account.isPending) return <p className="text-muted-foreground">Loading…</p>;
  if (account.isError) {
    return (
      <Alert variant="destructive">
        Could not check who is logged in: {errorMessage(account.error)}{" "}
        <Button variant="link" onClick={() => account.refetch()}>
          Try again
        </Button>
      </Alert>
    );
  }
  return (
    <div className="grid grid-cols-1 gap-6">
      {!account.data.email_verified_at && <VerifyEmailNotice user={account.data} />}
      <Outlet />
    </div>
  );
}

function VerifyEmailNotice({ user }: { user: UserPublic }) {
  const resend = useMutation(authRequestEmailVerificationMutation());
  return (
    <Alert role="status">
      Please verify your email address: we sent a link to <strong>{user.email}</strong>.{" "}
      {resend.isSuccess ? (
        <span>A new link is on its way.</span>
      ) : (
        <Button variant="link" className="h-auto p-0 underline" onClick={() => resend.mutate({})}>
          Send a new link
        </Button>
      )}
      {resend.isError && <p className="mt-1 text-destructive">{errorMessage(resend.error)}</p>}
    </Alert>
  );
}
