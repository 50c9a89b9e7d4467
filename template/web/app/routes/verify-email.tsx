// Where the verification email's link lands (`?token=`): confirms the address, logged in or not.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef } from "react";
import { Link, useSearchParams } from "react-router";
import { authConfirmEmailVerificationMutation } from "~/client/@tanstack/react-query.gen";
import { AuthPage } from "~/components/auth-page";
import { Alert } from "~/components/ui/alert";
import { errorMessage } from "~/lib/api-errors";
import { refreshAccount } from "~/lib/session";
import { projectName } from "~/project";

export function meta() {
  return [{ title: `Verify email · ${projectName}` }];
}

export default function VerifyEmailPage() {
  const [searchParams] = useSearchParams();
  const token = searchParams.get("token");
  const queryClient = useQueryClient();
  const confirmation = useMutation({
    ...authConfirmEmailVerificationMutation(),
    onSuccess: () => refreshAccount(queryClient),
  });
  // The token works once: confirm it once per page view, even when React runs effects twice.
  const sent = useRef(false);
  useEffect(() => {
    if (!token || sent.current) return;
    sent.current = true;
    confirmation.mutate({ body: { token } });
  }, [token, confirmation.mutate]);

  return (
    <AuthPage title="Verify your email">
      {!token ? (
        <Alert variant="destructive">
          This link is incomplete: open the link from the email again.
        </Alert>
      ) : confirmation.isSuccess ? (
        <div role="status" className="grid grid-cols-1 gap-3">
          <p>
            Thank you: <strong>{confirmation.data.email}</strong> is verified.
          </p>
          <Link to="/" className="underline">
            Go to your items
          </Link>
        </div>
      ) : confirmation.isError ? (
        <Alert variant="destructive">
          {errorMessage(confirmation.error)}{" "}
          <Link to="/account" className="underline">
            Send a new link from your account
          </Link>
        </Alert>
      ) : (
        <p className="text-muted-foreground">Verifying your email address…</p>
      )}
    </AuthPage>
  );
}
