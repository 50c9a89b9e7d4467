// Account settings: email, password, sessions, and deleting the account (the owner's alone).
import { ChangeEmailForm } from "~/components/account/change-email-form";
import { ChangePasswordForm } from "~/components/account/change-password-form";
import { DeleteAccount } from "~/components/account/delete-account";
import { SessionsList } from "~/components/account/sessions-list";
import { Alert } from "~/components/ui/alert";
import { Card } from "~/components/ui/card";
import { useAccount } from "~/lib/session";
import { projectName } from "~/project";

export function meta() {
  return [{ title: `Account · ${projectName}` }];
}

export default function AccountPage() {
  const account = useAccount();
  return (
    <section className="grid grid-cols-1 gap-6">
      <div>
        <h1 className="text-2xl font-semibold">Account</h1>
        {account.data && (
          <p className="break-words text-muted-foreground">
            {account.data.email} ·{" "}
            {account.data.email_verified_at ? "verified" : "not verified yet"}
          </p>
        )}
      </div>
      {account.data?.impersonator ? (
        // The API refuses these to an admin acting as the user (403): only the owner may.
        <Alert role="note">
          You are acting as this user: only they can change their email or password, log out their
          sessions, or delete their account.
        </Alert>
      ) : (
        <>
          <Card>
            <ChangeEmailForm />
          </Card>
          <Card>
            <ChangePasswordForm />
          </Card>
        </>
      )}
      <Card>
        <SessionsList readOnly={Boolean(account.data?.impersonator)} />
      </Card>
      {!account.data?.impersonator && (
        <Card>
          <DeleteAccount />
        </Card>
      )}
    </section>
  );
}
