// Account settings: email, password, sessions, and deleting the account.
import { ChangeEmailForm } from "~/components/account/change-email-form";
import { ChangePasswordForm } from "~/components/account/change-password-form";
import { DeleteAccount } from "~/components/account/delete-account";
import { SessionsList } from "~/components/account/sessions-list";
import { Card } from "~/components/ui/card";
import { useAccount } from "~/lib/session";
import { projectName } from "~/project";

export function meta() {
  return [{ title: `Account · ${projectName}` }];
}

export default function AccountPage() {
  const account = useAccount();
  return (
    <section className="grid gap-6">
      <div>
        <h1 className="text-2xl font-semibold">Account</h1>
        {account.data && (
          <p className="text-muted-foreground">
            {account.data.email} ·{" "}
            {account.data.email_verified_at ? "verified" : "not verified yet"}
          </p>
        )}
      </div>
      <Card>
        <ChangeEmailForm />
      </Card>
      <Card>
        <ChangePasswordForm />
      </Card>
      <Card>
        <SessionsList />
      </Card>
      <Card>
        <DeleteAccount />
      </Card>
    </section>
  );
}
